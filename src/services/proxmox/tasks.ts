/**
 * @module services/proxmox/tasks
 * Waiting on Proxmox tasks (PVE and PBS share the protocol): poll the task status until
 * `stopped`, then judge by `exitstatus` — not by `status`, which is `stopped` for failed
 * tasks too. A task that did not end exactly `OK` fails with the last lines of its log:
 * `WARNINGS: n` too (decision: a task the user waited on that needed attention exits 1;
 * task lists still show warnings apart from errors, see `isTaskOk`).
 */
import { CancelledError, OperationError, TimeoutError } from '../../core/errors.js';

/** Task status as both APIs return it. */
export interface TaskStatus {
  status: 'running' | 'stopped' | string;
  exitstatus?: string;
}

/** What the waiter needs from a PVE or PBS client. */
export interface TaskApi {
  service: string;
  taskStatus(upid: string, signal?: AbortSignal): Promise<TaskStatus>;
  /** Log lines from line `start` (0-based). */
  taskLog(upid: string, start: number, limit: number, signal?: AbortSignal): Promise<{ lines: string[]; total: number }>;
}

/** Result of a finished task. */
export interface TaskResult {
  upid: string;
  /** `OK`, `WARNINGS: n`, or the error text. */
  exitstatus: string;
  ok: boolean;
  durationMs: number;
}

/** Options of `waitForTask`. */
export interface WaitOptions {
  signal?: AbortSignal;
  /** Called with the newest log line while the task runs. */
  progress?: (note: string) => void;
  /** Longest pause between polls; polling starts at 250 ms and backs off to this. Default 1000 ms. */
  pollMs?: number;
  /** Give up after this long (the task keeps running on the server). Default 10 minutes. */
  timeoutMs?: number;
  /** How the task is named in messages ("start of VM 105"). */
  label: string;
}

/** Whether a listed task's exit status is not an error (`OK` or `WARNINGS: n`); waiting is stricter. */
export function isTaskOk(exitstatus: string | undefined): boolean {
  return exitstatus === 'OK' || (exitstatus?.startsWith('WARNINGS') ?? false);
}

/**
 * Waiting for a task stopped (Ctrl-C, a cancel) while the task carries on on the server:
 * the message names it and its UPID, and the hint says how to follow it. Still a
 * CancelledError (exit 1), as every interrupted run.
 */
export class TaskLeftRunningError extends CancelledError {
  override readonly hint: string;
  constructor(reason: string, readonly service: string, readonly upid: string, label: string) {
    super(`${reason}; ${label} is still running on ${service}: task ${upid}`);
    this.hint = `follow it with homelab ${service} tasks (or in the ${service === 'pbs' ? 'Proxmox Backup Server' : 'Proxmox VE'} web UI, under Tasks); stopping the wait did not stop the task`;
  }
}

/**
 * Polls a task until it stops; throws OperationError (exit 1) with the log tail when it
 * failed, and TaskLeftRunningError when the wait is cancelled before the task ends.
 */
export async function waitForTask(api: TaskApi, upid: string, options: WaitOptions): Promise<TaskResult> {
  try {
    return await poll(api, upid, options);
  } catch (err) {
    // Only the wait's own cancellation leaves the task running: a task that failed (or any
    // other error) stays what it is, even when the signal aborted just after.
    const reason: unknown = options.signal?.aborted ? options.signal.reason : undefined;
    const cancelled = err instanceof CancelledError || (err as { name?: string } | null)?.name === 'AbortError';
    if (reason instanceof CancelledError && cancelled && !(err instanceof TaskLeftRunningError)) throw new TaskLeftRunningError(reason.message, api.service, upid, options.label);
    throw err;
  }
}

async function poll(api: TaskApi, upid: string, options: WaitOptions): Promise<TaskResult> {
  const started = Date.now();
  const maxPollMs = options.pollMs ?? 1000;
  let pollMs = Math.min(250, maxPollMs);
  const deadline = started + (options.timeoutMs ?? 600_000);
  let seenLines = 0;
  for (;;) {
    const status = await api.taskStatus(upid, options.signal);
    if (options.progress) {
      const log = await api.taskLog(upid, seenLines, 50, options.signal).catch(() => undefined);
      if (log && log.lines.some((l) => l !== 'no content')) {
        seenLines += log.lines.length;
        // PVE logs "no content" for a task that has written nothing yet.
        const last = log.lines.filter((l) => l.trim() && l !== 'no content').at(-1);
        if (last && status.status !== 'stopped') options.progress(`${options.label}: ${last}`);
      } else if (status.status !== 'stopped') {
        options.progress(`${options.label}: running (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    }
    if (status.status === 'stopped') {
      const exitstatus = status.exitstatus ?? 'unexpected status';
      const result = { upid, exitstatus, ok: exitstatus === 'OK', durationMs: Date.now() - started };
      if (!result.ok) {
        const tail = await lastLines(api, upid, options.signal);
        const what = isTaskOk(exitstatus) ? 'finished with warnings' : 'failed';
        throw new OperationError(`${options.label} ${what}: ${exitstatus}`, `task ${upid}`, tail);
      }
      return result;
    }
    if (Date.now() > deadline) throw new TimeoutError(api.service, options.timeoutMs ?? 600_000, `waiting for ${options.label}`);
    await pause(pollMs, options.signal);
    pollMs = Math.min(maxPollMs, pollMs * 2);
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted');
  }
}

async function lastLines(api: TaskApi, upid: string, signal?: AbortSignal, count = 10): Promise<string[]> {
  try {
    const head = await api.taskLog(upid, 0, 1, signal);
    const start = Math.max(0, head.total - count);
    return (await api.taskLog(upid, start, count, signal)).lines;
  } catch {
    return [];
  }
}

/** Waits `ms`, or less when `signal` aborts (the caller then sees it aborted). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
