/**
 * @module test/services/pve/slow-tasks
 * For the tests that stop the CLI while it waits for a PVE task: the simulator's tasks made
 * slow for a while, and a predicate that holds once a task of a kind started since is running.
 */
import type { PveSim } from '../../../src/services/pve/sim/index.js';

/** Runs `fn` with `sim`'s tasks taking 8 s, so a stop lands while the CLI waits for one; the duration is put back after. */
export async function withSlowTasks<T>(sim: PveSim, fn: () => Promise<T>): Promise<T> {
  const before = sim.options.taskDurationMs;
  sim.options.taskDurationMs = 8000;
  try {
    return await fn();
  } finally {
    sim.options.taskDurationMs = before;
  }
}

/** Whether a task of `type` (`qmclone`, `vzcreate`, …) started on `sim` after this call is running. */
export function taskRunningFromNow(sim: PveSim, type: string): () => boolean {
  const from = sim.state.tasks.length;
  return () => sim.state.tasks.slice(from).some((t) => t.type === type && t.status === 'running');
}
