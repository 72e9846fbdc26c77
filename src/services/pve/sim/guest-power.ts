/**
 * @module services/pve/sim/guest-power
 * The two state changes every power-related task ends with. A fresh start takes a VM's
 * pending config changes; a live migration's start on the target (`migrated`) does not.
 */
import { intIn } from './noise.js';
import { applyPending } from './pending.js';
import type { SimGuest } from './state.js';

/** Marks a guest as freshly started (new process, uptime from zero; pending changes applied unless `migrated`). */
export function markStarted(g: SimGuest, options: { migrated?: boolean } = {}): void {
  if (!options.migrated) applyPending(g);
  g.status = 'running';
  g.startedAt = Date.now();
  g.pid = intIn(`pid-${g.vmid}-${g.startedAt}`, 1200, 4_000_000);
  if (g.type === 'qemu') g.qmpstatus = 'running';
}

/** Marks a guest as stopped. */
export function markStopped(g: SimGuest): void {
  g.status = 'stopped';
  delete g.startedAt;
  delete g.pid;
  delete g.qmpstatus;
}
