/**
 * @module services/pve/restore-plan
 * What `pve restore` checks before it asks and before it sends, the same for the
 * confirmation (`preview`) and the run: where the backup is (a node-local storage's
 * backup restores on the node holding it; a shared one on `--node`, else the configured
 * or first online node), that it exists, whether it fits the target (a VM backup over a
 * container is refused), that the target may be replaced (not running, protected or
 * locked), and that `--storage` can hold the disks. Each refusal is one line.
 */
import { OperationError, UsageError } from '../../core/errors.js';
import { backupContent, type BackupVolume } from './api-backup.js';
import { parseBackupVolid } from './backup-entries.js';
import type { PveClient } from './client.js';
import { guestLabel, refuseIfLocked } from './guest-lock.js';
import { knownNode, refuseProtected } from './lifecycle-common.js';
import { guestRefOf, type GuestRef } from './schemas.js';
import { checkDiskStorage, holdsBackups, noBackupsError } from './storage-checks.js';

/** What a restore was asked for. */
export interface RestoreRequest {
  volid: string;
  vmid?: number;
  node?: string;
  storage?: string;
  force: boolean;
}

/** A restore that passed every check. */
export interface RestorePlan {
  /** The guest the backup was taken of. */
  source: { vmid: number; type: 'qemu' | 'lxc' };
  /** The id to restore to; undefined: the next free id, taken at the run. */
  vmid: number | undefined;
  /** The node the restore runs on. */
  node: string;
  /** The guest type the archive holds. */
  type: 'qemu' | 'lxc';
  volume: BackupVolume;
  /** The guest `--force` replaces, with its config; undefined for a new guest. */
  existing?: { guest: GuestRef; config: Record<string, unknown> };
}

const kindOf = (type: 'qemu' | 'lxc'): string => (type === 'qemu' ? 'VM' : 'container');

/**
 * The node whose storage holds `volid`: `fixed` when the restore must run there (the
 * guest it replaces lives there, or `--node`), else the first that has it.
 */
async function locate(client: PveClient, volid: string, storage: string, vmid: number, fixed: string | undefined, signal?: AbortSignal): Promise<{ node: string; volume: BackupVolume }> {
  const online = (await client.nodes(signal)).filter((n) => n.status === 'online').map((n) => n.node).sort();
  // Asked first: the node the restore must run on, else the configured one (a shared storage's backup restores there).
  const first = fixed ?? (client.settings.node && online.includes(client.settings.node) ? client.settings.node : undefined);
  const order = first ? [first, ...online.filter((n) => n !== first)] : online;
  let known = false;
  for (const node of order) {
    const s = (await client.storage(node, signal)).find((x) => x.storage === storage);
    if (!s) continue;
    known = true;
    if (!holdsBackups(s)) throw noBackupsError(s);
    const volume = (await backupContent(client, node, storage, vmid, signal)).find((v) => v.volid === volid);
    const shared = s.shared === 1;
    if (volume && (!fixed || node === fixed)) return { node, volume };
    if (volume) {
      throw new UsageError(`${volid} is on ${node}'s storage ${storage}, which ${fixed} does not reach`,
        `restore it on ${node}: to a new guest there (--node ${node}), or move the guest there first (homelab pve migrate)`);
    }
    if (shared) break; // every node sees the same content
  }
  if (!known) throw new UsageError(`no storage ${storage} in the cluster`, 'homelab pve storage lists the storages');
  throw new UsageError(`no backup ${volid} on storage ${storage}`, `homelab pve backups ${vmid} lists the backups of guest ${vmid}`);
}

/** Checks a restore; every refusal is thrown before anything is sent or asked. */
export async function planRestore(client: PveClient, req: RestoreRequest, signal?: AbortSignal): Promise<RestorePlan> {
  const parsed = parseBackupVolid(req.volid);
  if (!parsed) throw new UsageError(`${req.volid} is not a backup volume`);
  const vmid = req.vmid ?? (req.force ? parsed.vmid : undefined);
  const found = vmid === undefined ? undefined : (await client.guests(signal)).find((g) => g.vmid === vmid);
  const guest = found && guestRefOf(found);
  if (guest && !req.force) {
    throw new UsageError(`guest ${guest.vmid}${guest.name ? ` (${guest.name})` : ''} exists: restoring over it replaces its disks and config`, 'add --force to do that, or leave out the vmid to restore to a new guest');
  }
  if (guest && req.node !== undefined && req.node !== guest.node) throw new UsageError(`${guestLabel(guest)} is on ${guest.node}: a restore over it runs there; leave out --node`);
  if (req.node !== undefined) await knownNode(client, req.node, signal, { online: true });
  const fixed = guest?.node ?? req.node;
  const { node, volume } = await locate(client, req.volid, parsed.storage, parsed.vmid, fixed, signal);
  const type = volume.subtype === 'qemu' || volume.subtype === 'lxc' ? volume.subtype : parsed.type;
  let existing: RestorePlan['existing'];
  if (guest) {
    const label = guestLabel(guest);
    if (guest.type !== type) throw new UsageError(`${label} is a ${kindOf(guest.type)} and the backup holds a ${kindOf(type)}: restore it to another id`);
    const config = await client.config(guest, signal);
    refuseProtected(guest, config, 'restore over it');
    await refuseIfLocked(client, guest, config, signal);
    if (guest.status === 'running') throw new OperationError(`${label} is running: stop it before restoring over it`, `homelab pve shutdown ${guest.vmid}`);
    existing = { guest, config };
  }
  if (req.storage !== undefined) await checkDiskStorage(client, node, req.storage, type, signal);
  return { source: { vmid: parsed.vmid, type: parsed.type }, vmid, node, type, volume, ...(existing ? { existing } : {}) };
}
