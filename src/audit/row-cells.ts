/**
 * @module audit/row-cells
 * How an audit row's cells read, the same in `homelab audit` (and so the bot's `/audit`)
 * and on the dashboard's audit page: the operation with its place in a plan, how long it
 * took, and a failed plan's error without the plan's title.
 */
import { formatDuration } from '../core/format.js';
import type { AuditEntry } from './store.js';

/**
 * The operation, with its place in a plan: a step's key (`proxy.delete (plan step proxy:undo)`,
 * an undo's key ending in `:undo`), or the id of the plan a run applied (`expose (plan 2026…)`).
 */
export function operationText(r: Pick<AuditEntry, 'operation' | 'plan' | 'planStep'>): string {
  if (!r.plan) return r.operation;
  return r.planStep ? `${r.operation} (plan step ${r.planStep})` : `${r.operation} (plan ${r.plan})`;
}

/** A run's duration as the operations print theirs: `34 ms`, `1.8 s`, `2m 5s`; `-` when it never ended. */
export function tookText(durationMs: number | null): string {
  if (durationMs === null) return '-';
  if (durationMs < 1000) return `${durationMs} ms`;
  if (durationMs < 60_000) return `${(durationMs / 1000).toFixed(1)} s`;
  return formatDuration(durationMs / 1000);
}

/**
 * A run's error as a short line: a failed plan's own row (`expose (plan …)`) says which step
 * failed and why first (`step 3 of 3 failed: kuma: add refused …; 2 steps undone`), without
 * the plan's title (its input already says it) and the step's description (the step's own
 * row follows, under `--plan`).
 */
export function shortError(r: Pick<AuditEntry, 'error' | 'plan' | 'planStep'>): string {
  const error = r.error ?? '';
  if (!r.plan || r.planStep) return error;
  const step = /^.*?: step (\d+ of \d+) \(.*?\) failed: (.*)$/s.exec(error);
  return step ? `step ${step[1]} failed: ${step[2]}` : error;
}
