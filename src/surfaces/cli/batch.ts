/**
 * @module surfaces/cli/batch
 * `homelab batch [file] [--keep-going] [--yes] [--json]`: runs command lines (from a
 * file, or stdin) in one process, one context and one client cache per lab for the whole
 * batch, so every request after the first reuses a kept-alive connection. A line runs in
 * the batch's lab unless it names its own (`--context office dns add …`).
 *
 * Every line is checked before any runs (a bad flag on line 150 is reported before
 * line 1 changes anything); destructive lines are listed and confirmed once (or the
 * batch's `--yes`; refused without a terminal; a line's own `--yes` does not count; a plan
 * line that changes nothing is not one of them: batch-confirm). Then
 * the lines run in order through `invoke` (each one audited), one result printed per
 * line. It stops at the first failure unless `--keep-going`. Exit code: the first
 * failure's; with `--keep-going`, the most serious one's (`worstExitCode`: 4, 5, 3, 2, 1).
 * When stdout's reader goes away (`| head -1`), no further line starts and the lines that
 * ran decide the exit code (closed-output.ts). What a line leaves for after its output
 * (`telegram inbox clear`) runs once its result has flushed (show-then-settle).
 */
import { readFile } from 'node:fs/promises';
import { installAuditHook } from '../../audit/hook.js';
import { splitWords } from '../../core/args.js';
import { createContext, deriveContext } from '../../core/context.js';
import { registerStoredSecrets } from '../../core/credentials.js';
import { catalogOperations } from '../../services/catalog.js';
import { ExitCode, UsageError, toHomelabError, worstExitCode } from '../../core/errors.js';
import { runParsed } from '../../core/invoke.js';
import { outputStepsOf } from '../../core/output-steps.js';
import { redact } from '../../core/redact.js';
import { terminalLine } from '../../core/render-safe.js';
import { optionRefusal } from '../../core/unknown-option.js';
import { switchValue } from '../../core/words.js';
import { confirmBatch } from './batch-confirm.js';
import { recordCompletions } from './completion/record.js';
import { BatchLabs, contextChecker } from './batch-labs.js';
import { readBatchLines } from './batch-lines.js';
import { batchOptions } from '../shared/command-options.js';
import { settleOutput } from './closed-output.js';
import { jsonPrinter, textPrinter, type BatchPrinter } from './batch-output.js';
import { isRejected, planBatch, type PlannedStep, type Step } from './batch-plan.js';
import { loadCommandIndex, loadOperation } from './command-index.js';
import { labToName } from './lab-commands.js';
import type { CliIo } from './main.js';
import { safeUser } from './run-operation.js';
import { showThenSettle } from './show-then-settle.js';
import { cancelOnStopSignals } from './stop-signals.js';
import { ask, canAsk, noteOnTerminal, painter, spinner, useColor } from '../shared/terminal.js';

const HELP = `Usage: homelab batch [file] [--keep-going] [--yes] [--json]

Runs homelab command lines from a file (or stdin, when no file or - is given) in one
process, over kept-alive connections: one command per line, without the "homelab"
prefix; quotes and backslashes as in a shell (a line ending in \\ continues on the next,
named by its first line's number); # starts a comment; blank lines are skipped.

Every line is checked first: a line that does not parse stops the batch before anything
runs (with --keep-going it is reported and skipped). Destructive lines are all listed and
confirmed once for the whole batch; without a terminal (or reading stdin) they need the
batch's --yes. A line's own --yes does not confirm it. A plan line that changes nothing
when the batch starts (a re-run of expose, unexpose, apply) needs no confirmation; it then
runs only if it still changes nothing. Each line is audited like a
single command. A line may name its lab: --context office dns add web1 10.6.0.51
(the others run in the batch's own: homelab --context office batch runs all in office).

Options:
  --keep-going   run every line even after a failure
  --yes, -y      run destructive lines without asking
  --json         one JSON object per line: {"line":3,"command":"…","ok":true,"result":…}
                 or {"line":3,"command":"…","ok":false,"error":"…","exitCode":1}
  Each is a switch: --no-keep-going, --keep-going=false and the like turn it off.

Exit code: 0 when every line that ran succeeded; else the first failure's code, or with
--keep-going the most serious (4 unreachable, 5 auth, 3 config, 2 usage, 1 failed).
Lines refused before anything ran: 2, or 3 when one names a lab the config lacks.
When the output is closed (| head -1), no further line starts; stderr says which ran.

Example:
  printf 'dns add web1 10.5.0.51\\ndns add web2 10.5.0.52\\n' | homelab batch --json`;

const OWN_FLAGS = [...batchOptions.flags.map((f) => f.flag), 'help'];
/** The refusal of an option the batch does not take (`--keep-goign`: did you mean --keep-going?). */
const unknownOption = optionRefusal('batch', [...OWN_FLAGS, ...OWN_FLAGS.map((f) => `no-${f}`)], 'see: homelab batch --help');

/** The batch's own switches, read as every switch is (`--x`, `--no-x`, `--x=true|false|…`). */
function ownSwitches(flags: Map<string, string | true>): Record<'keepGoing' | 'yes' | 'json' | 'help', boolean> {
  for (const name of flags.keys()) {
    if (!OWN_FLAGS.includes(name.replace(/^no-/, ''))) throw unknownOption(`--${name}`);
  }
  const on = (name: string): boolean => {
    const value = flags.get(name);
    return value !== undefined && (value === true || switchValue(name, value));
  };
  return { keepGoing: on('keep-going'), yes: on('yes'), json: on('json'), help: on('help') };
}

async function readSource(file: string | undefined): Promise<string> {
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the batch file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Runs a batch; returns the exit code. */
export async function batchCommand(words: string[], io: CliIo, options: { noColor?: boolean } = {}): Promise<number> {
  // Before any word can be echoed (a usage error, a line's result) or stored (an audit row).
  registerStoredSecrets(io.env);
  const { flags, positionals } = splitWords(words, { unknownOption });
  const own = ownSwitches(flags);
  if (own.help) {
    io.stdout.write(`${HELP}\n`);
    return ExitCode.ok;
  }
  if (positionals.length > 1) throw new UsageError(`batch takes one file, not ${positionals.length}`, 'see: homelab batch --help');
  const file = positionals[0];
  const fromStdin = file === undefined || file === '-';
  // For the person typing: on the terminal even when stderr goes to a log (terminal.ts).
  if (fromStdin && io.stdinIsTTY) noteOnTerminal('reading commands from the terminal; end with Ctrl-D\n', io.stderr);
  const lines = readBatchLines(await readSource(file));
  const keepGoing = own.keepGoing;
  const paint = painter(useColor(io.stdout, io.env, options.noColor ? false : undefined));
  const index = await loadCommandIndex();
  const print = own.json ? jsonPrinter(io.stdout) : textPrinter(io.stdout, paint, index);
  const steps = await planBatch(lines, index, loadOperation, contextChecker(io.env));
  const rejected = steps.filter(isRejected);
  if (rejected.length && !keepGoing) {
    for (const r of rejected) print.failed(r.line, r.text, r.error);
    io.stderr.write(`batch: ${rejected.length} of ${steps.length} ${plural(steps.length, 'line')} cannot run (${plural(rejected.length, 'line')} ${rejected.map((r) => r.line).join(', ')}); nothing was run\n`);
    // 2 for a line that does not parse; 3 for one naming a lab the config lacks (as on the command line).
    return worstExitCode(rejected.map((r) => r.error.exitCode));
  }
  // Ctrl-C and SIGTERM stop the batch alike, from its confirmation on: at the question they decline
  // it, as a single command's; while a line runs, it is cancelled and undone (stop-signals).
  const controller = new AbortController();
  const stopSignalsOff = cancelOnStopSignals(controller);
  try {
    const unconfirmed = own.yes ? new Set<PlannedStep>() : await confirmBatch(steps, io, fromStdin, controller.signal);
    return await runSteps(steps, io, controller, { keepGoing, print, prompt: !fromStdin && canAsk(io.stdinIsTTY), unconfirmed });
  } finally {
    stopSignalsOff();
  }
}

/**
 * Runs the checked lines in order. `unconfirmed`: lines that run without confirmation because
 * their plan changed nothing (batch-confirm); each runs with the input its plan was read for.
 * `controller`: aborted by the batch's stop signals (installed by the caller, stop-signals).
 */
async function runSteps(steps: Step[], io: CliIo, controller: AbortController, options: { keepGoing: boolean; print: BatchPrinter; prompt: boolean; unconfirmed: ReadonlySet<PlannedStep> }): Promise<number> {
  installAuditHook();
  const spin = spinner(io.stderr);
  let current = '';
  const labs = new BatchLabs(io.env, (env, clients) => createContext({
    actor: { surface: 'cli', id: safeUser() },
    operations: catalogOperations,
    signal: controller.signal,
    env,
    progress: (note) => spin.update(`${current}: ${note}`),
    prompt: options.prompt ? (question, o) => { spin.stop(); return ask(`${question} `, { ...o, signal: controller.signal }); } : undefined,
    clients,
  }));
  // A line's lab (its own --context, else the batch's), named in its command lines unless a shell runs them there anyway.
  const labOf = (step: PlannedStep): string | undefined => labToName(io, step.context ?? io.env.HOMELAB_CONTEXT);
  const codes: number[] = [];
  let ok = 0;
  let ran = 0;
  /** Why the lines after the last one run did not start. */
  let stopped: 'failure' | 'interrupted' | 'output' | undefined;
  try {
    for (const step of steps) {
      // A closed stdout is known once the last result's write has been reported: no line starts after it.
      await settleOutput();
      if (io.stdoutClosed?.aborted) { stopped = 'output'; break; }
      ran++;
      if (isRejected(step)) {
        options.print.failed(step.line, step.text, step.error);
        codes.push(step.error.exitCode);
        continue;
      }
      current = `line ${step.line}`;
      spin.update(`${current}: ${step.text}`);
      try {
        // A copy: the plans listed when the batch was confirmed are not a ceiling for its lines
        // (orchestration/plan-operation), since earlier lines change what later ones find; a
        // plan line is built when it runs, as with --yes. A line run unconfirmed because its
        // plan changed nothing keeps its own input: that plan is its ceiling (it changes nothing).
        // Each line is a run of its own (its own signal): what one run reads once (pve configs)
        // is read afresh by the next line, after the lines between changed it.
        const input = options.unconfirmed.has(step) ? step.input : { ...step.input };
        const ctx = deriveContext(labs.context(step.context), { signal: AbortSignal.any([controller.signal]) });
        // What it leaves for after its output (telegram inbox clear) runs once this line's result has flushed.
        const after = outputStepsOf(ctx);
        const result = await runParsed(step.op, input, ctx, { outputSteps: after.take });
        spin.stop();
        await showThenSettle(after, () => options.print.ok(step.line, step.text, step.op, step.input, result, labOf(step), after.waiting()), io.stdout, io.stdoutClosed);
        // A listing refreshes Tab's values, in the line's lab, as the same command alone does.
        recordCompletions(step.op, result, input, ctx, io.env);
        ok++;
      } catch (err) {
        spin.stop();
        const e = toHomelabError(err);
        options.print.failed(step.line, step.text, e, step.op, step.input, labOf(step));
        // Its result's line is lost with the output: stderr says why the line failed.
        if (io.stdoutClosed?.aborted) io.stderr.write(`batch: line ${step.line}: ${terminalLine(redact(e.message))}\n`);
        codes.push(e.exitCode);
        // Ctrl-C at a line's question (InterruptedError, 130) stops the batch as Ctrl-C anywhere does.
        const interrupted = controller.signal.aborted || e.exitCode === ExitCode.interrupted;
        if (!options.keepGoing || interrupted) { stopped = interrupted ? 'interrupted' : 'failure'; break; }
      }
    }
  } finally {
    spin.stop();
    await labs.closeAll();
  }
  const failed = codes.length;
  const notRun = steps.length - ran;
  const last = steps[ran - 1];
  const why = stopped === 'output' ? `stdout closed ${last ? `after line ${last.line}` : 'before the first line'}` : stopped === 'interrupted' ? 'interrupted' : 'stopped at the first failure';
  io.stderr.write(`batch: ${ok} ok${failed ? `, ${failed} failed` : ''}${notRun ? `, ${notRun} not run (${why})` : ''}\n`);
  // Lines not started because stdout closed are not failures: what ran decides (closed-output.ts).
  return worstExitCode(codes);
}

/** `line` or `lines`, as `n` asks. */
function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
