/**
 * @module services/pve/task-outcome
 * The result every task-starting pve operation returns, and the one function that
 * starts the task and (unless `--no-wait`) waits for it with progress.
 */
import type { OpContext } from '../../core/operation.js';
import { fields, text, type Rendered } from '../../core/render.js';
import { waitForTask } from '../proxmox/tasks.js';
import type { PveClient } from './client.js';
import { explainLock, guestLabel } from './guest-lock.js';
import type { GuestRef } from './schemas.js';

/** JSON shape of power and snapshot operations. */
export interface TaskOutcome {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  /** What was done: `start`, `snapshot`, `rollback`, … */
  action: string;
  upid: string;
  /** False with `--no-wait`: the task may still be running. */
  waited: boolean;
  /** `OK` or `WARNINGS: n` when waited (failures throw). */
  exitstatus: string | null;
  durationMs: number | null;
}

/** A task started and (unless `--no-wait`) waited for. */
export interface TaskRun {
  upid: string;
  /** False with `--no-wait`: the task may still be running. */
  waited: boolean;
  /** `OK` when waited (anything else throws with the log's last lines). */
  exitstatus: string | null;
  durationMs: number | null;
}

/**
 * How long the tasks that copy whole disks (backup, restore, migration, clone, a template
 * download) are waited for: a large guest's backup takes hours, and giving up after the
 * usual 10 minutes would report a failure while the task carries on. Ctrl-C stops waiting
 * sooner (the task keeps running on the server either way).
 */
export const LONG_TASK_MS = 4 * 3_600_000;

/**
 * Starts any task with `start` (progress `<label>: starting`), then, unless `wait` is
 * false, waits for it with progress from its log and fails unless `exitstatus` is OK.
 * `timeoutMs`: how long to wait (default 10 minutes; LONG_TASK_MS for disk copies).
 */
export async function runTask(ctx: OpContext, client: PveClient, label: string, wait: boolean, start: () => Promise<string>, timeoutMs?: number): Promise<TaskRun> {
  ctx.progress(`${label}: starting`);
  const upid = await start();
  if (!wait) return { upid, waited: false, exitstatus: null, durationMs: null };
  const result = await waitForTask(client, upid, { label, signal: ctx.signal, progress: ctx.progress, pollMs: client.settings.task_poll_ms, timeoutMs });
  return { upid, waited: true, exitstatus: result.exitstatus, durationMs: result.durationMs };
}

/**
 * Starts a task on a guest with `start`, then waits for it unless `wait` is false. A lock
 * refusal (from the call or as the task's exit status) names the lock and its task.
 */
export async function runGuestTask(
  ctx: OpContext,
  client: PveClient,
  guest: GuestRef,
  action: string,
  wait: boolean,
  start: () => Promise<string>,
): Promise<TaskOutcome> {
  const label = `${action} of ${guestLabel(guest)}`;
  const run = await explainLock(client, guest, () => runTask(ctx, client, label, wait, start), ctx.signal);
  return { vmid: guest.vmid, name: guest.name, type: guest.type, node: guest.node, action, ...run };
}

/** Human form of a task outcome. */
export function renderTaskOutcome(o: TaskOutcome): Rendered {
  const what = `${o.action} ${o.type === 'qemu' ? 'VM' : 'CT'} ${o.vmid}${o.name ? ` (${o.name})` : ''} on ${o.node}`;
  if (!o.waited) return [text(`${what}: task started`), fields([['upid', o.upid]])];
  const secs = o.durationMs === null ? '' : ` in ${(o.durationMs / 1000).toFixed(1)} s`;
  return [text(`${what}: ${o.exitstatus}${secs}`, o.exitstatus === 'OK' ? 'ok' : 'warn')];
}
