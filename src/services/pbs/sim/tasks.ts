/**
 * @module services/pbs/sim/tasks
 * The simulator's task list: seeded history plus tasks started over the API. A started
 * task is `running` until its deadline passes; the next request that looks at tasks
 * settles it (no timers), which runs its `finish` to decide the exit status and update
 * whatever it changed (GC status, verify states).
 */
import { formatUpid } from './upid.js';

/** How a task ended: `OK`, `WARNINGS: n`, or the error message itself (pbs.md §5). */
export type ExitStatus = string;

/** The outcome a running task's `finish` returns. */
export interface TaskOutcome {
  exitstatus: ExitStatus;
  /** Log lines added before the final `TASK …` line. */
  lines: string[];
}

/** One task. */
export interface SimTask {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  workerType: string;
  workerId?: string;
  authId: string;
  endtime?: number;
  exitstatus?: ExitStatus;
  log: string[];
  /** Epoch ms at which a running task finishes. */
  finishAtMs?: number;
  finish?: (task: SimTask) => TaskOutcome;
}

/** The final log line for an exit status. */
export function taskEndLine(exitstatus: ExitStatus): string {
  return exitstatus === 'OK' || exitstatus.startsWith('WARNINGS: ') ? `TASK ${exitstatus}` : `TASK ERROR: ${exitstatus}`;
}

/** The `statusfilter` class of a task: ok, warning, error or unknown. */
export function statusClass(task: SimTask): 'ok' | 'warning' | 'error' | 'unknown' | 'running' {
  if (task.exitstatus === undefined) return 'running';
  if (task.exitstatus === 'OK') return 'ok';
  if (task.exitstatus.startsWith('WARNINGS: ')) return 'warning';
  if (task.exitstatus === 'unknown') return 'unknown';
  return 'error';
}

/** Where new tasks get their ids. */
export interface TaskStoreOptions {
  node: string;
  pid: number;
  pstart: number;
}

/** All tasks of the simulated server. */
export class TaskStore {
  readonly tasks: SimTask[] = [];
  private nextId = 1;

  constructor(private readonly options: TaskStoreOptions) {}

  /** Adds a finished task (seeded history). */
  addFinished(t: { starttime: number; endtime: number; workerType: string; workerId?: string; authId: string; exitstatus: ExitStatus; lines: string[] }): SimTask {
    const task = this.make(t.starttime, t.workerType, t.workerId, t.authId);
    task.endtime = t.endtime;
    task.exitstatus = t.exitstatus;
    task.log = [...t.lines, taskEndLine(t.exitstatus)];
    this.tasks.push(task);
    return task;
  }

  /** Starts a task that finishes `durationMs` from now. */
  start(workerType: string, workerId: string | undefined, authId: string, durationMs: number, lines: string[], finish: (task: SimTask) => TaskOutcome): SimTask {
    const now = Date.now();
    const task = this.make(Math.floor(now / 1000), workerType, workerId, authId);
    task.log = [...lines];
    task.finishAtMs = now + durationMs;
    task.finish = finish;
    this.tasks.push(task);
    return task;
  }

  /** Finishes every running task whose deadline has passed. */
  settle(nowMs = Date.now()): void {
    for (const task of this.tasks) {
      if (task.exitstatus === undefined && task.finishAtMs !== undefined && task.finishAtMs <= nowMs) this.end(task, task.finish?.(task) ?? { exitstatus: 'OK', lines: [] });
    }
  }

  /** Ends a running task now with the given outcome (abort uses this too). */
  end(task: SimTask, outcome: TaskOutcome): void {
    if (task.exitstatus !== undefined) return;
    task.log.push(...outcome.lines, taskEndLine(outcome.exitstatus));
    task.exitstatus = outcome.exitstatus;
    task.endtime = Math.max(task.starttime, Math.floor(Date.now() / 1000));
    delete task.finishAtMs;
    delete task.finish;
  }

  /** The task with this UPID. */
  get(upid: string): SimTask | undefined {
    this.settle();
    return this.tasks.find((t) => t.upid === upid);
  }

  private make(starttime: number, workerType: string, workerId: string | undefined, authId: string): SimTask {
    const taskId = this.nextId++;
    const { node, pid, pstart } = this.options;
    const upid = formatUpid({ node, pid, pstart, taskId, starttime, workerType, workerId, authId });
    return { upid, node, pid, pstart, starttime, workerType, ...(workerId !== undefined ? { workerId } : {}), authId, log: [] };
  }
}
