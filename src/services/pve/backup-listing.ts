/**
 * @module services/pve/backup-listing
 * Where a cluster's backups are, and whose they are. A shared backup storage (PBS, NFS)
 * is asked once; a node-local one (`local`) on every online node, each entry then naming
 * its node. A VMID can be reused (destroy CT 100, the next clone becomes VM 100), so a
 * backup is counted as a guest's only when it holds the same guest type (`backup/vm/` vs
 * `backup/ct/`, `vzdump-qemu` vs `vzdump-lxc`) and, for a VM, is not older than the VM
 * itself (`meta: …,ctime=<epoch>` in its config; PVE writes it when a VM is created,
 * and a clone or restore keeps its source's, which is older still). Containers carry no
 * creation time: for them only the type tells.
 */
import { UsageError } from '../../core/errors.js';
import { backupContent } from './api-backup.js';
import { toBackupEntry, type BackupEntry } from './backup-entries.js';
import type { PveClient } from './client.js';
import type { GuestRef, StorageEntry } from './schemas.js';
import { holdsBackups, noBackupsError } from './storage-checks.js';

/** A backup storage to ask, and the node to ask it on (a shared one: the first node that has it). */
interface Place { node: string; storage: StorageEntry }

/**
 * The backup storages of the online nodes, each shared one once. With `only`, just that
 * storage: one the cluster lacks, or one that holds no backups, is a usage error (exit 2)
 * before any content is asked for.
 */
export async function backupPlaces(client: PveClient, only: string | undefined, signal?: AbortSignal): Promise<Place[]> {
  const nodes = (await client.nodes(signal)).filter((n) => n.status === 'online').map((n) => n.node).sort();
  const perNode = await Promise.all(nodes.map(async (node) => ({ node, storages: await client.storage(node, signal) })));
  const places: Place[] = [];
  const seen = new Set<string>();
  for (const { node, storages } of perNode) {
    for (const s of storages) {
      if (!holdsBackups(s) || (only !== undefined && s.storage !== only)) continue;
      const key = s.shared === 1 ? s.storage : `${node}/${s.storage}`;
      if (seen.has(key)) continue;
      seen.add(key);
      places.push({ node, storage: s });
    }
  }
  if (only !== undefined && places.length === 0) {
    const all = perNode.flatMap((p) => p.storages);
    const named = all.find((s) => s.storage === only);
    const backupNames = [...new Set(all.filter(holdsBackups).map((s) => s.storage))].sort().join(', ') || 'none';
    if (named) throw noBackupsError(named, `backup storages: ${backupNames}`);
    throw new UsageError(`no storage ${only} in the cluster`, `backup storages: ${backupNames}`);
  }
  return places;
}

/** The backups on every backup storage (or `only`), of guest `vmid` (every guest when undefined), with their node. */
export async function listBackups(client: PveClient, vmid: number | undefined, only: string | undefined, signal?: AbortSignal): Promise<BackupEntry[]> {
  const places = await backupPlaces(client, only, signal);
  const lists = await Promise.all(places.map(async ({ node, storage }) => (await backupContent(client, node, storage.storage, vmid, signal))
    .map((v) => toBackupEntry(storage.storage, v, storage.shared === 1 ? null : node))));
  return lists.flat().filter((b) => vmid === undefined || b.vmid === vmid);
}

/** A VM's creation time from its config's `meta` (`creation-qemu=9.2.0,ctime=1700000000`); undefined when not told. */
export function creationTime(config: Record<string, unknown>): number | undefined {
  const m = /(?:^|,)ctime=(\d+)(?:,|$)/.exec(typeof config.meta === 'string' ? config.meta : '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Whether a backup is of this guest rather than of an earlier one with the same id: the
 * same type (an archive of unknown type counts), and not taken before `created`.
 */
export function isBackupOf(b: BackupEntry, guest: Pick<GuestRef, 'vmid' | 'type'>, created: number | undefined): boolean {
  if (b.vmid !== guest.vmid) return false;
  if (b.type !== null && b.type !== guest.type) return false;
  return created === undefined || b.time === null || b.time >= created;
}
