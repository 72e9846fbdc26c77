/**
 * @module services/pbs/sim
 * The Proxmox Backup Server simulator (see pbs-sim.ts).
 */
export { startPbsSim, pbsRoutes, type PbsSim, type PbsSimOptions } from './pbs-sim.js';
export { DEFAULT_GC_FAILURE } from './gc-state.js';
export { VERIFY_FAILED } from './logs.js';
export type { PbsSimKnobs, PbsSimState, Priv, SimDatastore, SimSnapshot } from './state.js';
