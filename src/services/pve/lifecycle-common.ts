/**
 * @module services/pve/lifecycle-common
 * Pieces the lifecycle operations share: the node a node-scoped command works on, the
 * `TaskRun` lines of their human output, and the `--no-wait` refusal for follow-up steps.
 */
import { UsageError } from '../../core/errors.js';
import { fields, text, type Block } from '../../core/render.js';
import type { PveClient } from './client.js';
import type { TaskRun } from './task-outcome.js';

/** `--node`, else `services.pve.node`, else the first online node. */
export async function pickNode(client: PveClient, wanted: string | undefined, signal?: AbortSignal): Promise<string> {
  if (wanted) return wanted;
  if (client.settings.node) return client.settings.node;
  const online = (await client.nodes(signal)).filter((n) => n.status === 'online').map((n) => n.node).sort();
  const first = online[0];
  if (!first) throw new UsageError('no online node to work on', 'give one with --node');
  return first;
}

/** Refuses `--no-wait` together with steps that need the task to have finished. */
export function refuseNoWait(wait: boolean, steps: string[]): void {
  if (!wait && steps.length > 0) {
    throw new UsageError(`${steps.join(', ')} need the task to finish first; drop --no-wait`);
  }
}

/** Human lines of a task run: the UPID when not waited, `OK in 1.2 s` otherwise. */
export function taskRunBlocks(what: string, run: TaskRun): Block[] {
  if (!run.waited) return [text(`${what}: task started`), fields([['upid', run.upid]])];
  const secs = run.durationMs === null ? '' : ` in ${(run.durationMs / 1000).toFixed(1)} s`;
  return [text(`${what}: ${run.exitstatus ?? 'done'}${secs}`, 'ok')];
}
