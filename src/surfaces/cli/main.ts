/**
 * @module surfaces/cli/main
 * The CLI surface: argv → operation → input → confirmation → `invoke` → render or
 * `--json`. It knows nothing of any service: help and dispatch read the command index
 * built from the registry, and only the service module that the command names is
 * imported to run it. Errors become one line (plus a hint) and the exit code, here and
 * nowhere else.
 */
import { userInfo } from 'node:os';
import { installAuditHook } from '../../audit/hook.js';
import { inputFromWords } from '../../core/args.js';
import { CancelledError, ExitCode, HomelabError, OperationError, UsageError, toHomelabError } from '../../core/errors.js';
import { closeAllAgents } from '../../core/http/index.js';
import { parseInput, runParsed } from '../../core/invoke.js';
import type { AnyOperation } from '../../core/operation.js';
import { redact, redactValue } from '../../core/redact.js';
import { renderText } from '../../core/render.js';
import { loadService } from '../../services/catalog.js';
import { loadCommandIndex, type IndexedOperation } from './command-index.js';
import { cliCommands } from './commands.js';
import { operationHelp, overviewHelp, serviceHelp } from './help.js';
import { ask, confirm, painter, spinner, useColor } from './terminal.js';

/** Where the CLI writes; tests may replace it. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  stdinIsTTY: boolean;
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], version: string, io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdinIsTTY: Boolean(process.stdin.isTTY) }): Promise<number> {
  const noColor = argv.includes('--no-color');
  const paint = painter(useColor(io.stderr, io.env, noColor ? false : undefined));
  try {
    return await dispatch(argv, version, io, noColor);
  } catch (err) {
    const e = toHomelabError(err);
    io.stderr.write(`${paint('homelab:', 'bad')} ${redact(e.message)}\n`);
    if (e instanceof OperationError && e.details?.length) {
      for (const line of e.details) io.stderr.write(`  ${paint(redact(line), 'dim')}\n`);
    }
    if (e.hint) io.stderr.write(`  ${paint(redact(e.hint), 'dim')}\n`);
    if (!(err instanceof HomelabError) && io.env.HOMELAB_DEBUG) io.stderr.write(`${redact((err as Error).stack ?? '')}\n`);
    return e.exitCode;
  } finally {
    await closeAllAgents();
  }
}

async function dispatch(argv: string[], version: string, io: CliIo, noColor: boolean): Promise<number> {
  const index = await loadCommandIndex();
  const words = argv.filter((w) => w !== '--no-color');
  const first = words[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(`${overviewHelp(index, cliCommands, version)}\n`);
    return first === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const resolved = index.resolve(words);
  const command = cliCommands.find((c) => c.name === first);
  // An operation wins over a command of the same first word (`watch mute …` vs the `watch` daemon).
  if (command && !resolved) return command.run(words.slice(1), io, { noColor });
  if (!resolved) {
    const service = index.service(first);
    if (service) {
      const wantsHelp = words.length === 1 || words.includes('--help') || words.includes('-h');
      if (wantsHelp) {
        io.stdout.write(`${serviceHelp(index, first)}\n`);
        return words.length === 1 ? ExitCode.usage : ExitCode.ok;
      }
      throw new UsageError(`unknown command: ${first} ${words[1] ?? ''}`.trim(), `run: homelab ${service.name} --help`);
    }
    const group = index.all().filter((op) => op.id.startsWith(`${first}.`));
    if (group.length) {
      io.stdout.write(`${group.map((op) => `homelab ${op.usage}\n  ${op.summary}`).join('\n')}\n`);
      return words.length === 1 ? ExitCode.usage : ExitCode.ok;
    }
    throw new UsageError(`unknown command: ${first}`, 'run: homelab --help');
  }
  const { op: entry, rest } = resolved;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${operationHelp(entry)}\n`);
    return ExitCode.ok;
  }
  return runOperation(await loadOperation(entry), rest, io, noColor);
}

/** Imports the one service module that defines `entry` and returns its operation. */
export async function loadOperation(entry: IndexedOperation): Promise<AnyOperation> {
  const op = (await loadService(entry.module)).operations.find((o) => o.id === entry.id);
  if (!op) throw new Error(`the command index lists ${entry.id}, which its service does not define: rebuild (npm run build)`);
  return op;
}

async function runOperation(op: AnyOperation, words: string[], io: CliIo, noColor: boolean): Promise<number> {
  installAuditHook();
  const { input: raw, flags } = inputFromWords(op, words);
  const json = flags.has('json');
  const input = parseInput(op, raw);
  if (op.risk === 'danger' && !flags.has('yes')) {
    const what = op.confirm?.(input) ?? `Run ${op.id.replace(/\./g, ' ')}`;
    if (!io.stdinIsTTY) throw new UsageError(`${what}: this is destructive; add --yes to run it without a terminal`);
    if (!(await confirm(`${what}?`))) throw new CancelledError('not confirmed; nothing was done');
  }
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new CancelledError('interrupted'));
  process.once('SIGINT', onSigint);
  const spin = spinner(io.stderr);
  // Imported here: the context loads config (yaml, zod), which help and dispatch never need.
  const { ClientCache, createContext } = await import('../../core/context.js');
  const clients = new ClientCache();
  const ctx = createContext({
    actor: { surface: 'cli', id: safeUser() },
    signal: controller.signal,
    env: io.env,
    progress: (note) => spin.update(note),
    prompt: io.stdinIsTTY ? (question, options) => { spin.stop(); return ask(`${question} `, options); } : undefined,
    clients,
  });
  const show = (result: unknown): void => {
    spin.stop();
    if (json || !op.render) io.stdout.write(`${JSON.stringify(redactValue(result), null, 2)}\n`);
    else {
      const text = renderText(op.render(result, input), painter(useColor(io.stdout, io.env, noColor ? false : undefined)));
      io.stdout.write(text ? `${redact(text)}\n` : '');
    }
  };
  try {
    const result = await runParsed(op, input, ctx).catch((err: unknown) => {
      // A failed operation that still has a result (a partial failure of a fan-out, docs/exit-codes.md)
      // prints it as usual; `main` then adds the one-line message and returns its exit code.
      if (err instanceof OperationError && err.result !== undefined) show(err.result);
      throw err;
    });
    show(result);
    return ExitCode.ok;
  } finally {
    spin.stop();
    process.off('SIGINT', onSigint);
    await clients.closeAll();
  }
}

/** The local user name, for the audit log (the uid when it has no name). */
export function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

