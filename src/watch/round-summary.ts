/**
 * @module watch/round-summary
 * How `watch --once` / `watch --digest` end (for cron): 0 when everything ran and was
 * delivered; else a PartialFailureError with the most serious part's exit code and one line
 * saying what went wrong, in the owner's terms. A check that could not run, alerts that could
 * not be sent (the check itself ran fine: Telegram, or stdout, refused them), a digest not
 * sent and a lab that could not be watched are counted apart, so "6 of 8 checks failed" is
 * never said when only the delivery did.
 */
import { PartialFailureError, type PartFailure } from '../core/errors.js';

/** What went wrong with one part of the round. */
export type RoundFailureKind = 'run' | 'send' | 'digest' | 'lab';

/** One failed part: its name as the log shows it, its exit code, and what failed. */
export interface RoundFailure extends PartFailure {
  kind: RoundFailureKind;
}

/** `n` and `word`, plural when `n` is not 1. */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Up to six names, then how many more. */
function names(failures: readonly RoundFailure[]): string {
  const all = failures.map((f) => f.part);
  return all.length > 6 ? `${all.slice(0, 6).join(', ')}, +${all.length - 6} more` : all.join(', ');
}

/**
 * Throws when any part failed: `what` (`watch --once`) and what failed, e.g.
 * `watch --once: 1 of 8 checks failed (guests); alerts of 5 checks could not be sent (backups, …)`.
 * `checks` is how many checks ran (the denominator of the first phrase).
 */
export function settleRound(what: string, checks: number, failures: readonly RoundFailure[]): void {
  if (!failures.length) return;
  const of = (kind: RoundFailureKind): RoundFailure[] => failures.filter((f) => f.kind === kind);
  const phrases: string[] = [];
  const lab = of('lab');
  if (lab.length) phrases.push(`${count(lab.length, 'lab')} not watched (${names(lab)})`);
  const run = of('run');
  if (run.length) phrases.push(`${run.length} of ${count(checks, 'check')} failed (${names(run)})`);
  const send = of('send');
  if (send.length) phrases.push(`alerts of ${count(send.length, 'check')} could not be sent (${names(send)})`);
  const digest = of('digest');
  if (digest.length) phrases.push(digest.length === 1 && digest[0]?.part === 'digest' ? 'the digest could not be sent' : `${count(digest.length, 'digest')} could not be sent (${names(digest)})`);
  throw new PartialFailureError(`${what}: ${phrases.join('; ')}`, undefined, failures.map(({ part, exitCode }) => ({ part, exitCode })), 'the lines above say why');
}
