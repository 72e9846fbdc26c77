/**
 * @module surfaces/cli/context-command
 * `homelab context list|use|current`: the labs config.yaml defines (README "Contexts").
 * - `list [--json]`: each context, whether it is the current one, and its configured
 *   services with whether each answers (`context-list`, all contexts at once), a row per
 *   service. A lab whose config cannot be used is listed with its error; a service whose
 *   section or credentials file cannot be used shows its problem, the lab's other services
 *   still their state. Each problem gets a stderr line naming its lab (and service), and
 *   makes the exit code 3.
 * - `use <name>`: writes `current_context` into config.yaml, replacing only its value's
 *   characters, so every other byte stays as it was (but for layouts it cannot edit in
 *   place, re-printed: `current-context-edit`; `config-write`:
 *   through a symlink to its target, owner and mode kept); nothing when it is the current
 *   one already. CLI only: no chat user or agent can change which
 *   lab the host talks to.
 * - `current`: the context a command runs in now (and why).
 * The current context (`--context`, HOMELAB_CONTEXT, `current_context`) must be a lab the
 * config defines, as for every other command: else exit 3. `list` still lists then: the
 * selection is shown as a row of its own, marked, with how to fix it where it was made
 * (and exit 3), since `context list` is what one runs to find out.
 */
import { readFileSync } from 'node:fs';
import { splitWords } from '../../core/args.js';
import { readConfigDocument } from '../../core/config-document.js';
import { checkContextName, knownContext, readContextChoice, unknownContext, type ContextChoice } from '../../core/context-name.js';
import { ConfigError, ExitCode, UsageError, worstExitCode } from '../../core/errors.js';
import { configFile } from '../../core/paths.js';
import { redact, redactValue } from '../../core/redact.js';
import { terminalLine } from '../../core/render-safe.js';
import { optionRefusal } from '../../core/unknown-option.js';
import { renderText, table, toned, type Cell } from '../../core/render.js';
import { replaceFile } from '../../core/config-write.js';
import type { ContextEntry } from './context-list.js';
import { withCurrentContext } from './current-context-edit.js';
import type { CliIo } from './main.js';
import { painter, useColor } from '../shared/terminal.js';

const HELP = `usage: homelab context list [--json]     each context (lab), its services and whether they answer
       homelab context use <name>        make <name> the current context (writes current_context)
       homelab context current           the context commands run in now

Choose a context for one command with --context <name> (anywhere before --) or
HOMELAB_CONTEXT=<name>; both win over current_context.
`;

/** Which context commands run in now: its name, where it came from, and how to choose another there. */
interface Selection {
  name: string;
  /** Where it came from: `--context`, `HOMELAB_CONTEXT`, or the config file's path. */
  from: string;
  /** The same, as a refusal names it (`current_context in <path>`). */
  where: string;
  /** How to pick a lab the config defines instead, in the place the choice came from. */
  fix: (names: readonly string[]) => string;
}

/** The selection given by `flag` (`--context`), else HOMELAB_CONTEXT, else config.yaml. */
function selectionOf(env: NodeJS.ProcessEnv, flag: string | undefined, path: string, choice: ContextChoice): Selection {
  if (flag !== undefined) return { name: flag, from: '--context', where: '--context', fix: (names) => `give --context one of: ${names.join(', ')}` };
  if (env.HOMELAB_CONTEXT) return { name: env.HOMELAB_CONTEXT, from: 'HOMELAB_CONTEXT', where: 'HOMELAB_CONTEXT', fix: (names) => `set HOMELAB_CONTEXT to one of ${names.join(', ')}, or unset it` };
  return { name: choice.current, from: path, where: `current_context in ${path}`, fix: (names) => `run: homelab context use <name> (one of ${names.join(', ')})` };
}

/** Why `selection` is not a lab of the config (an invalid or unknown name), else undefined. */
function selectionProblem(selection: Selection, path: string, names: readonly string[]): string | undefined {
  try {
    checkContextName(selection.name, selection.where);
  } catch (err) {
    return (err as Error).message;
  }
  return names.includes(selection.name) ? undefined : `the current context "${selection.name}" (${selection.where}) is not a lab ${selection.from === path ? 'the file' : path} defines`;
}

/**
 * What `current_context` holds when it is written but names nothing (`[x]`, `5`, empty):
 * every command refuses the file then (exit 3); undefined when it is a string or absent.
 */
function unusableCurrent(path: string, env: NodeJS.ProcessEnv): string | undefined {
  const doc = readConfigDocument(path, env);
  if (doc.state !== 'ok' || typeof doc.raw !== 'object' || doc.raw === null || !('current_context' in doc.raw)) return undefined;
  const value = (doc.raw as Record<string, unknown>).current_context;
  if (typeof value === 'string' && value) return undefined;
  return value === null ? 'empty' : Array.isArray(value) ? 'a list' : typeof value === 'string' ? 'an empty string' : `a ${typeof value}`;
}

/** The context commands run in, and where that choice came from; exit 3 when it is not a lab of the config. */
function currentOf(env: NodeJS.ProcessEnv, flag: string | undefined): { name: string; from: string } {
  const path = configFile(env);
  const choice = readContextChoice(path, env);
  // As every other command refuses the file (config validation), whichever way the lab is chosen.
  const unusable = unusableCurrent(path, env);
  if (unusable) throw new ConfigError(`current_context in ${path} is ${unusable}, not a context name`, `run: homelab context use <name> (one of ${choice.names.join(', ')})`);
  const selection = selectionOf(env, flag, path, choice);
  checkContextName(selection.name, selection.where);
  if (!choice.names.includes(selection.name)) throw unknownContext(selection.name, path, choice.names);
  return { name: selection.name, from: selection.from };
}

/** The table row(s) of one context: a row per service, or one for the lab's error. */
function rowsOf(e: ContextEntry): Cell[][] {
  const name = e.current ? toned(`${e.name.slice(0, 80)} *`, e.defined ? 'accent' : 'bad') : e.name;
  if (e.error) return [[name, '', toned(e.defined ? 'error' : 'unknown', 'bad'), toned(e.error.message, 'bad')]];
  if (!e.services.length) return [[name, '', '', toned('no services configured', 'dim')]];
  return e.services.map((s, i): Cell[] => [
    i === 0 ? name : '',
    s.service,
    s.problem ? toned('error', 'bad') : toned(s.status, s.status === 'up' ? 'ok' : 'warn'),
    s.problem ? toned(s.problem.message, 'bad') : s.status === 'down' && s.detail ? toned(s.detail, 'dim') : '',
  ]);
}

/**
 * `context list`: every lab of the config, even when the current selection names none of
 * them (that one is listed too, marked, with how to fix it, and the command exits 3).
 */
async function list(io: CliIo, json: boolean, noColor: boolean, flag: string | undefined): Promise<number> {
  const path = configFile(io.env);
  const choice = readContextChoice(path, io.env);
  const selection = selectionOf(io.env, flag, path, choice);
  const { describeContext } = await import('./context-list.js');
  const entries = await Promise.all(choice.names.map((name) => describeContext(name, io.env, selection.name, path)));
  const badSelection = selectionProblem(selection, path, choice.names);
  const fix = selection.fix(choice.names);
  if (badSelection) entries.push({ name: selection.name, current: true, defined: false, services: [], error: { message: redact(`${badSelection}: ${fix}`), exitCode: ExitCode.config } });
  if (json) io.stdout.write(`${JSON.stringify(redactValue(entries), null, 2)}\n`);
  else {
    const paint = painter(useColor(io.stdout, io.env, noColor ? false : undefined));
    io.stdout.write(`${redact(renderText([table(['context', 'service', 'state', 'note'], entries.flatMap(rowsOf), { title: `* current (${selection.from})` })], paint))}\n`);
  }
  const errPaint = painter(useColor(io.stderr, io.env, noColor ? false : undefined));
  // Names and messages come from config.yaml and the environment: shown safely.
  const complain = (line: string): void => { io.stderr.write(`${errPaint('homelab:', 'bad')} ${terminalLine(redact(line))}\n`); };
  const codes: number[] = [];
  for (const e of entries.filter((x) => x.defined)) {
    if (e.error) {
      complain(`${e.name}: ${e.error.message}`);
      codes.push(e.error.exitCode);
    }
    for (const s of e.services.filter((x) => x.problem)) {
      complain(`${e.name}: ${s.service}: ${s.problem?.message ?? ''}${s.problem?.fix ? ` (fix: ${s.problem.fix})` : ''}`);
      codes.push(ExitCode.config);
    }
  }
  if (badSelection) {
    complain(`${badSelection}; ${fix}`);
    codes.push(ExitCode.config);
  }
  return worstExitCode(codes);
}

/** What `context use` did: `previous` is the context chosen before, null when `current_context` named none (`invalid` says what it held). */
export interface ContextUse {
  previous: string | null;
  current: string;
  path: string;
  /** What the replaced `current_context` was when it was no name (`a list`). */
  invalid?: string;
}

/**
 * Writes `current_context: <name>` into config.yaml, every other byte kept where the layout
 * allows (current-context-edit.ts); nothing is written when `name` is the current one already.
 */
export async function useContext(name: string, env: NodeJS.ProcessEnv): Promise<ContextUse> {
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
  const invalid = unusableCurrent(path, env);
  // Already the current one (written, or implied: `default`, the first lab): the file stays as it is.
  if (!invalid && choice.current === name) return { previous: name, current: name, path };
  replaceFile(path, withCurrentContext(text, doc, name));
  return invalid ? { previous: null, current: name, path, invalid } : { previous: choice.current, current: name, path };
}

/**
 * Runs `homelab context …`; returns the exit code. `--context <name>` reaches it as a word
 * (`main` leaves it unchecked here, so that `context list` can still list when it names no
 * lab); `current` and `use` refuse an unknown one, as every other command does.
 */
export async function contextCommand(words: string[], io: CliIo, options: { noColor: boolean }): Promise<number> {
  const unknownOption = optionRefusal('context', ['json', 'no-json', 'help', 'context'], 'see: homelab context --help');
  const { positionals, flags } = splitWords(words, { unknownOption });
  const unknown = [...flags.keys()].find((f) => f !== 'json' && f !== 'no-json' && f !== 'help' && f !== 'context');
  if (flags.has('help') || positionals.length === 0) {
    io.stdout.write(HELP);
    return positionals.length === 0 && !flags.has('help') ? ExitCode.usage : ExitCode.ok;
  }
  if (unknown) throw unknownOption(`--${unknown}`);
  const given = flags.get('context');
  const flag = typeof given === 'string' ? given : undefined;
  const [verb, ...rest] = positionals;
  if (verb === 'list' && rest.length === 0) return list(io, flags.has('json'), options.noColor, flag);
  if (verb === 'current' && rest.length === 0) {
    const { name, from } = currentOf(io.env, flag);
    io.stdout.write(flags.has('json') ? `${JSON.stringify({ context: name, from }, null, 2)}\n` : `${name}\n`);
    return ExitCode.ok;
  }
  if (verb === 'use' && rest.length !== 1) throw new UsageError(rest.length ? `context use takes one name, not ${rest.length}` : 'context use needs a name', 'see: homelab context list');
  if (verb === 'use') {
    if (flag !== undefined) knownContext(flag, '--context', configFile(io.env));
    const done = await useContext(rest[0] as string, io.env);
    const was = done.invalid ? ` (replaced current_context, which was ${done.invalid}, not a context name)` : done.previous === done.current ? ' (unchanged)' : ` (was ${done.previous ?? ''})`;
    io.stdout.write(flags.has('json') ? `${JSON.stringify(done, null, 2)}\n` : `current context: ${done.current}${was}\n`);
    if (io.env.HOMELAB_CONTEXT) io.stderr.write(`note: HOMELAB_CONTEXT (${terminalLine(io.env.HOMELAB_CONTEXT)}) still wins in this shell\n`);
    return ExitCode.ok;
  }
  throw new UsageError(`unknown command: context ${positionals.join(' ')}`, 'see: homelab context --help');
}
