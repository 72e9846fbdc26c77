/**
 * @module surfaces/cli/context-command
 * `homelab context list|use|current`: the labs config.yaml defines (README "Contexts").
 * - `list [--json]`: each context, whether it is the current one, and its configured
 *   services with whether each answers on its port (the `services` operation run in that
 *   context, all contexts at once). A context whose config or credentials cannot be used is
 *   listed with its error, and the exit code is that error's (3).
 * - `use <name>`: writes `current_context` into config.yaml through the yaml Document API,
 *   so the file's comments and layout stay as they were. CLI only: no chat user or agent
 *   can change which lab the host talks to.
 * - `current`: the context a command runs in now (and why).
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { splitWords } from '../../core/args.js';
import { checkContextName, readContextChoice, unknownContext, withContext } from '../../core/context-name.js';
import { ClientCache, createContext } from '../../core/context.js';
import { ConfigError, ExitCode, UsageError, toHomelabError, worstExitCode } from '../../core/errors.js';
import { parseInput, runParsed } from '../../core/invoke.js';
import { configFile } from '../../core/paths.js';
import { redact, redactValue } from '../../core/redact.js';
import { renderText, table, toned, type Cell } from '../../core/render.js';
import { catalogOperations } from '../../services/catalog.js';
import type { CliIo } from './main.js';
import { safeUser } from './run-operation.js';
import { painter, useColor } from './terminal.js';

const HELP = `usage: homelab context list [--json]     each context (lab), its services and whether they answer
       homelab context use <name>        make <name> the current context (writes current_context)
       homelab context current           the context commands run in now

Choose a context for one command with --context <name> (anywhere before --) or
HOMELAB_CONTEXT=<name>; both win over current_context.
`;

/** One service of a context, as `context list` shows it. */
export interface ContextService {
  service: string;
  url: string | null;
  /** `up` (answers on its port) or `down`. */
  status: string;
}

/** One context of `context list --json`. */
export interface ContextEntry {
  name: string;
  current: boolean;
  services: ContextService[];
  /** Why the context's services could not be listed (its config or credentials), else null. */
  error: { message: string; exitCode: number } | null;
}

/** The context commands run in with `env`, and where that choice came from. */
function currentOf(env: NodeJS.ProcessEnv): { name: string; from: string } {
  if (env.HOMELAB_CONTEXT) return { name: env.HOMELAB_CONTEXT, from: '--context or HOMELAB_CONTEXT' };
  const path = configFile(env);
  const choice = readContextChoice(path);
  return { name: choice.current, from: `${path}` };
}

/** Lists one context's configured services through the `services` operation. Never throws. */
async function describe(name: string, env: NodeJS.ProcessEnv, current: string): Promise<ContextEntry> {
  const clients = new ClientCache();
  try {
    const op = await catalogOperations.find('services');
    if (!op) throw new ConfigError('the services operation is not installed');
    const ctx = createContext({ actor: { surface: 'cli', id: safeUser() }, operations: catalogOperations, env: withContext(env, name), clients, signal: AbortSignal.timeout(20_000) });
    const result = (await runParsed(op, parseInput(op, {}), ctx)) as { services: { service: string; configured: boolean; url: string | null; status: string }[] };
    const services = result.services.filter((s) => s.configured).map((s) => ({ service: s.service, url: s.url, status: s.status }));
    return { name, current: name === current, services, error: null };
  } catch (err) {
    const e = toHomelabError(err);
    return { name, current: name === current, services: [], error: { message: redact(e.message), exitCode: e.exitCode } };
  } finally {
    await clients.closeAll();
  }
}

async function list(io: CliIo, json: boolean, noColor: boolean): Promise<number> {
  const { names } = readContextChoice(configFile(io.env));
  const current = currentOf(io.env).name;
  const entries = await Promise.all(names.map((name) => describe(name, io.env, current)));
  if (json) io.stdout.write(`${JSON.stringify(redactValue(entries), null, 2)}\n`);
  else {
    const rows = entries.map((e): Cell[] => [
      e.current ? toned(`${e.name} *`, 'accent') : e.name,
      e.error ? toned(e.error.message, 'bad') : e.services.length ? e.services.map((s) => `${s.service} ${s.status}`).join(', ') : toned('no services configured', 'dim'),
    ]);
    const paint = painter(useColor(io.stdout, io.env, noColor ? false : undefined));
    io.stdout.write(`${redact(renderText([table(['context', 'services'], rows, { title: `* current (${currentOf(io.env).from})` })], paint))}\n`);
  }
  const failed = entries.filter((e) => e.error);
  return failed.length ? worstExitCode(failed.map((e) => e.error?.exitCode ?? ExitCode.failed)) || ExitCode.failed : ExitCode.ok;
}

/** Writes `current_context: <name>` into config.yaml, keeping its comments and layout. */
export async function useContext(name: string, env: NodeJS.ProcessEnv): Promise<{ previous: string; current: string; path: string }> {
  checkContextName(name, 'context use');
  const path = configFile(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`${path} does not exist: there are no contexts to choose from`, 'run homelab init, or write it by hand (see the README)');
  }
  const choice = readContextChoice(path);
  if (!choice.names.includes(name)) throw unknownContext(name, path, choice.names);
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text);
  if (doc.errors.length) throw new ConfigError(`${path}: not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  doc.set('current_context', name);
  const mode = statSync(path).mode & 0o777;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, doc.toString(), { mode });
  renameSync(temp, path);
  return { previous: choice.current, current: name, path };
}

/** Runs `homelab context …`; returns the exit code. */
export async function contextCommand(words: string[], io: CliIo, options: { noColor: boolean }): Promise<number> {
  const { positionals, flags } = splitWords(words);
  const unknown = [...flags.keys()].find((f) => f !== 'json' && f !== 'no-json' && f !== 'help');
  if (flags.has('help') || positionals.length === 0) {
    io.stdout.write(HELP);
    return positionals.length === 0 && !flags.has('help') ? ExitCode.usage : ExitCode.ok;
  }
  if (unknown) throw new UsageError(`unknown option --${unknown} for context`, 'see: homelab context --help');
  const [verb, ...rest] = positionals;
  if (verb === 'list' && rest.length === 0) return list(io, flags.has('json'), options.noColor);
  if (verb === 'current' && rest.length === 0) {
    const { name, from } = currentOf(io.env);
    io.stdout.write(flags.has('json') ? `${JSON.stringify({ context: name, from })}\n` : `${name}\n`);
    return ExitCode.ok;
  }
  if (verb === 'use' && rest.length === 1) {
    const done = await useContext(rest[0] as string, io.env);
    io.stdout.write(flags.has('json') ? `${JSON.stringify(done)}\n` : `current context: ${done.current}${done.previous === done.current ? ' (unchanged)' : ` (was ${done.previous})`}\n`);
    if (io.env.HOMELAB_CONTEXT) io.stderr.write(`note: HOMELAB_CONTEXT or --context (${io.env.HOMELAB_CONTEXT}) still wins in this shell\n`);
    return ExitCode.ok;
  }
  throw new UsageError(`unknown command: context ${positionals.join(' ')}`, 'see: homelab context --help');
}
