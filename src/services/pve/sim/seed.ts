/**
 * @module services/pve/sim/seed
 * The simulator's starting world, derived from the lab inventory: two nodes, every
 * guest with its config and snapshots, the storages `local`, `local-lvm` and `pbs` with
 * their volumes and backups, pending APT updates and last week's task history.
 */
import { createHash } from 'node:crypto';
import { appliances } from '../../../lab/appliance-index.js';
import { guests as labGuests, lab, nodes as labNodes, type LabGuest } from '../../../lab/inventory.js';
import { templateVolume } from './appliances.js';
import { buildConfig, GiB } from './guest-config.js';
import { intIn, unit } from './noise.js';
import { seededKernel, seededUpdates, seededVersions } from './seed-packages.js';
import { seedBackupJobs } from './seed-backup-jobs.js';
import { seedTasks } from './seed-tasks.js';
import type { PveState, SimGuest, SimNode, SimStorage, SimVolume } from './state.js';

const DAY = 86_400;
const HOUR = 3_600;
/** Days since each node's last boot. */
const UPTIME_DAYS: Record<string, number> = { pve1: 23, pve2: 12 };

function fakeFingerprint(node: string): string {
  return createHash('sha256').update(`cert-${node}`).digest('hex').toUpperCase().match(/../g)?.join(':') ?? '';
}

function seedNodes(now: number, fingerprint: string): Map<string, SimNode> {
  return new Map(labNodes.map((n, i): [string, SimNode] => [n.name, {
    name: n.name, ip: n.ip, cores: n.cores, cpuModel: n.cpuModel,
    memBytes: n.memGiB * GiB, rootfsBytes: n.rootfsGiB * GiB,
    bootedAt: now - (UPTIME_DAYS[n.name] ?? 30) * DAY - intIn(`boot-${n.name}`, 0, HOUR),
    status: 'online',
    // The simulator serves the API of every node with one certificate: the first node's.
    fingerprint: i === 0 ? fingerprint : fakeFingerprint(n.name),
    bridges: ['vmbr0'],
  }]));
}

function seedGuests(now: number, nodes: Map<string, SimNode>, extra: readonly LabGuest[]): Map<number, SimGuest> {
  const result = new Map<number, SimGuest>();
  [...labGuests, ...extra].forEach((g, i) => {
    const created = now - intIn(`created-${g.vmid}`, 120, 700) * DAY;
    const config = buildConfig(g, created);
    const guest: SimGuest = {
      vmid: g.vmid, type: g.type, node: g.node, name: g.name, ip: g.ip,
      status: g.status, template: g.template === true, config, snapshots: [],
    };
    if (g.status === 'running') {
      const bootedAt = nodes.get(g.node)?.bootedAt ?? now - DAY;
      guest.startedAt = (bootedAt + 40 + i * 12) * 1000;
      guest.pid = intIn(`pid-${g.vmid}`, 1200, 4_000_000);
      if (g.type === 'qemu') guest.qmpstatus = 'running';
    }
    let parent: string | undefined;
    for (const s of g.snapshots ?? []) {
      const snapConfig = { ...config };
      guest.snapshots.push({
        name: s.name, description: s.description,
        snaptime: now - s.daysAgo * DAY - intIn(`snap-${g.vmid}-${s.name}`, 0, 6 * HOUR),
        ...(parent ? { parent } : {}),
        config: snapConfig,
      });
      parent = s.name;
    }
    if (parent) guest.parent = parent;
    result.set(g.vmid, guest);
  });
  return result;
}

function seedStorages(): SimStorage[] {
  const names = labNodes.map((n) => n.name);
  const per = (f: (node: string) => number): Record<string, number> => Object.fromEntries(names.map((n) => [n, f(n)]));
  const rootfs = (node: string): number => (labNodes.find((x) => x.name === node)?.rootfsGiB ?? 94) * GiB;
  const lvmTotal: Record<string, number> = { pve1: 832 * GiB, pve2: 348 * GiB };
  const thinUsed = (node: string): number => labGuests
    .filter((g) => g.node === node)
    .reduce((sum, g) => sum + Math.round(g.diskGiB * GiB * (0.35 + unit(`thin-${g.vmid}`) * 0.4)), 0);
  const pbsTotal = 3_600 * GiB;
  return [
    { storage: 'local', type: 'dir', content: ['backup', 'import', 'iso', 'vztmpl'], shared: false, nodes: names,
      total: per(rootfs), used: per((n) => Math.round(rootfs(n) * (0.12 + unit(`local-${n}`) * 0.05))) },
    { storage: 'local-lvm', type: 'lvmthin', content: ['images', 'rootdir'], shared: false, nodes: names,
      total: per((n) => lvmTotal[n] ?? 300 * GiB), used: per(thinUsed) },
    // The PBS datastore is nearly full: the story behind last night's failed backup of 106.
    { storage: 'pbs', type: 'pbs', content: ['backup'], shared: true, nodes: names, datastore: 'main',
      total: per(() => pbsTotal), used: per(() => Math.round(pbsTotal * 0.93)) },
  ];
}

function backupTime(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function seedVolumes(now: number, extra: readonly LabGuest[]): SimVolume[] {
  const vols: SimVolume[] = [];
  for (const n of labNodes) {
    const ctime = now - 90 * DAY;
    vols.push(
      { storage: 'local', node: n.name, volid: 'local:iso/debian-13.1.0-amd64-netinst.iso', content: 'iso', format: 'iso', size: 783_286_272, ctime },
    );
    for (const a of appliances.filter((x) => x.downloaded)) vols.push(templateVolume(a, n.name, ctime));
  }
  for (const g of [...labGuests, ...extra]) {
    const base = g.template ? 'base' : 'vm';
    vols.push({
      storage: 'local-lvm', node: g.node, volid: `local-lvm:${base}-${g.vmid}-disk-0`, content: g.type === 'lxc' ? 'rootdir' : 'images',
      format: 'raw', size: g.diskGiB * GiB, vmid: g.vmid,
    });
    if (g.lastBackupHoursAgo === undefined) continue;
    const kind = g.type === 'lxc' ? 'ct' : 'vm';
    for (let day = 0; day < 7; day++) {
      const ctime = now - Math.round((g.lastBackupHoursAgo + day * 24) * HOUR) - intIn(`bk-${g.vmid}-${day}`, 0, 600);
      vols.push({
        storage: 'pbs', volid: `pbs:backup/${kind}/${g.vmid}/${backupTime(ctime)}`, content: 'backup',
        format: `pbs-${kind}`, subtype: g.type, vmid: g.vmid, ctime, notes: g.name,
        ...(g.protectedBackup === true && day === 6 ? { protected: true } : {}),
        size: Math.round(g.diskGiB * GiB * (0.3 + unit(`bksize-${g.vmid}`) * 0.3)),
      });
    }
  }
  return vols;
}

/** The seeded world at `now` (Unix seconds); `fingerprint` is the simulator's certificate; `extra`: more guests (scale). */
export function seedState(now: number, fingerprint: string, extra: readonly LabGuest[] = []): PveState {
  const nodes = seedNodes(now, fingerprint);
  const guests = seedGuests(now, nodes, extra);
  const repoid = createHash('sha1').update(`pve-manager-${lab.pveVersion}`).digest('hex').slice(0, 16);
  return {
    clusterName: lab.cluster,
    version: { version: lab.pveVersion, release: lab.pveVersion.split('.').slice(0, 2).join('.'), repoid },
    kernel: seededKernel,
    nodes, guests,
    storages: seedStorages(),
    volumes: seedVolumes(now, extra),
    tasks: seedTasks(now, nodes, guests),
    updates: seededUpdates(),
    versions: seededVersions(),
    backupJobs: seedBackupJobs(now),
  };
}
