/**
 * @module services/pbs/sim/seed-datastore
 * Datastore `main` drawn from the lab inventory: one backup group per guest that has
 * `lastBackupHoursAgo` (vm/… for VMs, ct/… for containers), seven daily snapshots per
 * group with realistic archive sizes, a month of usage history that grows towards
 * an estimated full date, and GC counters consistent with the snapshots.
 */
import { guests, pbsDatastore, type LabGuest } from '../../../lab/inventory.js';
import type { GcCounters, SimDatastore, SimFile, SimSnapshot } from './state.js';

const GiB = 1024 ** 3;
const HOUR = 3600;
const DAY = 86_400;
/** Snapshots kept per group (keep-daily 7). */
export const KEEP_DAILY = 7;

/** Guests with a backup group, in inventory order. */
export function backedUpGuests(): LabGuest[] {
  return guests.filter((g) => g.lastBackupHoursAgo !== undefined && !g.template);
}

/** The backup type of a guest. */
export function backupType(g: LabGuest): 'vm' | 'ct' {
  return g.type === 'qemu' ? 'vm' : 'ct';
}

function files(g: LabGuest, ageDays: number): SimFile[] {
  const none = 'none' as const;
  if (g.type === 'qemu') {
    return [
      { filename: 'qemu-server.conf.blob', 'crypt-mode': none, size: 412 + (g.vmid % 7) * 23 },
      { filename: 'drive-scsi0.img.fidx', 'crypt-mode': none, size: g.diskGiB * GiB },
      { filename: 'index.json.blob', 'crypt-mode': none, size: 561 },
      { filename: 'client.log.blob', 'crypt-mode': none, size: 1838 + (g.vmid % 5) * 41 },
    ];
  }
  const fill = 0.3 + (g.vmid % 5) * 0.07;
  const root = Math.round(g.diskGiB * GiB * fill * (1 - ageDays * 0.004));
  return [
    { filename: 'pct.conf.blob', 'crypt-mode': none, size: 318 + (g.vmid % 7) * 17 },
    { filename: 'catalog.pcat1.didx', 'crypt-mode': none, size: 731_000 + (g.vmid % 9) * 52_113 },
    { filename: 'root.pxar.didx', 'crypt-mode': none, size: root },
    { filename: 'index.json.blob', 'crypt-mode': none, size: 653 },
    { filename: 'client.log.blob', 'crypt-mode': none, size: 2214 + (g.vmid % 5) * 37 },
  ];
}

/** Snapshots of every group, newest `lastBackupHoursAgo` back, guests of one run a little apart. */
export function seedSnapshots(now: number): SimSnapshot[] {
  const out: SimSnapshot[] = [];
  backedUpGuests().forEach((g, i) => {
    const newest = now - (g.lastBackupHoursAgo ?? 0) * HOUR - i * 97;
    for (let k = KEEP_DAILY - 1; k >= 0; k--) {
      // vzdump's default notes template is {{guestname}}.
      const kept = g.protectedBackup === true && k === KEEP_DAILY - 1;
      out.push({ type: backupType(g), id: String(g.vmid), time: newest - k * DAY, files: files(g, k), owner: 'root@pam', protected: kept, comment: g.name });
    }
  });
  return out;
}

/**
 * GC counters that match the snapshots: chunks on disk are the indexed data after
 * deduplication. The filesystem holds more than the chunk store (the pool is shared),
 * so `used` is not derived from them.
 */
export function gcCounters(snapshots: SimSnapshot[]): GcCounters {
  const indexFiles = snapshots.flatMap((s) => s.files.filter((f) => /\.(d|f)idx$/.test(f.filename)));
  const indexBytes = indexFiles.reduce((sum, f) => sum + f.size, 0);
  const diskBytes = Math.round(indexBytes / 7.9);
  return {
    'index-file-count': indexFiles.length,
    'index-data-bytes': indexBytes,
    'disk-bytes': diskBytes,
    'disk-chunks': Math.round(diskBytes / (2.6 * 1024 * 1024)),
    'removed-bytes': 3_328_599_654,
    'removed-chunks': 1402,
    'pending-bytes': 851_890_176,
    'pending-chunks': 371,
    'removed-bad': 0,
    'still-bad': 0,
  };
}

/** Datastore `main` as the inventory sizes it (nearly full), growing about 0.3 % a day. */
export function seedDatastore(now: number): SimDatastore {
  const total = pbsDatastore.totalGiB * GiB;
  const fraction = pbsDatastore.usedFraction;
  const used = Math.round(total * fraction);
  const historyStart = Math.floor((now - 30 * DAY) / DAY) * DAY;
  const history = Array.from({ length: 31 }, (_, i) => Math.round((fraction - 0.003 * (30 - i) + 0.0015 * Math.sin(i * 1.7)) * 1e6) / 1e6);
  history[30] = fraction;
  const snapshots = seedSnapshots(now);
  return {
    name: pbsDatastore.name,
    comment: 'nightly backups of the homelab cluster',
    total, used, history, historyStart, historyDelta: DAY, snapshots,
    gc: { schedule: 'daily', counters: gcCounters(snapshots) },
    verifyJob: { id: 'v-3f2a1b9c-d4e5', schedule: 'daily', ignoreVerified: true, outdatedAfter: 30 },
  };
}

/** PBS's estimate of when the store is full: a linear regression over the usage history (0 when flat). */
export function estimatedFullDate(ds: SimDatastore): number {
  const xs = ds.history.map((_, i) => ds.historyStart + i * ds.historyDelta);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ds.history.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => { num += (x - mx) * ((ds.history[i] ?? 0) - my); den += (x - mx) ** 2; });
  const b = den === 0 ? 0 : num / den;
  if (b === 0) return 0;
  const a = my - b * mx;
  return Math.floor((1 - a) / b);
}
