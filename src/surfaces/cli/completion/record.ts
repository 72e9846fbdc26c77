/**
 * @module surfaces/cli/completion/record
 * After a listing succeeds on the CLI, stores the completion values its result holds
 * (`Operation.completions`) for the context it ran in, so that Tab offers them later.
 */
import { DEFAULT_CONTEXT } from '../../../core/context-name.js';
import type { AnyOperation, OpContext } from '../../../core/operation.js';
import { storeCompletions } from './cache.js';

/**
 * Stores what `op`'s result offers completion, under the context the run used (its
 * config, already loaded by the run); never throws (completion is a convenience).
 */
export function recordCompletions(op: AnyOperation, result: unknown, input: Record<string, unknown>, ctx: Pick<OpContext, 'config'>, env: NodeJS.ProcessEnv): void {
  if (!op.completions) return;
  try {
    const updates = op.completions(result, input);
    if (updates.length) storeCompletions(env, ctx.config.context ?? DEFAULT_CONTEXT, updates);
  } catch {
    // a result of an unexpected shape: no suggestions from it
  }
}
