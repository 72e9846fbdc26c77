/** @module services/beszel — Beszel hub (PocketBase): systems, one system in detail, alerts. */
export { beszelService } from './service.js';
export { BeszelClient, filterValue } from './client.js';
export { beszelClientFactory, beszelConfigSchema } from './factory.js';
export { systemsTrouble, type BeszelSystem } from './operations-systems.js';
export type { BeszelSystemDetail } from './operations-system.js';
export type { BeszelAlert } from './operations-alerts.js';
