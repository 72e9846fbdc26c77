/** @module services/pve — Proxmox VE: guests, power, snapshots, nodes, storage, tasks. */
export { pveService } from './service.js';
export { PveClient } from './client.js';
export { pveClientFactory, pveConfigSchema } from './factory.js';
