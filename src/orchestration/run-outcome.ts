/**
 * @module orchestration/run-outcome
 * Which failed runs are answers rather than failures, for the surfaces that say so in
 * their own terms (the bot's "✓ finished", MCP's result without `isError`). A consistency
 * check that found problems did its job: the CLI's exit 1 for `check: 6 errors found` is a
 * linter's convention, not "the tool broke".
 *
 * - a plain `OperationError` (that very class, not a subclass) carrying the whole result:
 *   `check`'s errors found, `plan`'s objects in the way;
 * - `PendingChanges` (`plan --detailed-exitcode`: the plan is the result).
 *
 * Everything else is a failure, result or not: a `PartialFailureError` (a fan-out whose part
 * could not run: `status` or `check` with a service down, `updates check` with a target
 * unreachable, `pbs verify` finding broken snapshots), a `PlanFailedError` (a step failed,
 * the rest undone), and every error without a result. An operation that wants its findings
 * read as an answer throws the plain class with its result; one that failed to do part of
 * its work throws a subclass (core/errors).
 */
import { OperationError } from '../core/errors.js';
import { PendingChanges } from './detailed-exitcode.js';

/** Whether `err` is a run's answer (findings, pending changes) rather than a failure to run; see the module comment. */
export function isRunOutcome(err: unknown): err is OperationError {
  if (!(err instanceof OperationError) || err.result === undefined) return false;
  return err instanceof PendingChanges || Object.getPrototypeOf(err) === OperationError.prototype;
}
