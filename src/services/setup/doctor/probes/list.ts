/**
 * @module services/setup/doctor/probes/list
 * The probe of each service key.
 */
import { probeBeszel } from './beszel.js';
import { probeDns } from './dns.js';
import { probeKuma } from './kuma.js';
import { probePbs } from './pbs.js';
import { probeProxy } from './proxy.js';
import { probePve } from './pve.js';
import { probeTelegram } from './telegram.js';
import type { Probe } from './types.js';

/** Probes by config key. */
export const probes: Readonly<Record<string, Probe>> = {
  pve: probePve, pbs: probePbs, dns: probeDns, proxy: probeProxy, beszel: probeBeszel, kuma: probeKuma, telegram: probeTelegram,
};
