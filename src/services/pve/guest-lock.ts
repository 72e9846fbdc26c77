/**
 * @module services/pve/guest-lock
 * Locked guests, client side. While a task works on a guest (backup, clone, migration,
 * snapshot, …) PVE writes `lock: <kind>` into its config and refuses other changes with
 * `VM is locked (backup)`: a 500 from the call when the handler checks, a failed task
 * when the worker does. Either way the user gets one clear line naming the lock and,
 * when it can be found, the task holding it (or, when no task can be tied to the guest,
 * the running tasks that may hold it, said to be a guess), instead of a raw 500.
 */
import { z } from 'zod';
import { HomelabError, OperationError } from '../../core/errors.js';
import { guestLabel } from '../../core/guest-label.js';
import type { PveClient } from './client.js';
import type { GuestRef } from './schemas.js';

const LOCKED = /\b(?:VM|CT) is locked \(([\w-]+)\)/;

/** The lock kind named in a PVE message or task exit status (`backup` in `VM is locked (backup)`). */
export function lockInMessage(text: string): string | undefined {
  return LOCKED.exec(text)?.[1];
}

/** How a guest is named in messages: `VM 201 (media)` (core/guest-label, re-exported for the pve operations). */
export { guestLabel };

const activeTaskSchema = z.array(z.looseObject({ upid: z.string(), type: z.string().optional(), id: z.string().optional() }));

/** Task types that take each lock (a clone's task carries the source's id, not the clone's). */
const LOCK_TASKS: Record<string, string[]> = {
  backup: ['vzdump'], clone: ['qmclone', 'vzclone'], create: ['vzcreate', 'qmcreate', 'vzrestore', 'qmrestore', 'vzclone'],
  migrate: ['qmigrate', 'vzmigrate'], disk: ['vzclone', 'qmmove', 'move_volume'], snapshot: ['qmsnapshot', 'vzsnapshot'],
  'snapshot-delete': ['qmdelsnapshot', 'vzdelsnapshot'], rollback: ['qmrollback', 'vzrollback'],
};

/** A running task that holds, or may hold, a guest's lock. */
export interface LockHolder {
  upid: string;
  type: string;
  /** Tied to this guest by its id; false: only a task of a kind that takes this lock. */
  own: boolean;
}

/**
 * The running tasks that may hold the guest's lock, as the node lists them: the task on
 * this guest's id when there is one (`own`); else every running task of a kind that takes
 * this lock (a clone's task carries its source's id, so the clone's own lock cannot be tied
 * to it), none of them certain.
 */
export async function tasksHoldingLock(client: PveClient, guest: GuestRef, lock: string, signal?: AbortSignal): Promise<LockHolder[]> {
  try {
    const tasks = await client.get(`/nodes/${encodeURIComponent(guest.node)}/tasks`, activeTaskSchema, { source: 'active' }, signal);
    const kinds = LOCK_TASKS[lock] ?? [];
    const own = tasks.find((t) => t.id === String(guest.vmid) && (kinds.length === 0 || kinds.includes(t.type ?? '')))
      ?? tasks.find((t) => t.id === String(guest.vmid));
    if (own) return [{ upid: own.upid, type: own.type ?? 'task', own: true }];
    return tasks.filter((t) => kinds.includes(t.type ?? '')).map((t) => ({ upid: t.upid, type: t.type ?? 'task', own: false }));
  } catch {
    // Naming the task is a courtesy: the refusal stands without it.
    return [];
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
  const holders = await tasksHoldingLock(client, guest, lock, signal);
  const [first] = holders;
  const wait = (what: string): string => `wait for ${what} to finish (homelab pve tasks --node ${guest.node}), then try again`;
  if (first?.own) return new OperationError(`${guestLabel(guest)} is locked (${lock}): ${first.type} task ${first.upid} holds it`, wait('that task'));
  if (first && holders.length === 1) {
    return new OperationError(`${guestLabel(guest)} is locked (${lock}); no task of its own is running, but a ${first.type} task is on ${guest.node}, maybe that one: ${first.upid}`, wait('it'));
  }
  if (first) {
    return new OperationError(`${guestLabel(guest)} is locked (${lock}); no task of its own is running, but ${holders.length} tasks that take this lock are on ${guest.node}, one of them maybe: ${holders.map((h) => h.upid).join(', ')}`,
      wait('them'));
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
