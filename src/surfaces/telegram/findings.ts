/**
 * @module surfaces/telegram/findings
 * Whether a command that ended in an error finished all the same: `check`'s errors found
 * or `plan`'s conflicts and pending changes are its result (the exit code the CLI gives
 * them), so the chat reads "✓ finished" with what was found, not "✖ failed".
 */
import { OperationError } from '../../core/errors.js';
import type { AnyOperation } from '../../core/operation.js';
import { redact } from '../../core/redact.js';
import { PendingChanges } from '../../orchestration/detailed-exitcode.js';

/**
 * Whether `err` is a run's outcome rather than a failure to run: a plain `OperationError`
 * carrying the whole result (`check: 3 errors found`, `plan`'s conflicts), or `plan
 * --detailed-exitcode`'s `PendingChanges` (the plan is the result, exit 2). Any other
 * subclass is a failure that merely keeps a result: a partial failure (some parts could not
 * be read) or a plan whose step failed; so is any error without a result.
 */
function isOutcome(err: unknown): err is OperationError {
  if (!(err instanceof OperationError) || err.result === undefined) return false;
  return err instanceof PendingChanges || Object.getPrototypeOf(err) === OperationError.prototype;
}

/**
 * What a run that completed found, when `err` is its outcome rather than a failure (see
 * `isOutcome`): its line, without the operation's own name (`3 errors found`,
 * `2 changes pending …`). Undefined for a failure.
 */
export function findings(err: unknown, op: AnyOperation): string | undefined {
  if (!isOutcome(err)) return undefined;
  const name = `${op.id.replace(/\./g, ' ')}: `;
  return redact(err.message.startsWith(name) ? err.message.slice(name.length) : err.message);
}
