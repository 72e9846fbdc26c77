/**
 * @module services/pbs/sim/gc-state
 * Garbage collection: the counters of the last completed run, the job status (last
 * run's state, end time, duration, next run), and starting a run as a task. A second
 * run while one is going fails at once with PBS's lock error; a run warns while a
 * snapshot still needs a missing chunk; `knobs.failNext.gc` makes the next run fail.
 */
import { gcLog } from './logs.js';
import { compact, nextDaily } from './route.js';
import type { GcCounters, PbsSimState, SimDatastore } from './state.js';
import type { SimTask } from './tasks.js';

/** The message a GC run fails with when the `failNext.gc` knob is set to `true`. */
export const DEFAULT_GC_FAILURE = 'update atime failed for chunk/file "/mnt/datastore/main/.chunks/6e0f/6e0f52a1c3d4b5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0" - EIO: I/O error';

function gcTasks(state: PbsSimState, ds: SimDatastore): SimTask[] {
  return state.tasks.tasks.filter((t) => t.workerType === 'garbage_collection' && t.workerId === ds.name);
}

/** GarbageCollectionStatus: the counters plus the UPID of the run that produced them. */
export function gcCountersWithUpid(state: PbsSimState, ds: SimDatastore): GcCounters & { upid?: string } {
  state.tasks.settle();
  const done = gcTasks(state, ds).filter((t) => t.exitstatus === 'OK' || t.exitstatus?.startsWith('WARNINGS: ')).at(-1);
  return compact({ upid: done?.upid, ...ds.gc.counters });
}

/** GarbageCollectionJobStatus of one store. */
export function gcJobStatus(state: PbsSimState, ds: SimDatastore): Record<string, unknown> {
  const last = ds.gc.lastUpid ? state.tasks.get(ds.gc.lastUpid) : undefined;
  const { upid: _done, ...counters } = gcCountersWithUpid(state, ds);
  const finished = last?.exitstatus !== undefined && last.endtime !== undefined;
  return compact({
    store: ds.name,
    upid: last?.upid,
    schedule: ds.gc.schedule,
    'next-run': nextDaily(),
    'last-run-state': finished ? last.exitstatus : undefined,
    'last-run-endtime': finished ? last.endtime : undefined,
    duration: finished ? (last.endtime as number) - last.starttime : undefined,
    ...counters,
  });
}

/** Starts a GC run on `ds` as `authId`; returns the new task. */
export function startGc(state: PbsSimState, ds: SimDatastore, authId: string): SimTask {
  state.tasks.settle();
  const running = gcTasks(state, ds).some((t) => t.exitstatus === undefined);
  const failure = state.knobs.failNext.gc;
  if (!running) delete state.knobs.failNext.gc;
  const task = state.tasks.start('garbage_collection', ds.name, authId, running ? 0 : state.knobs.taskDurationMs, [`starting garbage collection on store ${ds.name}`], () => {
    if (running) return { exitstatus: 'Start GC failed - (already running/locked)', lines: [] };
    if (failure) {
      const message = failure === true ? DEFAULT_GC_FAILURE : failure;
      return { exitstatus: message, lines: ['Start GC phase1 (mark used chunks)', `marked 25% (${Math.round(ds.gc.counters['index-file-count'] / 4)} of ${ds.gc.counters['index-file-count']} index files)`] };
    }
    const broken = ds.snapshots.find((s) => s.type === ds.brokenChunk?.type && s.id === ds.brokenChunk.id && s.time === ds.brokenChunk.time);
    ds.gc.counters = { ...ds.gc.counters, 'removed-bytes': 41_943_040, 'removed-chunks': 16, 'pending-bytes': 0, 'pending-chunks': 0 };
    const lines = gcLog(ds, broken).slice(1);
    return { exitstatus: broken ? 'WARNINGS: 1' : 'OK', lines };
  });
  if (!running) ds.gc.lastUpid = task.upid;
  return task;
}
