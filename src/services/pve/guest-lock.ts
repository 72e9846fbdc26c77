/**
 * @module services/pve/guest-lock
 * Locked guests, client side. While a task works on a guest (backup, clone, migration,
 * snapshot, …) PVE writes `lock: <kind>` into its config and refuses other changes with
 * `VM is locked (backup)`: a 500 from the call when the handler checks, a failed task
 * when the worker does. Either way the user gets one clear line naming the lock and,
 * when it can be found, the task holding it, instead of a raw 500.
 */
import { z } from 'zod';
import { HomelabError, OperationError } from '../../core/errors.js';
import type { PveClient } from './client.js';
import type { GuestRef } from './schemas.js';

const LOCKED = /\b(?:VM|CT) is locked \(([\w-]+)\)/;

/** The lock kind named in a PVE message or task exit status (`backup` in `VM is locked (backup)`). */
export function lockInMessage(text: string): string | undefined {
  return LOCKED.exec(text)?.[1];
}

/** How a guest is named in messages: `VM 201 (media)`. */
export function guestLabel(guest: Pick<GuestRef, 'type' | 'vmid' | 'name'>): string {
  return `${guest.type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid}${guest.name ? ` (${guest.name})` : ''}`;
}

const activeTaskSchema = z.array(z.looseObject({ upid: z.string(), type: z.string().optional(), id: z.string().optional() }));

/** Task types that take each lock (a clone's task carries the source's id, not the clone's). */
const LOCK_TASKS: Record<string, string[]> = {
  backup: ['vzdump'], clone: ['qmclone', 'vzclone'], create: ['vzcreate', 'qmcreate', 'vzrestore', 'qmrestore', 'vzclone'],
  migrate: ['qmigrate', 'vzmigrate'], disk: ['vzclone', 'qmmove', 'move_volume'], snapshot: ['qmsnapshot', 'vzsnapshot'],
  'snapshot-delete': ['qmdelsnapshot', 'vzdelsnapshot'], rollback: ['qmrollback', 'vzrollback'],
};

/**
 * The running task holding the guest's lock, if the node lists one: a task on this
 * guest's id, else a running task of a type that takes this lock.
 */
export async function taskHoldingLock(client: PveClient, guest: GuestRef, lock: string, signal?: AbortSignal): Promise<{ upid: string; type: string } | undefined> {
  try {
    const tasks = await client.get(`/nodes/${encodeURIComponent(guest.node)}/tasks`, activeTaskSchema, { source: 'active' }, signal);
    const kinds = LOCK_TASKS[lock] ?? [];
    const task = tasks.find((t) => t.id === String(guest.vmid) && (kinds.length === 0 || kinds.includes(t.type ?? '')))
      ?? tasks.find((t) => t.id === String(guest.vmid))
      ?? tasks.find((t) => kinds.includes(t.type ?? ''));
    return task ? { upid: task.upid, type: task.type ?? 'task' } : undefined;
  } catch {
    // Naming the task is a courtesy: the refusal stands without it.
    return undefined;
  }
}

/** The guest's lock as the cluster shows it now (undefined: unlocked, or gone); `lock` when it cannot be read. */
async function currentLock(client: PveClient, guest: GuestRef, lock: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    // Cluster resources, not the config: a migration that just ended moved the config to another node.
    const now = (await client.guests(signal)).find((g) => g.vmid === guest.vmid);
    return now?.lock || undefined;
  } catch {
    return lock;
  }
}

/**
 * The refusal for a locked guest: the lock, the task holding it (when found) and what to
 * do. When no running task holds it, the lock is read again: a task that ended between
 * the refusal and now released it (try again); a lock still there with no task is a
 * leftover of a task that died (`qm unlock` / `pct unlock`).
 */
export async function lockedError(client: PveClient, guest: GuestRef, lock: string, signal?: AbortSignal): Promise<OperationError> {
  const task = await taskHoldingLock(client, guest, lock, signal);
  if (task) {
    return new OperationError(`${guestLabel(guest)} is locked (${lock}): ${task.type} task ${task.upid} holds it`,
      `wait for that task to finish (homelab pve tasks --node ${guest.node}), then try again`);
  }
  const now = await currentLock(client, guest, lock, signal);
  if (now === undefined) {
    return new OperationError(`${guestLabel(guest)} was locked (${lock}) by a task that has just finished`, 'the lock is released now: try again');
  }
  const unlock = `${guest.type === 'qemu' ? 'qm' : 'pct'} unlock ${guest.vmid}`;
  return new OperationError(`${guestLabel(guest)} is locked (${now})`,
    `no running task holds it: if an earlier task died, clear it on ${guest.node} with \`${unlock}\``);
}

/** Refuses before sending anything when a config just read carries a lock. */
export async function refuseIfLocked(client: PveClient, guest: GuestRef, config: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
  if (typeof config.lock === 'string' && config.lock) throw await lockedError(client, guest, config.lock, signal);
}

/**
 * Runs `work` (a call, or a call and the wait for its task); a lock refusal from PVE,
 * as an API error or as a task's exit status, becomes `lockedError`.
 */
export async function explainLock<T>(client: PveClient, guest: GuestRef, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const lock = err instanceof HomelabError ? lockInMessage(err.message) : undefined;
    if (lock) throw await lockedError(client, guest, lock, signal);
    throw err;
  }
}
