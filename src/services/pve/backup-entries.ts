/**
 * @module services/pve/backup-entries
 * Backups as the toolkit shows them (`pve backups`, `pve backup`, `pve restore`): one
 * entry per backup volume, what a backup volume id says about its guest, and the lock
 * refusal vzdump reports in its log rather than its exit status.
 */
import { HomelabError, OperationError } from '../../core/errors.js';
import type { BackupVolume } from './api-backup.js';
import type { PveClient } from './client.js';
import { explainLock, lockedError, lockInMessage } from './guest-lock.js';
import type { GuestRef } from './schemas.js';

/** JSON shape of one backup (`pve backups` entries, `pve backup`'s `backup`). */
export interface BackupEntry {
  volid: string;
  storage: string;
  /** The node holding it on a node-local storage (`local`); null on a shared one (PBS), which every node reaches. */
  node: string | null;
  vmid: number | null;
  /** The guest type the archive holds. */
  type: 'qemu' | 'lxc' | null;
  /** Epoch seconds. */
  time: number | null;
  /** Bytes. */
  size: number | null;
  notes: string | null;
  /** Last verification on PBS: `ok`, `failed`, or null when never verified. */
  verification: string | null;
  protected: boolean;
  encrypted: boolean;
  format: string | null;
}

/** Whether the six numbers of a backup time (year … second) name a real UTC moment. */
function realTime(parts: readonly string[]): boolean {
  const [y, mo, d, h, mi, s] = parts.map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === s;
}

/**
 * A vzdump file's volid as PVE's archive listing takes it: `vzdump-<type>-<vmid>-<anything>`
 * and an archive extension (`.vma.zst`, `.tar.gz`, `.tgz`).
 */
const VZDUMP_FILE = /^([^:]+):backup\/vzdump-(qemu|lxc|openvz)-(\d+)-([^/]+)\.(?:tgz|(?:tar|vma)(?:\.(?:gz|lzo|zst|bz2))?)$/;

/** The standard time of a vzdump file name: `2026_12_04-02_00_00`. */
const VZDUMP_TIME = /^(\d{4})_(\d\d)_(\d\d)-(\d\d)_(\d\d)_(\d\d)$/;

/**
 * What a backup volume id tells: the guest type and VMID. A PBS snapshot
 * `pbs:backup/vm/201/2026-12-04T02:00:00Z` must carry a real RFC 3339 UTC time. A vzdump
 * file is taken as PVE takes it, `vzdump-(qemu|lxc|openvz)-<vmid>-<anything>.<ext>`, so a
 * file renamed by hand (`vzdump-qemu-201-before-upgrade.vma.zst`) can be restored; only
 * when its name has the standard time (`2026_12_04-02_00_00`) is that time read, and then
 * it must be a real one (PVE fails on `2026_02_30-…` too).
 */
export function parseBackupVolid(volid: string): { storage: string; type: 'qemu' | 'lxc'; vmid: number } | undefined {
  const pbs = /^([^:]+):backup\/(vm|ct)\/(\d+)\/(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/.exec(volid);
  if (pbs && realTime(pbs.slice(4))) return { storage: pbs[1] as string, type: pbs[2] === 'vm' ? 'qemu' : 'lxc', vmid: Number(pbs[3]) };
  const file = VZDUMP_FILE.exec(volid);
  if (!file) return undefined;
  const time = VZDUMP_TIME.exec(file[4] as string);
  if (time && !realTime(time.slice(1))) return undefined;
  return { storage: file[1] as string, type: file[2] === 'qemu' ? 'qemu' : 'lxc', vmid: Number(file[3]) };
}

/** One backup volume as a `BackupEntry` (`node`: where it is on a node-local storage, else null). */
export function toBackupEntry(storage: string, v: BackupVolume, node: string | null): BackupEntry {
  const parsed = parseBackupVolid(v.volid);
  const subtype = v.subtype === 'qemu' || v.subtype === 'lxc' ? v.subtype : undefined;
  return {
    volid: v.volid, storage, node, vmid: v.vmid ?? parsed?.vmid ?? null, type: subtype ?? parsed?.type ?? null,
    time: v.ctime ?? null, size: v.size ?? null, notes: v.notes ?? null,
    verification: v.verification?.state ?? null, protected: v.protected === true || v.protected === 1,
    encrypted: v.encrypted !== undefined && v.encrypted !== '' && v.encrypted !== '0', format: v.format ?? null,
  };
}

/**
 * `explainLock`, and also for vzdump: a locked guest fails its backup in the log
 * (`ERROR: Backup of VM 200 failed - VM is locked (snapshot)`) while the task ends with
 * `job errors`, so the lock is looked for in the log lines too.
 */
export async function explainTaskLock<T>(client: PveClient, guest: GuestRef, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await explainLock(client, guest, work, signal);
  } catch (err) {
    const lines = err instanceof OperationError ? err.details ?? [] : [];
    const lock = err instanceof HomelabError ? lines.map(lockInMessage).find(Boolean) : undefined;
    if (lock) throw await lockedError(client, guest, lock, signal);
    throw err;
  }
}
