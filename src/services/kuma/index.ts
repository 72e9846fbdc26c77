/** @module services/kuma — Uptime Kuma: status from /metrics, monitor management over Socket.IO. */
export { kumaService } from './service.js';
export { KumaClient } from './client.js';
export { kumaClientFactory, kumaConfigSchema } from './factory.js';
export { KumaSession } from './session.js';
export { KumaRefused } from './messages.js';
export type { MonitorState } from './metrics.js';
export type { KumaStatus, KumaListEntry } from './operations-read.js';
export type { KumaShown } from './operations-show.js';
export type { KumaAdded } from './operations-add.js';
export type { KumaToggled } from './operations-manage.js';
export type { KumaEdited } from './operations-edit.js';
