/**
 * @module surfaces/cli/all-contexts
 * `homelab status --all-contexts`: the same `status` in every context (lab) at once, each
 * with its own config, credentials and clients, one block per context headed by its name.
 * One lab down never hides another. Exit code (docs/exit-codes.md): 0 when every context's
 * status was 0, else the most serious context's code (4 before 5, 3, 2, 1); each failing
 * context adds one `homelab: <context>: …` line on stderr. `--json` prints
 * `[{ context, result, error }]` (`error`: `{ message, exitCode }` or null).
 */
import { inputFromWords, wordName } from '../../core/args.js';
import { ALL_CONTEXTS_OPERATIONS } from '../../core/context-flag.js';
import { readContextChoice, withContext } from '../../core/context-name.js';
import { ClientCache, createContext } from '../../core/context.js';
import { registerStoredSecrets } from '../../core/credentials.js';
import { ExitCode, OperationError, UsageError, toHomelabError, worstExitCode } from '../../core/errors.js';
import { parseInput, runParsed } from '../../core/invoke.js';
import type { AnyOperation } from '../../core/operation.js';
import { configFile } from '../../core/paths.js';
import { redact, redactValue } from '../../core/redact.js';
import { renderText } from '../../core/render.js';
import { terminalLine } from '../../core/render-safe.js';
import { catalogOperations } from '../../services/catalog.js';
import { loadCommandIndex, loadOperation } from './command-index.js';
import { labToName, namingLab } from './lab-commands.js';
import type { CliIo } from './main.js';
import { safeUser } from './run-operation.js';
import { cancelOnStopSignals } from './stop-signals.js';
import { painter, useColor } from '../shared/terminal.js';

/** The commands `--all-contexts` fans out (read-only overviews). */
const FAN_OUT: ReadonlySet<string> = new Set(ALL_CONTEXTS_OPERATIONS);

/** What one context answered. */
export interface ContextOutcome {
  context: string;
  /** The operation's result (a partial failure's too), or null when it did not run. */
  result: unknown;
  error: { message: string; exitCode: number } | null;
}

/** Runs `op` with `input` in the context `name`. Never throws. */
async function runIn(op: AnyOperation, input: Record<string, unknown>, name: string, io: CliIo, signal: AbortSignal): Promise<ContextOutcome> {
  const env = withContext(io.env, name);
  const clients = new ClientCache();
  try {
    registerStoredSecrets(env);
    const ctx = createContext({ actor: { surface: 'cli', id: safeUser() }, operations: catalogOperations, signal, env, clients });
    return { context: name, result: await runParsed(op, input, ctx), error: null };
  } catch (err) {
    const e = toHomelabError(err);
    const result = e instanceof OperationError && e.result !== undefined ? e.result : null;
    return { context: name, result, error: { message: redact(e.hint ? `${e.message} (${e.hint})` : e.message), exitCode: e.exitCode } };
  } finally {
    await clients.closeAll();
  }
}

/** Runs `<command> --all-contexts` (words without the flag); returns the exit code. */
export async function allContextsCommand(words: string[], io: CliIo, noColor: boolean, ran: { network: boolean }): Promise<number> {
  const index = await loadCommandIndex();
  const resolved = index.resolve(words);
  if (!resolved || !FAN_OUT.has(resolved.op.id)) {
    // `watch` (the daemon) takes it too, as its own option: main hands it over before this.
    throw new UsageError(`--all-contexts works with ${[...FAN_OUT].join(', ')} and watch only`, 'name one lab with --context <name> instead');
  }
  const op = await loadOperation(resolved.op);
  const { input: raw, flags } = inputFromWords(op, resolved.rest);
  const input = parseInput(op, raw, wordName(op));
  const { names } = readContextChoice(configFile(io.env));
  ran.network = true;
  const controller = new AbortController();
  const stopSignalsOff = cancelOnStopSignals(controller, () => new Error('interrupted'));
  let outcomes: ContextOutcome[];
  try {
    outcomes = await Promise.all(names.map((name) => runIn(op, input, name, io, controller.signal)));
  } finally {
    stopSignalsOff();
  }
  if (flags.has('json')) io.stdout.write(`${JSON.stringify(redactValue(outcomes), null, 2)}\n`);
  else {
    const paint = painter(useColor(io.stdout, io.env, noColor ? false : undefined));
    const blocks = outcomes.map((o) => {
      const head = paint(`── ${o.context} ──`, o.error ? 'bad' : 'accent');
      // Each lab's command lines name it, unless a shell runs them there anyway (lab-commands).
      const rendered = o.result !== null && op.render ? op.render(o.result, input) : undefined;
      const lab = labToName(io, o.context);
      const shown = rendered && lab ? namingLab(rendered, lab, index) : rendered;
      const error = o.error?.message;
      const body = shown ? renderText(shown, paint) : error ? paint(terminalLine(error), 'bad') : '';
      return `${head}\n${redact(body)}`;
    });
    io.stdout.write(`${blocks.join('\n\n')}\n`);
  }
  const failed = outcomes.filter((o) => o.error);
  const errPaint = painter(useColor(io.stderr, io.env, noColor ? false : undefined));
  for (const o of failed) io.stderr.write(`${errPaint('homelab:', 'bad')} ${o.context}: ${terminalLine(redact(o.error?.message ?? ''))}\n`);
  return failed.length ? worstExitCode(failed.map((o) => o.error?.exitCode ?? ExitCode.failed)) || ExitCode.failed : ExitCode.ok;
}
