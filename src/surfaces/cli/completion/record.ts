/**
 * @module surfaces/cli/completion/record
 * After a listing succeeds on the CLI, stores the completion values its result holds
 * (`Operation.completions`) for the context it ran in, so that Tab offers them later.
 */
import type { AnyOperation } from '../../../core/operation.js';
import { storeCompletions } from './cache.js';
import { readConfigValues, selectedContext } from './config-values.js';

/** Stores what `op`'s result offers completion; never throws (completion is a convenience). */
export function recordCompletions(op: AnyOperation, result: unknown, input: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  if (!op.completions) return;
  try {
    const updates = op.completions(result, input);
    if (updates.length) storeCompletions(env, selectedContext(readConfigValues(env), env), updates);
  } catch {
    // a result of an unexpected shape: no suggestions from it
  }
}
