/**
 * @module services/pbs/gc
 * The GC status of one datastore as the operations report it. PBS 4 sends the last
 * run's state (`last-run-state`); older servers only the UPID of the last run, whose
 * task status then gives the state.
 */
import { isTaskOk } from '../proxmox/tasks.js';
import type { PbsClient } from './client.js';
import type { GcHealth } from './health.js';

/** JSON shape of a datastore's GC status (`pbs gc`, and `gc` in `pbs status`). */
export interface GcSummary extends GcHealth {
  store: string;
  /** Calendar event, e.g. `daily`. */
  schedule: string | null;
  /** Bytes on disk after the last run, and the data they hold before deduplication. */
  diskBytes: number | null;
  indexDataBytes: number | null;
}

/** Reads the GC status of `store`. */
export async function gcSummary(client: PbsClient, store: string, signal?: AbortSignal): Promise<GcSummary> {
  const gc = await client.gcStatus(store, signal);
  let state = gc['last-run-state'] ?? null;
  let endtime = gc['last-run-endtime'] ?? null;
  let running = false;
  if (gc.upid && !state) {
    const task = await client.taskStatus(gc.upid, signal).catch(() => undefined);
    running = task?.status === 'running';
    if (task && !running) {
      state = task.exitstatus ?? null;
      endtime = typeof task.endtime === 'number' ? task.endtime : null;
    }
  }
  return {
    store, state, ok: state === null ? null : isTaskOk(state), running, upid: gc.upid ?? null, endtime,
    durationSeconds: gc.duration ?? null, nextRun: gc['next-run'] ?? null,
    removedBytes: gc['removed-bytes'] ?? null, pendingBytes: gc['pending-bytes'] ?? null,
    schedule: gc.schedule ?? null, diskBytes: gc['disk-bytes'] ?? null, indexDataBytes: gc['index-data-bytes'] ?? null,
  };
}
