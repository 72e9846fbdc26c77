/**
 * @module services/pve/api-backup
 * The PVE calls of backups (shared/api/pve.md §6.5, schema `pve-api.json`): the storages
 * that hold backups, the backups of a guest on one, backing up now (`vzdump`), the config
 * an archive holds, restoring (`POST /nodes/{node}/qemu` with `archive`, `/lxc` with
 * `ostemplate` + `restore=1`), and the scheduled jobs with the guests none covers.
 */
import { z } from 'zod';
import { ConfigError, UsageError } from '../../core/errors.js';
import type { Params } from '../../core/http/index.js';
import { volumeSchema } from './api-lifecycle.js';
import type { PveClient } from './client.js';
import type { StorageEntry } from './schemas.js';
import { holdsBackups } from './storage-checks.js';
import { upidOf } from './task-ids.js';

const node = (name: string): string => `/nodes/${encodeURIComponent(name)}`;
const flag = z.union([z.boolean(), z.number()]).optional();

/** A backup volume of `GET …/storage/{storage}/content?content=backup`: a volume with its backup fields. */
export const backupVolumeSchema = volumeSchema.extend({
  protected: flag,
  encrypted: z.string().optional(),
  subtype: z.string().optional(),
  verification: z.looseObject({ state: z.string(), upid: z.string().optional() }).optional(),
});
/** A backup volume. */
export type BackupVolume = z.infer<typeof backupVolumeSchema>;

/** The storages of `nodeName` that hold backups (`content=backup`). */
export function backupStorages(client: PveClient, nodeName: string, signal?: AbortSignal): Promise<StorageEntry[]> {
  return client.storage(nodeName, signal).then((all) => all.filter(holdsBackups));
}

/** The backups of guest `vmid` on `storage` (all guests when `vmid` is undefined). */
export function backupContent(client: PveClient, nodeName: string, storage: string, vmid: number | undefined, signal?: AbortSignal): Promise<BackupVolume[]> {
  return client.get(`${node(nodeName)}/storage/${encodeURIComponent(storage)}/content`, z.array(backupVolumeSchema), { content: 'backup', vmid }, signal);
}

/**
 * The storage `pve backup` writes to when none is given: `services.pve.backup_storage`,
 * else the one PBS storage the node has. Several PBS storages (or none) need a choice.
 * A configured storage the node lacks is a config error (exit 3): the fix is in config.yaml.
 */
export async function defaultBackupStorage(client: PveClient, nodeName: string, signal?: AbortSignal): Promise<StorageEntry> {
  const all = await backupStorages(client, nodeName, signal);
  const configured = client.settings.backup_storage;
  if (configured) {
    const s = all.find((x) => x.storage === configured);
    if (!s) throw new ConfigError(`services.pve.backup_storage is ${configured}, but node ${nodeName} has no backup storage of that name`, `backup storages there: ${all.map((x) => x.storage).join(', ') || 'none'}`);
    return s;
  }
  const pbs = all.filter((s) => s.type === 'pbs');
  if (pbs.length === 1) return pbs[0] as StorageEntry;
  const names = (pbs.length ? pbs : all).map((s) => s.storage).join(', ') || 'none';
  throw new UsageError(
    pbs.length ? `node ${nodeName} has several PBS storages (${names}): say which` : `node ${nodeName} has no PBS storage to back up to (backup storages: ${names})`,
    'pass --storage, or set services.pve.backup_storage in config.yaml',
  );
}

/** What `vzdump` is asked for one guest. */
export interface VzdumpParams {
  vmid: number;
  storage: string;
  mode: 'snapshot' | 'suspend' | 'stop';
  /** A notes template (`{{guestname}}`; newlines and backslashes already escaped). */
  notesTemplate?: string;
  /** Compression for file storages (PBS compresses itself). */
  compress?: 'zstd';
}

/** `POST /nodes/{node}/vzdump` for one guest; returns the UPID. */
export async function startVzdump(client: PveClient, nodeName: string, p: VzdumpParams, signal?: AbortSignal): Promise<string> {
  const form: Params = { vmid: String(p.vmid), storage: p.storage, mode: p.mode, remove: false, 'notes-template': p.notesTemplate, compress: p.compress };
  return upidOf(await client.post(`${node(nodeName)}/vzdump`, form, signal));
}

/** The config file an archive holds, as `key → value` (`GET /nodes/{node}/vzdump/extractconfig`). */
export async function extractConfig(client: PveClient, nodeName: string, volid: string, signal?: AbortSignal): Promise<Record<string, string>> {
  const text = await client.get(`${node(nodeName)}/vzdump/extractconfig`, z.string(), { volume: volid }, signal);
  const config: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (/^\s*\[/.test(line)) break; // snapshot sections follow the live config
    const m = /^([a-z][\w-]*):\s?(.*)$/i.exec(line);
    if (m) config[m[1] as string] = m[2] as string;
  }
  return config;
}

/** What a restore asks for. */
export interface RestoreParams {
  vmid: number;
  volid: string;
  type: 'qemu' | 'lxc';
  storage?: string;
  force: boolean;
  start: boolean;
  /** New random MAC addresses for the restored guest (a copy next to the original). */
  unique?: boolean;
}

/** Restores a backup (`POST /nodes/{node}/qemu` with `archive`, `/lxc` with `restore=1`); returns the UPID. */
export async function startRestore(client: PveClient, nodeName: string, p: RestoreParams, signal?: AbortSignal): Promise<string> {
  const common: Params = { vmid: p.vmid, storage: p.storage, force: p.force || undefined, start: p.start || undefined, unique: p.unique || undefined };
  const form: Params = p.type === 'qemu' ? { ...common, archive: p.volid } : { ...common, ostemplate: p.volid, restore: true };
  return upidOf(await client.post(`${node(nodeName)}/${p.type}`, form, signal));
}

/** A scheduled backup job (`GET /cluster/backup`). */
export const backupJobSchema = z.looseObject({
  id: z.string(),
  schedule: z.string().optional(),
  storage: z.string().optional(),
  pool: z.string().optional(),
  vmid: z.string().optional(),
  all: flag,
  exclude: z.string().optional(),
  node: z.string().optional(),
  enabled: flag,
  mode: z.string().optional(),
  comment: z.string().optional(),
  'next-run': z.number().optional(),
});
/** A backup job. */
export type BackupJob = z.infer<typeof backupJobSchema>;

/** The cluster's scheduled backup jobs. */
export function backupJobs(client: PveClient, signal?: AbortSignal): Promise<BackupJob[]> {
  return client.get('/cluster/backup', z.array(backupJobSchema), undefined, signal);
}

/** Guests no backup job includes, disabled jobs counting as including (`GET /cluster/backup-info/not-backed-up`). */
export function notBackedUp(client: PveClient, signal?: AbortSignal): Promise<{ vmid: number; type: string; name?: string }[]> {
  return client.get('/cluster/backup-info/not-backed-up', z.array(z.looseObject({ vmid: z.number(), type: z.string(), name: z.string().optional() })), undefined, signal);
}
