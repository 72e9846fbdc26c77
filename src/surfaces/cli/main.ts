/**
 * @module surfaces/cli/main
 * The CLI surface: argv → operation → input → confirmation → `invoke` → render or
 * `--json`. It knows nothing of any service: help and dispatch read the command index
 * built from the registry; running an operation (`run-operation.ts`) imports only the
 * service module that the command names, so help loads no service, no zod, no HTTP.
 * Errors become one line (plus a hint) and the exit code, here and nowhere else.
 */
import { ExitCode, UsageError } from '../../core/errors.js';
import { asksForHelp } from '../../core/args.js';
import { takeContextFlags } from '../../core/context-flag.js';
import { redact } from '../../core/redact.js';
import type { Painter } from '../../core/render.js';
import { switchValue } from '../../core/words.js';
import { PendingChanges, detailedExitCode, detailedExitcodeOn } from '../../orchestration/detailed-exitcode.js';
import { watchOutput, type OutputWatch } from './closed-output.js';
import { loadCommandIndex, loadOperation } from './command-index.js';
import { cliCommands } from './commands.js';
import { operationHelp, overviewHelp, serviceHelp } from './help.js';
import { leadingSwitchesLast } from './leading-switches.js';
import { reportError } from './report-error.js';
import { unknownCommand } from './unknown-command.js';
import { painter, useColor } from '../shared/terminal.js';

/** Where the CLI writes; tests may replace it. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  stdinIsTTY: boolean;
  /** Aborted when stdout can take no more output (its reader went away); set by `main`. */
  stdoutClosed?: AbortSignal;
  /**
   * The invoking shell's HOMELAB_CONTEXT (`''`: unset), set by `main` before `--context` pins
   * the run's lab in `env`: where a bare `homelab` pasted there runs (`lab-commands`).
   */
  shellContext?: string;
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], version: string, io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdinIsTTY: Boolean(process.stdin.isTTY) }): Promise<number> {
  // What a completion script calls on Tab: before the colour switches (they are words being completed).
  if (argv[0] === '__complete') return (await import('./completion/complete-command.js')).completeCommand(argv.slice(1), io);
  const { words: given, noColor, refused } = colourSwitches(argv);
  // `homelab --json pve list`: the global --json/--yes before the command go after its words.
  const words = leadingSwitchesLast(given);
  const paint = painter(useColor(io.stderr, io.env, noColor ? false : undefined));
  const ran = { network: false };
  const output = watchOutput(io.stdout);
  // `plan --detailed-exitcode`: 2 means changes are pending, so every error exits 1 (usage and config errors too).
  let detailed = false;
  completed = false;
  // The shell's own lab, kept before --context pins another: a command line pasted there runs in it (lab-commands).
  const shellContext = io.shellContext ?? io.env.HOMELAB_CONTEXT ?? '';
  // The run's environment, its lab pinned once --context is read: its errors name that lab (lab-commands).
  let runEnv = io.env;
  try {
    detailed = words.some((w) => w.startsWith('--detailed-exitcode')) && detailedExitcodeOn(words, await commandResolver());
    if (refused) throw refused;
    // `--context` (anywhere before `--`) pins the run's lab for everything below; `--all-contexts` fans `status` out.
    const { words: rest, context, allContexts } = takeContextFlags(words);
    if (allContexts && context !== undefined) throw new UsageError('--context and --all-contexts: give one of them');
    // `context …` takes it as a word: `context list` lists even when it names no lab (context-command).
    const own = context !== undefined && rest[0] === 'context';
    if (own) rest.splice(1, 0, `--context=${context}`);
    // What runs in no one lab (lab, demo, completion; an --all-contexts fan-out) ignores the current lab, however chosen (docs/contexts.md).
    const noLab = allContexts || cliCommands.some((c) => c.name === rest[0] && c.ignoresLab === true);
    // `init` may name a lab the file does not define yet: it asks, then adds it (only the name is checked here).
    const env = noLab ? withoutLab(io.env) : context && !own ? await pinContext(io.env, context, rest[0] === 'init') : io.env;
    runEnv = env;
    const runIo = { ...io, env, shellContext, stdoutClosed: output.signal };
    // `watch --all-contexts` is the daemon's own option (a watcher per lab); every other use fans a command out.
    if (allContexts && rest[0] === 'watch' && (rest.length === 1 || rest[1]?.startsWith('-'))) rest.push('--all-contexts');
    else if (allContexts) {
      const code = await (await import('./all-contexts.js')).allContextsCommand(rest, runIo, noColor, ran);
      completed = ranItsCourse(code);
      return await lostOutput(output, code, io, paint);
    }
    const code = await dispatch(rest, version, runIo, noColor, ran);
    completed = ranItsCourse(code);
    return await lostOutput(output, detailed ? detailedExitCode(code) : code, io, paint);
  } catch (err) {
    // Loaded only for a run in a named lab (not one in no lab, nor in the current one from a shell that names none): help and a plain error read no YAML here.
    const wording = runEnv.HOMELAB_CONTEXT ? await import('./lab-commands.js').then((m) => m.errorWording({ env: runEnv, shellContext })).catch(() => undefined) : undefined;
    const code = reportError(err, io.stderr, io.env, paint, wording);
    completed = ranItsCourse(code, err);
    return await lostOutput(output, detailed ? detailedExitCode(code, err) : code, io, paint);
  } finally {
    output.dispose();
    // Pooled connections of whatever ran (help opens none, and so loads no HTTP code).
    if (ran.network) await (await import('../../core/http/index.js')).closeAllAgents();
  }
}

/** Whether the last run did its work, set by `main`; see `lastRunCompleted`. */
let completed = false;

/**
 * Whether a run that ended with `code` (or `error`) did its work: it ran and succeeded, or
 * ran and failed or found trouble (1), or found pending changes (`plan --detailed-exitcode`).
 * Usage, config and connection errors stop early.
 */
function ranItsCourse(code: number, error?: unknown): boolean {
  return code === ExitCode.ok || code === ExitCode.failed || error instanceof PendingChanges;
}

/**
 * Whether the last `main` run did its work, before `--detailed-exitcode` remapped its code:
 * the entry stores the V8 code cache only then (run-bundle.ts), since a run that stopped early
 * would leave its command group a thin cache for good.
 */
export function lastRunCompleted(): boolean {
  return completed;
}

/**
 * `env` pinned to the context `--context` named; an unknown name is a config error listing the
 * known ones (unless `anyName`: a valid name is enough). Loaded only then: help without `--context` reads no YAML.
 */
async function pinContext(env: NodeJS.ProcessEnv, name: string, anyName = false): Promise<NodeJS.ProcessEnv> {
  const [{ checkContextName, knownContext, withContext }, { configFile }] = await Promise.all([import('../../core/context-name.js'), import('../../core/paths.js')]);
  return withContext(env, anyName ? checkContextName(name, '--context') : knownContext(name, '--context', configFile(env)));
}

/** `env` without HOMELAB_CONTEXT: a run in no one lab. */
function withoutLab(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.HOMELAB_CONTEXT === undefined) return env;
  const copy = { ...env };
  delete copy.HOMELAB_CONTEXT;
  return copy;
}

/** Turns words into the operation id they name, as `dispatch` resolves them. */
async function commandResolver(): Promise<(words: readonly string[]) => string | undefined> {
  const index = await loadCommandIndex();
  return (words) => index.resolve(words)?.op.id;
}

/**
 * The exit code once the run is over and its output has settled (a write error is reported
 * on a later tick): its own, unless stdout failed for another reason than its reader going
 * away (closed-output.ts), which lost output and is at least a failure.
 */
async function lostOutput(output: OutputWatch, code: number, io: CliIo, paint: Painter): Promise<number> {
  await output.settled();
  const failure = output.failure();
  if (!failure) return code;
  io.stderr.write(`${paint('homelab:', 'bad')} cannot write the output: ${failure.code ?? redact(failure.message)}\n`);
  return code || ExitCode.failed;
}

async function dispatch(words: string[], version: string, io: CliIo, noColor: boolean, ran: { network: boolean }): Promise<number> {
  const index = await loadCommandIndex();
  const first = words[0];
  // The entry answers a first `--version` alone; here it comes after global switches (`homelab --json --version`).
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  // `help pve`, `help pve list` (git- and docker-style): the help of what follows; an unknown word is named.
  if (first === 'help' && words.length > 1) return dispatch([...words.slice(1).filter((w) => w !== '--help' && w !== '-h'), '--help'], version, io, noColor, ran);
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(`${overviewHelp(index, cliCommands, version)}\n`);
    return first === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const resolved = index.resolve(words);
  const command = cliCommands.find((c) => c.name === first);
  // An operation wins over a command of the same first word (`watch mute …` vs the `watch` daemon).
  if (command && !resolved) {
    ran.network = true;
    return command.run(words.slice(1), io, { noColor, main });
  }
  if (!resolved) {
    // `pve help` as `pve --help`.
    const wantsHelp = words.length === 1 || asksForHelp(words) || (words.length === 2 && words[1] === 'help');
    if (index.service(first) && wantsHelp) {
      io.stdout.write(`${serviceHelp(index, first)}\n`);
      return words.length === 1 ? ExitCode.usage : ExitCode.ok;
    }
    const group = index.all().filter((op) => op.id.startsWith(`${first}.`));
    if (!index.service(first) && group.length && wantsHelp) {
      io.stdout.write(`${group.map((op) => `homelab ${op.usage}\n  ${op.summary}`).join('\n')}\n`);
      return words.length === 1 ? ExitCode.usage : ExitCode.ok;
    }
    // A group without its sub-verb (`kuma add`) says which it takes; an unknown verb points at the help.
    throw unknownCommand(index, words, 'run', cliCommands.map((c) => c.name));
  }
  const { op: entry, rest } = resolved;
  if (asksForHelp(rest)) {
    io.stdout.write(`${operationHelp(entry)}\n`);
    return ExitCode.ok;
  }
  ran.network = true;
  // The runner and the service module load side by side (each is a chain of chunks to fetch).
  const [{ runOperation }, op] = await Promise.all([import('./run-operation.js'), loadOperation(entry)]);
  return runOperation(op, rest, io, noColor);
}

/**
 * The CLI's colour switches, taken out of the words before any `--` (anywhere, the first
 * word included): `--no-color`, `--color` and `--color=<switch value>`, the last one winning
 * (`--color=false` is `--no-color`). Words from `--` on are left as they are: they belong
 * to the command (`telegram send -- --no-color`). A `--color=` value that is not a switch
 * value is refused (the usage error to throw).
 */
export function colourSwitches(argv: readonly string[]): { words: string[]; noColor: boolean; refused?: UsageError } {
  const end = argv.indexOf('--');
  const before = end < 0 ? argv : argv.slice(0, end);
  let noColor = false;
  let refused: UsageError | undefined;
  const words = before.filter((word) => {
    if (word === '--no-color') noColor = true;
    else if (word === '--color') noColor = false;
    else if (word.startsWith('--color=')) {
      try {
        noColor = !switchValue('color', word.slice('--color='.length));
      } catch (err) {
        refused ??= err as UsageError;
      }
    } else return true;
    return false;
  });
  return { words: end < 0 ? words : [...words, ...argv.slice(end)], noColor, ...(refused ? { refused } : {}) };
}
