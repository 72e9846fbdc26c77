/**
 * @module services/pbs/task-run
 * Starting a PBS task (GC, verify) and waiting for it with the waiter PVE uses
 * (`services/proxmox/tasks.ts`): progress from the task log, and a task that ends in
 * error fails the operation (exit 1) with the last lines of its log.
 */
import type { OpContext } from '../../core/operation.js';
import { waitForTask } from '../proxmox/tasks.js';
import type { PbsClient } from './client.js';

/** JSON shape of a started task. */
export interface TaskRun {
  upid: string;
  /** False with `--no-wait`: the task may still be running. */
  waited: boolean;
  /** `OK` or `WARNINGS: n` when waited (failures throw). */
  exitstatus: string | null;
  durationMs: number | null;
}

/** GC and verify can run long on big datastores. */
export const TASK_TIMEOUT_MS = 3_600_000;

/** Starts a task with `start` and, unless `wait` is false, waits for it. */
export async function runPbsTask(
  ctx: OpContext,
  client: PbsClient,
  label: string,
  wait: boolean,
  start: () => Promise<string>,
): Promise<TaskRun> {
  ctx.progress(`${label}: starting`);
  const upid = await start();
  if (!wait) return { upid, waited: false, exitstatus: null, durationMs: null };
  const result = await waitForTask(client, upid, {
    label, signal: ctx.signal, progress: ctx.progress, pollMs: client.settings.task_poll_ms, timeoutMs: TASK_TIMEOUT_MS,
  });
  return { upid, waited: true, exitstatus: result.exitstatus, durationMs: result.durationMs };
}
