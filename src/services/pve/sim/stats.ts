/**
 * @module services/pve/sim/stats
 * The live numbers of guests and nodes (CPU, memory, disk, I/O counters, uptime): a
 * stable base per guest from the inventory plus a slow wobble over time, zero for a
 * stopped guest. Nothing here is exact; it only has to look like a running system.
 */
import { guests as labGuests } from '../../../lab/inventory.js';
import { GiB } from './guest-config.js';
import { unit } from './noise.js';
import type { PveState, SimGuest, SimNode } from './state.js';

/** The numbers `/nodes/{node}/{type}` and `status/current` report for a guest. */
export interface GuestStats {
  cpu: number;
  cpus: number;
  mem: number;
  maxmem: number;
  disk: number;
  maxdisk: number;
  diskread: number;
  diskwrite: number;
  netin: number;
  netout: number;
  uptime: number;
  maxswap?: number;
  swap?: number;
}

const MiB = 1024 ** 2;
const wobble = (key: string, nowMs: number): number => 1 + 0.15 * Math.sin(nowMs / 60_000 + unit(key) * 6);
const round = (n: number, digits = 4): number => Number(n.toFixed(digits));

function memMiB(g: SimGuest): number {
  const raw = g.config.memory;
  return typeof raw === 'number' ? raw : parseInt(String(raw ?? '512'), 10);
}

function diskGiB(g: SimGuest): number {
  const key = g.type === 'lxc' ? 'rootfs' : 'scsi0';
  const m = /size=(\d+)G/.exec(String(g.config[key] ?? ''));
  return m ? Number(m[1]) : 8;
}

/** Live numbers of one guest at `nowMs`. */
export function guestStats(g: SimGuest, nowMs: number): GuestStats {
  const cpus = typeof g.config.cores === 'number' ? g.config.cores : 1;
  const maxmem = memMiB(g) * MiB;
  const maxdisk = diskGiB(g) * GiB;
  const lab = labGuests.find((x) => x.vmid === g.vmid);
  // The "full disk" guest of the story (the PBS container) sits at 93 %.
  const diskFraction = lab?.name === 'pbs' ? 0.93 : 0.25 + unit(`disk-${g.vmid}`) * 0.35;
  const base: GuestStats = {
    cpu: 0, cpus, mem: 0, maxmem, disk: g.type === 'lxc' ? Math.round(maxdisk * diskFraction) : 0, maxdisk,
    diskread: 0, diskwrite: 0, netin: 0, netout: 0, uptime: 0,
  };
  if (g.type === 'lxc') {
    base.maxswap = 512 * MiB;
    base.swap = 0;
  }
  if (g.status !== 'running' || g.startedAt === undefined) return base;
  const uptime = Math.max(0, Math.floor((nowMs - g.startedAt) / 1000));
  const paused = g.qmpstatus === 'paused';
  const key = String(g.vmid);
  base.uptime = uptime;
  base.cpu = paused ? 0 : round((0.005 + unit(`cpu-${key}`) * 0.08) * wobble(`c${key}`, nowMs));
  base.mem = Math.round(maxmem * (0.3 + unit(`mem-${key}`) * 0.4) * wobble(`m${key}`, nowMs) * 0.9);
  base.diskread = Math.round(uptime * (2_000 + unit(`dr-${key}`) * 60_000));
  base.diskwrite = Math.round(uptime * (5_000 + unit(`dw-${key}`) * 90_000));
  base.netin = Math.round(uptime * (1_000 + unit(`ni-${key}`) * 40_000));
  base.netout = Math.round(uptime * (800 + unit(`no-${key}`) * 30_000));
  if (base.swap !== undefined) base.swap = Math.round((base.maxswap ?? 0) * unit(`sw-${key}`) * 0.1);
  return base;
}

/** The numbers `/nodes`, `/nodes/{node}/status` and `/cluster/resources` report for a node. */
export interface NodeStats {
  cpu: number;
  maxcpu: number;
  mem: number;
  maxmem: number;
  disk: number;
  maxdisk: number;
  uptime: number;
  loadavg: [string, string, string];
}

/** Live numbers of one node at `nowMs`. */
export function nodeStats(state: PveState, node: SimNode, nowMs: number): NodeStats {
  // One pass over the guests, each guest's numbers worked out once.
  let guestCpu = 0;
  let guestMem = 0;
  for (const g of state.guests.values()) {
    if (g.node !== node.name || g.status !== 'running') continue;
    const s = guestStats(g, nowMs);
    guestCpu += s.cpu * s.cpus;
    guestMem += s.maxmem * 0.85;
  }
  const cpu = round(Math.min(1, 0.01 + guestCpu / node.cores));
  const mem = Math.min(node.memBytes, 2.8 * GiB + guestMem);
  const load = (f: number): string => (cpu * node.cores * f).toFixed(2);
  return {
    cpu, maxcpu: node.cores, mem: Math.round(mem), maxmem: node.memBytes,
    disk: Math.round(node.rootfsBytes * (0.12 + unit(`rootfs-${node.name}`) * 0.05)), maxdisk: node.rootfsBytes,
    uptime: Math.max(0, Math.floor(nowMs / 1000) - node.bootedAt),
    loadavg: [load(1.1), load(1), load(0.9)],
  };
}
