/**
 * @module watch/evaluate
 * Runs a check within its time limit (`timeout_seconds`), for the daemon and `watch run`
 * alike. The operations the check runs get a signal that ends at the limit, and a check
 * still running then fails with `timed out after 2 s (watch.checks.systems.timeout_seconds)`,
 * exit 4 as any time-out (docs/exit-codes.md), whatever the operation it was in made of the
 * abort ("cancelled"). A check that ignores the signal is left behind at the limit all the same.
 */
import { ExitCode, HomelabError } from '../core/errors.js';
import type { CheckRunner, Finding } from './check.js';
import type { ResolvedCheck } from './resolve.js';

/** The error of a check that ran past its limit: exit 4, naming the setting. */
export function checkTimedOut(resolved: ResolvedCheck): HomelabError {
  return new HomelabError(`timed out after ${resolved.timeoutMs / 1000} s (watch.checks.${resolved.check.name}.timeout_seconds)`, ExitCode.unreachable);
}

/**
 * The findings of `resolved`'s check at `now`, its operations run by `runnerFor(signal)`;
 * `outer` (the caller's signal: Ctrl-C, the daemon stopping) aborts it too, and is told as itself.
 */
export async function evaluateWithin(resolved: ResolvedCheck, runnerFor: (signal: AbortSignal) => CheckRunner, now: number, outer?: AbortSignal): Promise<Finding[]> {
  const timedOut = checkTimedOut(resolved);
  const limit = new AbortController();
  const signal = outer ? AbortSignal.any([outer, limit.signal]) : limit.signal;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      limit.abort(timedOut);
      reject(timedOut);
    }, resolved.timeoutMs);
  });
  try {
    return await Promise.race([resolved.check.evaluate(runnerFor(signal), resolved.options, now), expired]);
  } catch (err) {
    if (limit.signal.aborted && !outer?.aborted) throw timedOut;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
