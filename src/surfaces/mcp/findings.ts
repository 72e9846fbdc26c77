/**
 * @module surfaces/mcp/findings
 * Which failed runs are answers on MCP. A consistency check that found problems did its
 * job: the CLI's exit 1 for `check: 6 errors found` is a linter's convention, and an agent
 * given `isError` would read "the tool broke" where the tool worked. So, as the bot reads
 * them as "✓ finished", MCP answers these as results (no `isError`), with the line after the
 * table and the counts in the structured content (`errors`, `warnings`; `conflicts`, `changes`):
 *
 * - a plain `OperationError` (that very class, not a subclass) carrying the whole result:
 *   `check`'s errors found, `plan`'s objects in the way;
 * - `PendingChanges` (`plan --detailed-exitcode`: the plan is the result), which MCP never
 *   gets (the switch is the command line's) but would be the same kind of answer.
 *
 * Everything else stays a tool error, result or not: a `PartialFailureError` (a fan-out
 * whose part could not run: `status` or `check` with a service down, `updates check` with a
 * target unreachable, `pbs verify` finding broken snapshots), a `PlanFailedError` (a step
 * failed, the rest undone), and every error without a result. An operation that wants its
 * findings read as an answer throws the plain class with its result; one that failed to do
 * part of its work throws a subclass (core/errors).
 */
import { OperationError } from '../../core/errors.js';
import { PendingChanges } from '../../orchestration/detailed-exitcode.js';

/** Whether `err` is a run's answer (findings, pending changes) rather than a failure to run; see the module comment. */
export function isFindings(err: unknown): err is OperationError {
  if (!(err instanceof OperationError) || err.result === undefined) return false;
  return err instanceof PendingChanges || Object.getPrototypeOf(err) === OperationError.prototype;
}
