/**
 * @module lab/sims
 * The explicit list of simulators the lab starts. Each entry imports its simulator
 * lazily, so a CLI command that does not start the lab never loads them.
 */
import type { SimDefinition } from './lab.js';

/** Every simulator of the lab. */
export const simDefinitions: readonly SimDefinition[] = [
  { service: 'pve', start: async (o) => (await import('../services/pve/sim/index.js')).startPveSim({ ...o, authFailDelayMs: 300 }) },
  { service: 'beszel', start: async (o) => (await import('../services/beszel/sim/index.js')).startBeszelSim(o) },
  { service: 'kuma', start: async (o) => (await import('../services/kuma/sim/index.js')).startKumaSim(o) },
  { service: 'dns', start: async (o) => (await import('../services/dns/sim/index.js')).startDnsSim(o) },
  { service: 'proxy', start: async (o) => (await import('../services/proxy/sim/index.js')).startProxySim(o) },
  { service: 'pbs', start: async (o) => (await import('../services/pbs/sim/index.js')).startPbsSim(o) },
];
