/**
 * @module orchestration/detailed-exitcode
 * `plan --detailed-exitcode`, for cron and CI (as terraform's): 0 when nothing would change,
 * 2 when changes are pending, 1 on any error. Pending changes are the one failure that
 * exits 2 (`PendingChanges`); once the switch is on the command line, every other error
 * exits 1, a usage error or a config error found before the plan (`--context nope`)
 * included, so that 2 always means drift. The CLI's `main` applies it to the exit code of
 * the whole run (`detailedExitcodeOn`, `detailedExitCode`).
 */
import { ExitCode, OperationError } from '../core/errors.js';

/** Changes are pending (`plan --detailed-exitcode`): the plan is the result, the exit code 2. */
export class PendingChanges extends OperationError {
  override readonly name = 'PendingChanges';
  constructor(changes: number, result: unknown) {
    super(`plan: ${changes} change${changes === 1 ? '' : 's'} pending (--detailed-exitcode: exit 2)`, undefined, undefined, result, ExitCode.usage);
  }
}

const FLAG = '--detailed-exitcode';

/**
 * Whether the command line turns `--detailed-exitcode` on (before any `--`; the last of
 * `--detailed-exitcode`, `--no-detailed-exitcode`, `--detailed-exitcode=<switch>` wins). A
 * value that is not a switch value counts as on: the user asked for it, and the usage error
 * it causes then exits 1.
 */
export function detailedExitcodeOn(words: readonly string[]): boolean {
  const end = words.indexOf('--');
  let on = false;
  for (const word of end < 0 ? words : words.slice(0, end)) {
    if (word === FLAG) on = true;
    else if (word === `--no-${FLAG.slice(2)}`) on = false;
    else if (word.startsWith(`${FLAG}=`)) on = !/^(?:false|no|0)$/i.test(word.slice(FLAG.length + 1));
  }
  return on;
}

/** The exit code of a run under `--detailed-exitcode`: 0 stays 0, pending changes are 2, any other failure 1. */
export function detailedExitCode(code: number, error?: unknown): number {
  if (code === ExitCode.ok) return code;
  return error instanceof PendingChanges ? ExitCode.usage : ExitCode.failed;
}
