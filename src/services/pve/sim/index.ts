/**
 * @module services/pve/sim
 * The Proxmox VE simulator (`/api2/json` over HTTPS), for the lab, the demo and the tests.
 */
export { startPveSim, type PveSim, type PveSimOptions } from './pve-sim.js';
export type { SchemaViolation } from './router.js';
export type { PveState, SimGuest, SimNode, SimSnapshot, SimStorage, SimTask, SimVolume } from './state.js';
export { CLI_TOKEN, READONLY_TOKEN, type SimToken } from './identities.js';
export { BOOT_START_ERROR } from './seed-tasks.js';
