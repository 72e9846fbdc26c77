/**
 * @module services/beszel/sim/profiles
 * What each simulated system looks like, derived from the lab inventory: the two nodes
 * and every guest with `beszel: true`. The load levels, temperatures, interfaces and
 * containers are the simulator's own colour; the trouble (the stopped guest is down, so is
 * `trouble.beszelDownWhileRunning` although it runs, `trouble.fullDiskSystem` has a ~94 %
 * full root disk) comes from the inventory.
 */
import { guests, nodes, guestById } from '../../../lab/inventory.js';
import { trouble } from '../../../lab/trouble.js';

/** A container a system runs (Docker/Podman), with its typical load. */
export interface ContainerProfile {
  name: string;
  cpu: number;
  memMb: number;
  netBps: number;
}

/** One simulated system. */
export interface SystemProfile {
  name: string;
  host: string;
  cores: number;
  memGb: number;
  diskGb: number;
  /** Typical CPU %, memory %, disk %. */
  cpu: number;
  mp: number;
  dp: number;
  netBps: number;
  uptimeDays: number;
  /** Agent version; versions before 0.13 send the legacy keys (`b` MB/s, `l1`…, `h`, `k`, …). */
  agent: string;
  temps?: Record<string, number>;
  ifaces: string[];
  containers?: ContainerProfile[];
  /** Extra filesystems: name → [size GB, used %]. */
  efs?: Record<string, [number, number]>;
  /** Down since this many hours (the agent stopped answering). */
  downHours?: number;
}

const LOOK: Record<string, Partial<SystemProfile>> = {
  pve1: { cpu: 18, mp: 62, dp: 41, netBps: 2_400_000, temps: { k10temp_tctl: 54, nvme_composite: 41 }, ifaces: ['vmbr0', 'enp5s0'] },
  pve2: { cpu: 9, mp: 48, dp: 33, netBps: 1_100_000, temps: { coretemp_package_id_0: 47, acpitz: 38 }, ifaces: ['vmbr0', 'eno1'] },
  dns: { cpu: 1.2, mp: 31, dp: 38, netBps: 40_000 },
  proxy: { cpu: 2.5, mp: 45, dp: 52, netBps: 850_000 },
  mgmt: { cpu: 4, mp: 35, dp: 28, netBps: 60_000 },
  kuma: { cpu: 3.1, mp: 58, dp: 44, netBps: 120_000 },
  pbs: { cpu: 6, mp: 40, netBps: 300_000, efs: { datastore: [2000, 71.5] } },
  dockge: {
    cpu: 12, mp: 71, dp: 63, netBps: 640_000,
    containers: [
      { name: 'dockge', cpu: 0.4, memMb: 96, netBps: 2_000 },
      { name: 'immich-server', cpu: 6.5, memMb: 1480, netBps: 410_000 },
      { name: 'immich-postgres', cpu: 1.8, memMb: 620, netBps: 35_000 },
      { name: 'paperless', cpu: 2.1, memMb: 540, netBps: 12_000 },
      { name: 'redis', cpu: 0.3, memMb: 24, netBps: 9_000 },
    ],
  },
  forgejo: { cpu: 3, mp: 39, dp: 57, netBps: 95_000 },
  homeassistant: {
    cpu: 8, mp: 52, dp: 35, netBps: 210_000,
    containers: [
      { name: 'homeassistant', cpu: 4.2, memMb: 780, netBps: 150_000 },
      { name: 'hassio_supervisor', cpu: 0.9, memMb: 190, netBps: 6_000 },
      { name: 'addon_core_mosquitto', cpu: 0.2, memMb: 18, netBps: 22_000 },
      { name: 'addon_45df7312_zigbee2mqtt', cpu: 1.1, memMb: 160, netBps: 14_000 },
    ],
  },
  media: { cpu: 2, mp: 22, dp: 71, netBps: 45_000, agent: '0.12.6' },
};

/** Every system the simulated hub knows, nodes first. */
export function systemProfiles(): SystemProfile[] {
  const stopped = guestById(trouble.stoppedGuest).name;
  const fromNodes = nodes.map((n): SystemProfile => ({
    name: n.name, host: n.ip, cores: n.cores, memGb: n.memGiB, diskGb: n.rootfsGiB, cpu: 10, mp: 50, dp: 40, netBps: 100_000,
    uptimeDays: 23, agent: '0.18.8', ifaces: ['vmbr0'], ...LOOK[n.name],
  }));
  const fromGuests = guests.filter((g) => g.beszel).map((g): SystemProfile => ({
    name: g.name, host: g.ip, cores: g.cores, memGb: g.memMiB / 1024, diskGb: g.diskGiB, cpu: 3, mp: 40, dp: 40, netBps: 50_000,
    uptimeDays: g.type === 'qemu' ? 6 : 23, agent: '0.18.8', ifaces: ['eth0'],
    ...LOOK[g.name],
    ...(g.name === trouble.fullDiskSystem ? { dp: 94.3 } : {}),
    ...(g.name === stopped ? { downHours: 31 } : {}),
    ...(g.vmid === trouble.beszelDownWhileRunning ? { downHours: 9 } : {}),
  }));
  return [...fromNodes, ...fromGuests];
}
