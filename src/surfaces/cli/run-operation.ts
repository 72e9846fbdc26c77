/**
 * @module surfaces/cli/run-operation
 * Runs one operation from the command line: words → input (a usage error names the bad
 * word) → confirmation (`needsConfirmation`: a destructive operation, or a plan) showing
 * the operation's live `preview` first → `invoke` (audited) → the rendered result or
 * `--json`. Without a terminal, a run that needs confirmation is refused unless `--yes`,
 * and the refusal carries the preview. Imported by `main` only when a command names an
 * operation.
 */
import { userInfo } from 'node:os';
import { installAuditHook } from '../../audit/hook.js';
import { inputFromWords, wordName } from '../../core/args.js';
import { ClientCache, createContext } from '../../core/context.js';
import { registerStoredSecrets } from '../../core/credentials.js';
import { catalogOperations } from '../../services/catalog.js';
import { CancelledError, ExitCode, OperationError, UsageError } from '../../core/errors.js';
import { parseInput, runParsed } from '../../core/invoke.js';
import { soloProgressScopes } from '../../core/progress-scope.js';
import { outputStepsOf } from '../../core/output-steps.js';
import { confirmationOf, needsConfirmation } from '../../core/confirmation.js';
import { type AnyOperation, type OpContext } from '../../core/operation.js';
import { redact, redactValue } from '../../core/redact.js';
import { terminalLine, terminalText } from '../../core/render-safe.js';
import { renderText } from '../../core/render.js';
import { loadCommandIndex } from './command-index.js';
import { recordCompletions } from './completion/record.js';
import { readFileInputs } from './file-inputs.js';
import { labToName, namingLab } from './lab-commands.js';
import type { CliIo } from './main.js';
import { showThenSettle } from './show-then-settle.js';
import { cancelOnStopSignals } from './stop-signals.js';
import { ask, canAsk, confirm, painter, spinner, useColor } from '../shared/terminal.js';

/** Runs `op` with the words after its name; returns the exit code (a failure throws). */
export async function runOperation(op: AnyOperation, words: string[], io: CliIo, noColor: boolean): Promise<number> {
  // Before any word can be echoed (a usage error) or stored (the audit row): a stored
  // credential typed on the command line is then redacted wherever it would show.
  registerStoredSecrets(io.env);
  installAuditHook();
  const { input: raw, flags } = inputFromWords(op, words);
  const json = flags.has('json');
  const input = parseInput(op, readFileInputs(op, raw), wordName(op));
  const controller = new AbortController();
  // Ctrl-C and SIGTERM cancel the run alike: its done steps are undone (stop-signals).
  const stopSignalsOff = cancelOnStopSignals(controller);
  const spin = spinner(io.stderr);
  const clients = new ClientCache();
  // A terminal to ask on: stdin, and the question shown on it (stderr, or /dev/tty: shared/terminal).
  const asks = canAsk(io.stdinIsTTY);
  const ctx = createContext({
    actor: { surface: 'cli', id: safeUser() },
    operations: catalogOperations,
    signal: controller.signal,
    env: io.env,
    progress: (note) => spin.update(note),
    prompt: asks ? (question, options) => { spin.stop(); return ask(`${question} `, { ...options, signal: controller.signal }); } : undefined,
    clients,
  });
  // Steps the operation left for when its output is known to be delivered (core/output-steps);
  // the audit row records the run's outcome once they ran.
  const steps = outputStepsOf(ctx);
  // Command lines in the result name this run's lab when a shell would run them in another (lab-commands).
  const lab = json ? undefined : labToName(io);
  const index = lab ? await loadCommandIndex() : undefined;
  const show = (result: unknown): void => {
    spin.stop();
    if (json || !op.render) io.stdout.write(`${JSON.stringify(redactValue(result), null, 2)}\n`);
    else {
      const blocks = op.render(result, input);
      const text = renderText(lab && index ? namingLab(blocks, lab, index) : blocks, painter(useColor(io.stdout, io.env, noColor ? false : undefined)));
      io.stdout.write(text ? `${redact(text)}\n` : '');
    }
  };
  try {
    if (needsConfirmation(op, input) && !flags.has('yes')) await confirmRun(op, input, ctx, asks, () => spin.stop());
    // This process runs this one operation and nothing beside it (core/progress-scope).
    const result = await soloProgressScopes(() => runParsed(op, input, ctx, { outputSteps: steps.take })).catch((err: unknown) => {
      // A failed operation that still has a result (a partial failure of a fan-out, docs/exit-codes.md)
      // prints it as usual; `main` then adds the one-line message and returns its exit code.
      if (err instanceof OperationError && err.result !== undefined) show(err.result);
      throw err;
    });
    await showThenSettle(steps, () => show(result), io.stdout, io.stdoutClosed);
    recordCompletions(op, result, input, ctx, io.env);
    return ExitCode.ok;
  } finally {
    spin.stop();
    stopSignalsOff();
    await clients.closeAll();
  }
}

/**
 * Shows the run's confirmation lines (its live preview) and asks; without a terminal,
 * refuses with the lines in the message. Throws when not confirmed.
 */
async function confirmRun(op: AnyOperation, input: Record<string, unknown>, ctx: OpContext, asks: boolean, stopSpinner: () => void): Promise<void> {
  const { lines: [what = '', ...detail], changesNothing } = await confirmationOf(op, input, ctx);
  stopSpinner();
  // A plan that changes nothing (a re-run of expose or unexpose) has nothing to confirm; its run
  // still refuses any change the preview did not show (orchestration/plan-operation).
  if (changesNothing) return;
  const why = op.risk === 'danger' ? 'this is destructive' : 'this needs confirmation';
  if (!asks) {
    throw new UsageError([`${what}: ${why}; add --yes to run it without a terminal`, ...detail].map((l) => redact(l)).join('\n'));
  }
  // The lines name things the services store (a monitor's name): shown safely, on the terminal the question is asked on.
  const about = detail.length ? terminalText(redact([what, ...detail].join('\n'))) : undefined;
  if (!(await confirm(detail.length ? 'Proceed?' : `${terminalLine(redact(what))}?`, ctx.signal, about))) throw new CancelledError('not confirmed; nothing was done');
}

/** The local user name, for the audit log (the uid when it has no name). */
export function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

