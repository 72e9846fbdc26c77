/**
 * @module surfaces/web/read-run
 * Runs a read operation for a page: validated with the operation's `parseInput`, run
 * through `runParsed` as the page's user in the page's lab, under the operation's time limit (or the
 * server's). A failure is returned, never thrown, so one section failing never breaks
 * the page; a partial failure keeps its result. Reads only: a page load never changes
 * anything, whatever the URL says.
 */
import { OperationError, TimeoutError } from '../../core/errors.js';
import { parseInput, runParsed } from '../../core/invoke.js';
import type { Lab } from '../../core/lab-set.js';
import type { AnyOperation } from '../../core/operation.js';
import { webContext, type WebState } from './state.js';

/** How a read went: its result, or its error (with a partial result when there is one). */
export type ReadOutcome = { ok: true; value: unknown; input: Record<string, unknown> } | { ok: false; error: unknown; input: Record<string, unknown>; value?: unknown };

/** Runs read operation `op` with `raw` input as `user` in `lab`. */
export async function runRead(state: WebState, lab: Lab, op: AnyOperation, raw: Record<string, unknown>, user: string, timeoutMs?: number): Promise<ReadOutcome> {
  if (op.risk !== 'read') return { ok: false, error: new OperationError(`${op.id} is not a read operation`), input: {} };
  let input: Record<string, unknown>;
  try {
    input = parseInput(op, raw);
  } catch (error) {
    return { ok: false, error, input: {} };
  }
  const limitMs = timeoutMs ?? op.timeoutMs ?? state.options.timeoutMs;
  const signal = AbortSignal.timeout(limitMs);
  try {
    const value = await runParsed(op, input, webContext(state, user, signal, undefined, lab));
    return { ok: true, value, input };
  } catch (error) {
    const e = signal.aborted ? new TimeoutError(op.id, limitMs, 'operation') : error;
    return { ok: false, error: e, input, ...(e instanceof OperationError && e.result !== undefined ? { value: e.result } : {}) };
  }
}
