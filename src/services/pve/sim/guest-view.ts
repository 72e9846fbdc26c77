/**
 * @module services/pve/sim/guest-view
 * How guests appear in answers: the entries of `/nodes/{node}/{qemu,lxc}`, their
 * `status/current`, and their lines in `/cluster/resources`.
 */
import { guestStats } from './stats.js';
import type { SimGuest } from './state.js';

type Entry = Record<string, unknown>;

function optional(g: SimGuest, entry: Entry): Entry {
  if (typeof g.config.tags === 'string') entry.tags = g.config.tags;
  if (g.template) entry.template = 1;
  if (g.lock) entry.lock = g.lock;
  if (g.status === 'running' && g.pid !== undefined) entry.pid = g.pid;
  return entry;
}

/** An entry of `GET /nodes/{node}/qemu` (`full` adds the QMP state) or `/lxc`. */
export function listEntry(g: SimGuest, nowMs: number, full = false): Entry {
  const s = guestStats(g, nowMs);
  const entry: Entry = {
    vmid: g.vmid, name: g.name, status: g.status,
    cpu: s.cpu, cpus: s.cpus, mem: s.mem, maxmem: s.maxmem, disk: s.disk, maxdisk: s.maxdisk,
    diskread: s.diskread, diskwrite: s.diskwrite, netin: s.netin, netout: s.netout, uptime: s.uptime,
  };
  if (g.type === 'lxc') {
    entry.type = 'lxc';
    entry.swap = s.swap;
    entry.maxswap = s.maxswap;
  } else {
    entry.memhost = s.mem;
    if (full) entry.qmpstatus = g.status === 'running' ? g.qmpstatus ?? 'running' : 'stopped';
    if (full && g.status === 'running') {
      entry['running-machine'] = g.config.machine === 'q35' ? 'pc-q35-9.2+pve1' : 'pc-i440fx-9.2+pve1';
      entry['running-qemu'] = '9.2.0';
    }
  }
  return optional(g, entry);
}

/** `GET …/status/current`. */
export function currentStatus(g: SimGuest, nowMs: number): Entry {
  const entry = listEntry(g, nowMs, true);
  entry.ha = { managed: 0 };
  if (g.type === 'qemu' && g.config.agent !== undefined && String(g.config.agent).startsWith('1')) entry.agent = 1;
  return entry;
}

/** A guest line of `GET /cluster/resources`; guests of an offline node are `unknown`. */
export function resourceEntry(g: SimGuest, nowMs: number, nodeOnline = true): Entry {
  if (!nodeOnline) {
    return { id: `${g.type}/${g.vmid}`, type: g.type, vmid: g.vmid, name: g.name, node: g.node, status: 'unknown', template: g.template ? 1 : 0, ...(g.pool ? { pool: g.pool } : {}) };
  }
  const s = guestStats(g, nowMs);
  const entry: Entry = {
    id: `${g.type}/${g.vmid}`, type: g.type, vmid: g.vmid, name: g.name, node: g.node, status: g.status,
    cpu: s.cpu, maxcpu: s.cpus, mem: s.mem, maxmem: s.maxmem, disk: s.disk, maxdisk: s.maxdisk,
    diskread: s.diskread, diskwrite: s.diskwrite, netin: s.netin, netout: s.netout, uptime: s.uptime,
    template: g.template ? 1 : 0,
  };
  if (g.type === 'qemu') entry.memhost = s.mem;
  if (typeof g.config.tags === 'string') entry.tags = g.config.tags;
  if (g.lock) entry.lock = g.lock;
  if (g.pool) entry.pool = g.pool;
  return entry;
}
