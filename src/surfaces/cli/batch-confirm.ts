/**
 * @module surfaces/cli/batch-confirm
 * The one confirmation of a batch (without the batch's `--yes`). Every line that needs
 * confirmation (`needsConfirmation`: a destructive line, or a plan) has its live preview
 * read first, in the line's lab (`confirmationOf`, as a single command's confirmation):
 * - a line whose plan changes nothing (a re-run of expose, unexpose, apply) is not a
 *   destructive line: it needs no `--yes` and is not asked about. It runs with the very
 *   input its plan was read for, so that plan is its ceiling (orchestration/plan-operation):
 *   if the lines above it gave it something to change by the time it runs, it fails with
 *   "the lab changed since the plan was shown" and changes nothing;
 * - the other lines are listed with their previews and confirmed once (on a terminal);
 *   without one, or reading the lines from stdin, the batch is refused before any line runs.
 * On a terminal, a preview that fails (a guest that does not exist, a service down) fails
 * the batch before anything runs, as it fails a single command; without one, such a line
 * is one that needs `--yes`.
 *
 * A stop signal (Ctrl-C sent as SIGINT, SIGTERM) while the previews are read or the question
 * waits declines the batch as it declines a single command's confirmation: nothing was run, exit 1.
 *
 * Without a terminal the batch is refused as soon as one line is known to need `--yes`, and
 * only what can spare it is read: a line that is no plan (`pve destroy`, `dns delete`) can
 * never change nothing, so when there is one the batch is refused at once, no service asked;
 * otherwise the plans are read in order and the first that changes something (or cannot be
 * read) refuses it, the plans after it unread. A cron run that forgot `--yes` fails at once.
 */
import { createContext } from '../../core/context.js';
import { CancelledError, UsageError, toHomelabError } from '../../core/errors.js';
import { confirmationOf, isPlanOperation, needsConfirmation } from '../../core/confirmation.js';
import { redact } from '../../core/redact.js';
import { terminalText } from '../../core/render-safe.js';
import { catalogOperations } from '../../services/catalog.js';
import { BatchLabs } from './batch-labs.js';
import { isRejected, type PlannedStep, type Step } from './batch-plan.js';
import type { CliIo } from './main.js';
import { safeUser } from './run-operation.js';
import { canAsk, confirm } from '../shared/terminal.js';

/**
 * Confirms the batch's destructive lines (see the module comment); throws when they are
 * refused or not confirmed. Returns the lines that run unconfirmed because their plan
 * changed nothing: each must run with its own `input` object (its plan as read is its ceiling).
 * `signal`: the batch's stop signals (stop-signals); its abort cancels the previews and declines.
 */
export async function confirmBatch(steps: readonly Step[], io: CliIo, fromStdin: boolean, signal?: AbortSignal): Promise<ReadonlySet<PlannedStep>> {
  const asking = steps.filter((s): s is PlannedStep => !isRejected(s) && needsConfirmation(s.op, s.input));
  const unchanged = new Set<PlannedStep>();
  if (!asking.length) return unchanged;
  // A terminal to ask on: stdin, and the question shown on it (stderr, or /dev/tty: shared/terminal).
  const asks = !fromStdin && canAsk(io.stdinIsTTY);
  // Without a terminal, lines that can never change nothing need --yes whatever a preview says.
  const sure = asks ? [] : asking.filter((s) => !isPlanOperation(s.op));
  if (sure.length) throw refusal(sure, asking.filter((s) => isPlanOperation(s.op)), fromStdin);
  const labs = new BatchLabs(io.env, (env, clients) => createContext({ actor: { surface: 'cli', id: safeUser() }, operations: catalogOperations, env, clients, ...(signal ? { signal } : {}) }));
  const listing: string[] = [];
  const danger: PlannedStep[] = [];
  try {
    for (const s of asking) {
      stopIfSignalled(signal);
      // A line whose preview cannot be read now (a guest an earlier line creates) is listed with
      // what it does and why it could not be looked up, for the owner to judge (on a terminal);
      // without one it simply needs --yes.
      const seen = await confirmationOf(s.op, s.input, labs.context(s.context)).catch((err: unknown) => ({
        lines: [`${s.op.confirm?.(s.input) ?? s.text} (could not be looked up now: ${toHomelabError(err).message})`],
        changesNothing: false,
      }));
      const { lines: [what = '', ...detail], changesNothing } = seen;
      if (changesNothing) {
        unchanged.add(s);
        continue;
      }
      danger.push(s);
      // Without a terminal this line needs --yes: the batch is refused, the lines after it unread.
      if (!asks) throw refusal(danger, asking.slice(asking.indexOf(s) + 1), fromStdin);
      listing.push(`  line ${s.line}${s.context ? ` (${s.context})` : ''}: ${what}`, ...detail.map((d) => `    ${d}`));
    }
  } finally {
    await labs.closeAll();
  }
  stopIfSignalled(signal);
  if (!danger.length) return unchanged;
  // Shown with the question, on the terminal it is asked on.
  const about = terminalText(redact(`Destructive lines in this batch:\n${listing.join('\n')}`));
  if (!(await confirm(`Run ${danger.length === 1 ? 'it' : `these ${danger.length}`}?`, signal, about))) throw new CancelledError('not confirmed; nothing was run');
  return unchanged;
}

/** Declines the batch once a stop signal came (while its previews were read): nothing was run. */
function stopIfSignalled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('interrupted; nothing was run');
}

/**
 * The refusal of a batch whose `lines` need `--yes` and have no terminal to ask on; `unread`:
 * plan lines whose preview was not read (a plan changes nothing, only a plan can need no
 * `--yes`, core/confirmation), which may need it too.
 */
function refusal(lines: readonly PlannedStep[], unread: readonly PlannedStep[], fromStdin: boolean): UsageError {
  const list = (steps: readonly PlannedStep[]): string => steps.map((s) => s.line).join(', ');
  const more = unread.length ? ` (plan line${unread.length === 1 ? '' : 's'} ${list(unread)} not checked: ${unread.length === 1 ? 'it' : 'they'} may need it too)` : '';
  const one = lines.length === 1;
  return new UsageError(`the batch has ${one ? 'a destructive line' : 'destructive lines'} (${list(lines)})${more}; nothing was run`, `add --yes to run ${one ? 'it' : 'them'} ${fromStdin ? 'from stdin' : 'without a terminal'}`);
}
