/** @module services/pbs — Proxmox Backup Server: backup health, snapshots, GC, verify, tasks. */
export { pbsService } from './service.js';
export { PbsClient, pbsError, type PbsSettings } from './client.js';
export { pbsAuthHeader, pbsClientFactory, pbsConfigSchema, type PbsConfig } from './factory.js';
export type { PbsStatus } from './operations-status.js';
