/**
 * @module services/pve/storage-checks
 * What a storage may hold, read from its `content` list (shared/api/pve.md §6): whether
 * it holds backups, the refusal of one that does not, and the checks, before anything is
 * sent, that a storage can hold a guest type's disks, that a named storage can take a
 * backup, which storages a node lacks, and which storages (of a guest's disks) are node-local.
 */
import { UsageError } from '../../core/errors.js';
import type { PveClient } from './client.js';
import { driveVolumes, storageOf } from './disks.js';
import type { StorageEntry } from './schemas.js';

/** Whether a storage's `content` list names `kind` (`backup`, `images`, `rootdir`, …). */
const holds = (s: StorageEntry, kind: string): boolean => (s.content ?? '').split(',').includes(kind);

/** Whether a storage holds backups (`content` includes `backup`). */
export const holdsBackups = (s: StorageEntry): boolean => holds(s, 'backup');

/** The usage error for a storage that holds no backups, naming what it holds; `hint` as the error's second line. */
export function noBackupsError(s: StorageEntry, hint?: string): UsageError {
  return new UsageError(`storage ${s.storage} holds no backups (content: ${s.content ?? 'none'})`, hint);
}

/** Refuses, before sending, a disk storage `node` lacks or that cannot hold this guest type's disks. */
export async function checkDiskStorage(client: PveClient, node: string, storage: string, type: 'qemu' | 'lxc', signal?: AbortSignal): Promise<void> {
  const content = type === 'qemu' ? 'images' : 'rootdir';
  const s = (await client.storage(node, signal)).find((x) => x.storage === storage);
  if (!s) throw new UsageError(`no storage ${storage} on ${node}`, 'homelab pve storage lists the storages');
  if (!holds(s, content)) {
    throw new UsageError(`storage ${storage} cannot hold ${type === 'qemu' ? 'VM' : 'container'} disks (no ${content} content)`, 'use a storage like local-lvm');
  }
}

/**
 * The storage `--storage` names for a backup on `node`: refused, before sending, when the
 * node has no such storage or it holds no backups (both name the backup storages there).
 */
export async function checkBackupStorage(client: PveClient, node: string, storage: string, signal?: AbortSignal): Promise<StorageEntry> {
  const all = await client.storage(node, signal);
  const hint = `backup storages on ${node}: ${all.filter(holdsBackups).map((x) => x.storage).join(', ') || 'none'}`;
  const s = all.find((x) => x.storage === storage);
  if (!s) throw new UsageError(`no storage ${storage} on ${node}`, hint);
  if (!holdsBackups(s)) throw noBackupsError(s, hint);
  return s;
}

/** Which of `storages` node `node` does not have (none asked when the list is empty). */
export async function storagesMissingOn(client: PveClient, node: string, storages: readonly string[], signal?: AbortSignal): Promise<string[]> {
  if (storages.length === 0) return [];
  const there = new Set((await client.storage(node, signal)).map((x) => x.storage));
  return [...new Set(storages)].filter((id) => !there.has(id)).sort();
}

/** Which of `storages` are node-local (not `shared`) as `node` lists them; sorted, each once (none asked when the list is empty). */
export async function localStorages(client: PveClient, node: string, storages: readonly string[], signal?: AbortSignal): Promise<string[]> {
  if (storages.length === 0) return [];
  const local = new Set((await client.storage(node, signal)).filter((s) => !s.shared).map((s) => s.storage));
  return [...new Set(storages)].filter((id) => local.has(id)).sort();
}

/**
 * The node-local (not `shared`) storages that the drives of a guest config on `node` use,
 * CD-ROM images included, as PVE counts them before it clones to another node; sorted.
 */
export async function localDiskStorages(client: PveClient, node: string, config: Record<string, unknown>, signal?: AbortSignal): Promise<string[]> {
  return localStorages(client, node, driveVolumes(config).map(storageOf), signal);
}
