/**
 * @module orchestration/detailed-exitcode
 * `plan --detailed-exitcode`, for cron and CI (as terraform's): 0 when nothing would change,
 * 2 when changes are pending, 1 on any error. Pending changes are the one failure that
 * exits 2 (`PendingChanges`); once the switch is on the command line, every other error
 * exits 1, a usage error or a config error found before the plan (`--context nope`)
 * included, so that 2 always means drift. The CLI's `main` applies it to the exit code of
 * the whole run (`detailedExitcodeOn`, `detailedExitCode`) when the command is `plan`; any
 * other command given the switch keeps its usual codes.
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
 * The words that name the command: those before any `--`, without the context options
 * (`--context X`, `--context=X`, `--all-contexts`), which may stand before it. Malformed
 * context options are left to `takeContextFlags` to refuse; here they are only stepped over.
 */
function commandWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--all-contexts' || word.startsWith('--context=')) continue;
    if (word === '--context') {
      if (words[i + 1] !== undefined && !(words[i + 1] as string).startsWith('-')) i++;
      continue;
    }
    out.push(word);
  }
  return out;
}

/**
 * Whether `--detailed-exitcode`'s exit codes apply to this run: the command resolves to
 * `plan` (`commandOf` turns words into an operation id, as the CLI's dispatch does), and
 * the command line turns the switch on (before any `--`; `--detailed-exitcode` or
 * `--detailed-exitcode=<on value>` anywhere, even with an `off` spelling too: the two
 * contradict each other, a usage error that exits 1 whichever comes last). A value that is not a
 * switch value counts as on: the user asked for it, and the usage error it causes then
 * exits 1, and so does a command that does not resolve (a typo of `plan`). Any other
 * command keeps its usual codes (`pve list --detailed-exitcode` is an unknown option: exit 2).
 */
export function detailedExitcodeOn(words: readonly string[], commandOf: (words: readonly string[]) => string | undefined): boolean {
  const end = words.indexOf('--');
  const head = end < 0 ? words : words.slice(0, end);
  // Any spelling that turns it on counts, whatever comes after: with one that turns it off too,
  // the run is a usage error (they contradict each other), which must exit 1 in either order.
  let on = false;
  for (const word of head) {
    if (word === FLAG) on = true;
    else if (word.startsWith(`${FLAG}=`) && !/^(?:false|no|0)$/i.test(word.slice(FLAG.length + 1))) on = true;
  }
  if (!on) return false;
  // A command that does not resolve (`paln --detailed-exitcode`) is an error the switch's
  // user must see as one (1), never as drift (2).
  const id = commandOf(commandWords(head));
  return id === 'plan' || id === undefined;
}

/** The exit code of a run under `--detailed-exitcode`: 0 stays 0, pending changes are 2, any other failure 1. */
export function detailedExitCode(code: number, error?: unknown): number {
  if (code === ExitCode.ok) return code;
  return error instanceof PendingChanges ? ExitCode.usage : ExitCode.failed;
}
