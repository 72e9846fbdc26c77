/**
 * @module surfaces/cli/context-command
 * `homelab context list|use|current`: the labs config.yaml defines (README "Contexts").
 * - `list [--json]`: each context, whether it is the current one, and its configured
 *   services with whether each answers (`context-list`, all contexts at once). A context
 *   whose config or credentials cannot be used is listed with its error, one stderr line
 *   names it, and the exit code is that error's (3).
 * - `use <name>`: writes `current_context` into config.yaml through the yaml Document API,
 *   so the file's comments and layout stay as they were (`config-write`: through a symlink
 *   to its target, owner and mode kept). CLI only: no chat user or agent can change which
 *   lab the host talks to.
 * - `current`: the context a command runs in now (and why).
 * The current context (HOMELAB_CONTEXT, `--context`, `current_context`) must be a lab the
 * config defines, as for every other command: else exit 3.
 */
import { readFileSync } from 'node:fs';
import { splitWords } from '../../core/args.js';
import { checkContextName, readContextChoice, unknownContext } from '../../core/context-name.js';
import { ConfigError, ExitCode, UsageError, worstExitCode } from '../../core/errors.js';
import { configFile } from '../../core/paths.js';
import { redact, redactValue } from '../../core/redact.js';
import { terminalLine } from '../../core/render-safe.js';
import { renderText, table, toned, type Cell } from '../../core/render.js';
import { replaceFile } from './config-write.js';
import type { CliIo } from './main.js';
import { painter, useColor } from './terminal.js';

const HELP = `usage: homelab context list [--json]     each context (lab), its services and whether they answer
       homelab context use <name>        make <name> the current context (writes current_context)
       homelab context current           the context commands run in now

Choose a context for one command with --context <name> (anywhere before --) or
HOMELAB_CONTEXT=<name>; both win over current_context.
`;

/** The context commands run in with `env`, and where that choice came from; exit 3 when it is not a lab of the config. */
function currentOf(env: NodeJS.ProcessEnv): { name: string; from: string } {
  const path = configFile(env);
  const choice = readContextChoice(path);
  const from = env.HOMELAB_CONTEXT ? '--context or HOMELAB_CONTEXT' : `current_context in ${path}`;
  const name = checkContextName(env.HOMELAB_CONTEXT || choice.current, from);
  if (!choice.names.includes(name)) throw unknownContext(name, path, choice.names);
  return { name, from: env.HOMELAB_CONTEXT ? from : path };
}

async function list(io: CliIo, json: boolean, noColor: boolean): Promise<number> {
  const path = configFile(io.env);
  const { names } = readContextChoice(path);
  const current = currentOf(io.env);
  const { describeContext } = await import('./context-list.js');
  const entries = await Promise.all(names.map((name) => describeContext(name, io.env, current.name, path)));
  if (json) io.stdout.write(`${JSON.stringify(redactValue(entries), null, 2)}\n`);
  else {
    const rows = entries.map((e): Cell[] => [
      e.current ? toned(`${e.name} *`, 'accent') : e.name,
      e.error ? toned(e.error.message, 'bad') : e.services.length ? e.services.map((s) => `${s.service} ${s.status}`).join(', ') : toned('no services configured', 'dim'),
    ]);
    const paint = painter(useColor(io.stdout, io.env, noColor ? false : undefined));
    io.stdout.write(`${redact(renderText([table(['context', 'services'], rows, { title: `* current (${current.from})` })], paint))}\n`);
  }
  const failed = entries.filter((e) => e.error);
  const errPaint = painter(useColor(io.stderr, io.env, noColor ? false : undefined));
  // A lab's name and error come from config.yaml: shown safely.
  for (const e of failed) io.stderr.write(`${errPaint('homelab:', 'bad')} ${terminalLine(redact(`${e.name}: ${e.error?.message ?? ''}`))}\n`);
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
  replaceFile(path, doc.toString());
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
  if (verb === 'use' && rest.length !== 1) throw new UsageError(rest.length ? `context use takes one name, not ${rest.length}` : 'context use needs a name', 'see: homelab context list');
  if (verb === 'use') {
    const done = await useContext(rest[0] as string, io.env);
    io.stdout.write(flags.has('json') ? `${JSON.stringify(done)}\n` : `current context: ${done.current}${done.previous === done.current ? ' (unchanged)' : ` (was ${done.previous})`}\n`);
    if (io.env.HOMELAB_CONTEXT) io.stderr.write(`note: HOMELAB_CONTEXT or --context (${io.env.HOMELAB_CONTEXT}) still wins in this shell\n`);
    return ExitCode.ok;
  }
  throw new UsageError(`unknown command: context ${positionals.join(' ')}`, 'see: homelab context --help');
}
