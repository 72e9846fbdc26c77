/**
 * @module services/pve/sim/tasks
 * The task engine: every long action becomes a worker with a fresh UPID that runs for
 * `taskDurationMs`, prints its log lines while it runs and then stops with `OK` (the
 * state change takes effect at that moment) or an error text, ending its log with
 * `TASK OK` / `TASK ERROR: <msg>`; a worker whose precheck fails (the guest is locked)
 * stops at once with that error. Tests can make the next matching task fail, or hold
 * matching tasks running until they release them (a slow task, without a race against a timer).
 */
import { intIn } from './noise.js';
import type { PveState, SimTask } from './state.js';
import { formatUpid } from './upid.js';

/** What a handler asks the engine to run. */
export interface TaskSpec {
  node: string;
  type: string;
  /** Object id, usually the VMID; may be empty. */
  id: string;
  /** The caller's auth id (`homelab@pve!cli`). */
  user: string;
  /** Checked when the worker starts (config locks, missing snapshots): an error text fails the task. */
  precheck?: () => string | undefined;
  /** Run when the worker starts and its precheck passed (take a config lock). */
  begin?: () => void;
  /** Lines the worker prints, spread over its run time. */
  lines?: readonly string[];
  /** Checked when the worker finishes, right before the change (guest state): an error text fails the task. */
  check?: () => string | undefined;
  /** The state change, applied when the task ends successfully. */
  apply?: () => void;
  /** Run when the worker ends, whatever the outcome (release the lock taken in `begin`). */
  end?: () => void;
}

/** A queued `failNextTask`. */
interface ForcedFailure { match: number | string; message: string }

/** A `hold`: its matching tasks, once their time is up, wait in `due` until it is released. */
interface Hold { match: number | string; due: (() => void)[] }

/** Whether a task spec matches a VMID (number, the task's id) or a task type (string). */
const matches = (match: number | string, spec: TaskSpec): boolean => (typeof match === 'number' ? String(match) === spec.id : match === spec.type);

/** Runs the simulated workers of one simulator. */
export class TaskEngine {
  private readonly forced: ForcedFailure[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private readonly finishers = new Map<string, (reason?: string) => void>();
  private readonly holds = new Set<Hold>();

  constructor(
    private readonly state: PveState,
    /** How long each task runs, read at task start (tests may change it). */
    private readonly durationMs: () => number,
  ) {}

  /** The next task for this VMID (number) or of this type (`qmstart`, `aptupdate`, …) fails with `message`. */
  failNext(match: number | string, message: string): void {
    this.forced.push({ match, message });
  }

  /**
   * Tasks for this VMID (number) or of this type started from now on keep running past
   * their duration until the returned function is called; then each ends as it would
   * have (at once when its time is up). Stopping one (`DELETE …/tasks/{upid}`) still works.
   */
  hold(match: number | string): () => void {
    const hold: Hold = { match, due: [] };
    this.holds.add(hold);
    return () => {
      this.holds.delete(hold);
      for (const finish of hold.due.splice(0)) finish();
    };
  }

  /** Starts a worker; returns its task (status `running`). */
  start(spec: TaskSpec): SimTask {
    const nowMs = Date.now();
    const starttime = Math.floor(nowMs / 1000);
    const node = this.state.nodes.get(spec.node);
    const pid = intIn(`pid-${nowMs}-${this.state.tasks.length}`, 1000, 4_194_303);
    const pstart = Math.max(1, (starttime - (node?.bootedAt ?? starttime - 3600)) * 100 + (nowMs % 100));
    const task: SimTask = {
      upid: formatUpid({ node: spec.node, pid, pstart, starttime, type: spec.type, id: spec.id, user: spec.user }),
      node: spec.node, pid, pstart, starttime, type: spec.type, id: spec.id, user: spec.user, status: 'running', log: [],
    };
    this.state.tasks.push(task);

    const forcedAt = this.forced.findIndex((f) => matches(f.match, spec));
    const forced = forcedAt >= 0 ? this.forced.splice(forcedAt, 1)[0]?.message : undefined;
    const early = spec.precheck?.();
    if (!early) spec.begin?.();

    const held = early ? undefined : [...this.holds].find((h) => matches(h.match, spec));
    const duration = Math.max(0, this.durationMs());
    const lines = early ? [] : spec.lines ?? [];
    const timers = lines.map((line, i) => setTimeout(() => task.log.push(line), (duration * (i + 1)) / (lines.length + 1)));
    const finish = (interrupted?: string): void => {
      if (task.status === 'stopped') return; // a held task stopped before its release
      for (const t of this.timers.get(task.upid) ?? []) clearTimeout(t);
      this.timers.delete(task.upid);
      this.finishers.delete(task.upid);
      if (interrupted === undefined) for (const line of lines.slice(task.log.length)) task.log.push(line);
      const error = interrupted ?? forced ?? early ?? spec.check?.();
      if (!error) spec.apply?.();
      if (!early) spec.end?.();
      task.log.push(error ? `TASK ERROR: ${error}` : 'TASK OK');
      task.exitstatus = error ?? 'OK';
      task.endtime = Math.max(starttime, Math.floor(Date.now() / 1000));
      task.status = 'stopped';
    };
    // A worker that fails its first check (a lock, a missing snapshot) ends at once, as PVE's does.
    timers.push(setTimeout(() => (held && this.holds.has(held) ? held.due.push(() => finish()) : finish()), early ? 0 : duration));
    this.timers.set(task.upid, timers);
    this.finishers.set(task.upid, finish);
    return task;
  }

  /** Stops a running task as `DELETE /nodes/{node}/tasks/{upid}` does (SIGTERM to the worker). */
  stop(upid: string): void {
    this.finishers.get(upid)?.('received interrupt');
  }

  /** Cancels every pending timer (simulator shutdown). */
  close(): void {
    for (const list of this.timers.values()) for (const t of list) clearTimeout(t);
    this.timers.clear();
    this.finishers.clear();
    this.holds.clear();
  }
}
