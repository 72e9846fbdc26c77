/**
 * @module surfaces/telegram/findings
 * Whether a command that ended in an error finished all the same: `check`'s errors found
 * or `plan`'s conflicts and pending changes are its result (the exit code the CLI gives
 * them), so the chat reads "✓ finished" with what was found, not "✖ failed"
 * (orchestration/run-outcome decides which errors are outcomes).
 */
import type { AnyOperation } from '../../core/operation.js';
import { redact } from '../../core/redact.js';
import { isRunOutcome } from '../../orchestration/run-outcome.js';

/**
 * What a run that completed found, when `err` is its outcome rather than a failure (see
 * `isRunOutcome`): its line, without the operation's own name (`3 errors found`,
 * `2 changes pending …`). Undefined for a failure.
 */
export function findings(err: unknown, op: AnyOperation): string | undefined {
  if (!isRunOutcome(err)) return undefined;
  const name = `${op.id.replace(/\./g, ' ')}: `;
  return redact(err.message.startsWith(name) ? err.message.slice(name.length) : err.message);
}
