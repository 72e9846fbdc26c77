/**
 * @module surfaces/cli/completion/engine
 * What Tab offers for a command line, from the command index (services, verbs, flags, enum
 * choices: the registry) and the stored dynamic values. Pure: the caller supplies the
 * index, the non-operation commands and a lookup of values by kind, so the rules are
 * tested on their own; `__complete` (complete-command.ts) wires them to the files.
 *
 * The words are those after `homelab`, the last one being the word under the cursor
 * (empty after a space). bash splits `--type=l` into `--type`, `=`, `l`; the engine joins
 * them again and answers with the part after `=`, which is all bash replaces.
 */
import type { FieldInfo } from '../../../core/args.js';
import type { CompletionValue } from '../../../core/completion.js';
import { ALL_CONTEXTS_OPERATIONS } from '../../../core/context-flag.js';
import { isOptionLike } from '../../../core/words.js';
import type { CommandIndexData, IndexedOperation } from '../command-index.js';

/** The shells a script is written for. */
export type Shell = 'bash' | 'zsh' | 'fish';

/** An option of a command that is not an operation (`serve --allow change|danger`). */
export interface CommandFlag {
  /** Without the dashes. */
  flag: string;
  description: string;
  /** The values it takes, when they are a fixed set. */
  choices?: readonly string[];
  /** Takes a value (one with `choices` does); a switch otherwise. */
  value?: boolean;
}

/** A command that is not an operation (`lab`, `completion`), with the words its first argument takes. */
export interface CompletableCommand {
  name: string;
  summary: string;
  words?: readonly string[];
  /** The completion kind of the value after one of those words (`context use <name>`). */
  wordKinds?: Readonly<Record<string, string>>;
  /** Its options. */
  flags?: readonly CommandFlag[];
}

/** What the engine completes from. */
export interface CompletionModel {
  index: CommandIndexData;
  commands: readonly CompletableCommand[];
  /** Context names (empty: no `contexts:` in the config, and no `--context` to offer). */
  contexts: readonly string[];
  /** Values of a dynamic kind in a context (the cache, or the config for its own kinds). */
  values(kind: string, context: string | undefined): CompletionValue[];
}

/** The answer: words to offer, or `files` (let the shell complete a file name). */
export interface CompletionAnswer {
  mode: 'words' | 'files';
  candidates: CompletionValue[];
}

const words = (candidates: CompletionValue[]): CompletionAnswer => ({ mode: 'words', candidates });

/** Joins bash's `--x`, `=`, `v` back into `--x=v`. */
function joinEquals(list: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const w = list[i] as string;
    const last = out.at(-1);
    if (w === '=' && last?.startsWith('--') && !last.includes('=')) {
      out[out.length - 1] = `${last}=${list[i + 1] ?? ''}`;
      i++;
    } else out.push(w);
  }
  return out;
}

/** Completes the command line `line` (words after `homelab`, the last one under the cursor). */
export function complete(model: CompletionModel, line: readonly string[], shell: Shell): CompletionAnswer {
  let all = line.length ? [...line] : [''];
  // bash: the cursor right after `=` (`--type=`), or on the value after it.
  let bashValueOnly = false;
  if (shell === 'bash') {
    const n = all.length;
    if (all[n - 1] === '=' && all[n - 2]?.startsWith('--')) { all = [...all.slice(0, n - 2), `${all[n - 2]}=`]; bashValueOnly = true; }
    else if (all[n - 2] === '=' && all[n - 3]?.startsWith('--')) { all = [...all.slice(0, n - 3), `${all[n - 3]}=${all[n - 1]}`]; bashValueOnly = true; }
    all = [...joinEquals(all.slice(0, -1)), all.at(-1) as string];
  }
  const cur = all.at(-1) as string;
  const { rest: before, context, allContexts } = globalOptions(all.slice(0, -1));
  const answer = completeIn(model, before, cur, context, allContexts);
  const prefixed = bashValueOnly ? answer.candidates.map((c) => ({ ...c, value: c.value.slice(c.value.indexOf('=') + 1) })) : answer.candidates;
  return { mode: answer.mode, candidates: prefixed };
}

/** Takes `--context X`, `--context=X`, `--all-contexts` and the colour switches out of the words (before any `--`). */
function globalOptions(list: readonly string[]): { rest: string[]; context?: string; allContexts: boolean } {
  const rest: string[] = [];
  let context: string | undefined;
  let allContexts = false;
  let ended = false;
  for (let i = 0; i < list.length; i++) {
    const w = list[i] as string;
    if (ended) { rest.push(w); continue; }
    if (w === '--') ended = true;
    if (w === '--context' && i + 1 < list.length) { context = list[++i]; continue; }
    if (w.startsWith('--context=')) { context = w.slice('--context='.length); continue; }
    if (w === '--all-contexts') { allContexts = true; continue; }
    if (w === '--no-color' || w === '--color' || w.startsWith('--color=')) continue;
    rest.push(w);
  }
  return { rest, ...(context ? { context } : {}), allContexts };
}

/** Keeps the candidates that start with `cur`; dynamic values may match by description instead. */
function matching(candidates: readonly CompletionValue[], cur: string, byDescription = false): CompletionValue[] {
  const direct = candidates.filter((c) => c.value.startsWith(cur));
  if (direct.length || !byDescription || !cur) return direct;
  const lower = cur.toLowerCase();
  return candidates.filter((c) => c.description?.toLowerCase().startsWith(lower));
}

function completeIn(model: CompletionModel, before: string[], cur: string, context: string | undefined, allContexts: boolean): CompletionAnswer {
  if (before.at(-1) === '--context') return words(matching(model.contexts.map((value) => ({ value, description: 'context' })), cur));
  if (cur.startsWith('--context=')) return words(matching(model.contexts.map((c) => ({ value: `--context=${c}`, description: 'context' })), cur));
  const aliases = new Map<string, string>();
  for (const s of model.index.services) for (const a of s.aliases ?? []) aliases.set(a, s.name);
  const head = before.length ? [aliases.get(before[0] as string) ?? (before[0] as string), ...before.slice(1)] : [];
  const op = resolve(model.index.operations, head);
  if (!op) {
    const command = model.commands.find((c) => c.name === before[0]);
    if (command?.flags) {
      const answer = completeCommandFlags(model, command, before.slice(1), cur, context !== undefined);
      if (answer) return answer;
    }
    if (cur.startsWith('-')) return words(matching(topFlags(model), cur));
    const kind = before.length === 2 ? command?.wordKinds?.[before[1] as string] : undefined;
    if (kind) return words(matching(model.values(kind, context), cur, true));
    const commandWords = command && before.length === 1 ? (command.words ?? []).map((value) => ({ value, description: command.summary })) : [];
    return words(matching([...commandWords, ...nextWords(model, head)], cur));
  }
  const n = op.id.split('.').length;
  return completeOperation(model, op, head.slice(n), cur, context, nextWords(model, head), allContexts);
}

/** The operation named by the leading words (the longest id that they spell), if any. */
function resolve(ops: readonly IndexedOperation[], head: readonly string[]): IndexedOperation | undefined {
  for (let n = Math.min(head.length, 4); n >= 1; n--) {
    const id = head.slice(0, n).join('.');
    if (head.slice(0, n).some((w) => isOptionLike(w))) continue;
    const op = ops.find((o) => o.id === id);
    if (op) return op;
  }
  return undefined;
}

/** The words that may follow `head` on the way to an operation (`pve` → its verbs; `` → services, top-level commands). */
function nextWords(model: CompletionModel, head: readonly string[]): CompletionValue[] {
  const out = new Map<string, CompletionValue>();
  if (!head.length) {
    for (const s of model.index.services) {
      if (!s.name) continue;
      out.set(s.name, { value: s.name, description: s.summary });
      for (const a of s.aliases ?? []) out.set(a, { value: a, description: s.summary });
    }
    for (const c of model.commands) out.set(c.name, { value: c.name, description: c.summary });
  }
  for (const op of model.index.operations) {
    const segments = op.id.split('.');
    if (segments.length <= head.length || head.some((w, i) => segments[i] !== w)) continue;
    const word = segments[head.length] as string;
    const last = segments.length === head.length + 1;
    if (!out.has(word) || last) out.set(word, { value: word, description: last ? op.summary : `${op.summary.split(':')[0]}…` });
  }
  return [...out.values()];
}

/**
 * A command's options: the choices after one that takes them (`serve --allow ` → change,
 * danger; also `--allow=`), nothing after one that takes a free value, and its options not
 * given yet where an option is being typed. Undefined: the command's words decide.
 */
function completeCommandFlags(model: CompletionModel, command: CompletableCommand, rest: readonly string[], cur: string, contextGiven: boolean): CompletionAnswer | undefined {
  const flags = command.flags ?? [];
  const named = (word: string | undefined): CommandFlag | undefined => (word?.startsWith('--') ? flags.find((f) => f.flag === word.slice(2)) : undefined);
  const previous = named(rest.at(-1));
  if (previous?.choices) return words(matching(previous.choices.map((value) => ({ value, description: previous.description })), cur));
  if (previous?.value) return words([]);
  const eq = cur.indexOf('=');
  const withValue = eq > 2 ? named(cur.slice(0, eq)) : undefined;
  if (withValue?.choices) return words(matching(withValue.choices.map((value) => ({ value: `${cur.slice(0, eq + 1)}${value}` })), cur));
  if (!cur.startsWith('-')) return undefined;
  const used = new Set(rest.filter((w) => w.startsWith('--')).map((w) => w.slice(2).split('=')[0]));
  return words(matching([
    ...flags.filter((f) => !used.has(f.flag)).map((f) => ({ value: `--${f.flag}`, description: f.description })),
    ...(model.contexts.length && !contextGiven ? [{ value: '--context', description: 'run in this context (lab)' }] : []),
    { value: '--help', description: `show ${command.name}'s help` },
  ], cur));
}

function topFlags(model: CompletionModel): CompletionValue[] {
  return [
    { value: '--help', description: 'show the commands' },
    { value: '--version', description: 'print the version' },
    ...(model.contexts.length ? [{ value: '--context', description: 'run in this context (lab)' }, { value: '--all-contexts', description: 'status of every context' }] : []),
  ];
}

/**
 * The flags of an operation not given yet (`used`), with the surfaces' own switches; with
 * contexts, `--context` and (for `status`) `--all-contexts` until either is given (`lab`).
 */
function flagsOf(model: CompletionModel, op: IndexedOperation, used: ReadonlySet<string>, lab: boolean): CompletionValue[] {
  const out: CompletionValue[] = [];
  for (const f of op.fields) {
    if (f.position !== undefined || (used.has(f.flag) && f.kind !== 'array')) continue;
    const negated = f.kind === 'boolean' && f.defaultValue === true;
    out.push({ value: `--${negated ? 'no-' : ''}${f.flag}`, ...(f.description ? { description: f.description } : {}) });
  }
  if (!used.has('json')) out.push({ value: '--json', description: 'print the result as JSON' });
  if (op.risk !== 'read' && !used.has('yes')) out.push({ value: '--yes', description: 'do not ask for confirmation' });
  if (model.contexts.length && !lab) {
    out.push({ value: '--context', description: 'run in this context (lab)' });
    if (ALL_CONTEXTS_OPERATIONS.includes(op.id)) out.push({ value: '--all-contexts', description: 'run it in every context at once' });
  }
  out.push({ value: '--help', description: 'show this command\'s help' });
  return out;
}

/** The values a field takes: enum choices, dynamic values of its kinds, or file names. */
function fieldValues(model: CompletionModel, field: FieldInfo, cur: string, context: string | undefined, prefix = ''): CompletionAnswer {
  if (field.file && !prefix) return { mode: 'files', candidates: [] };
  const add = (list: CompletionValue[]): CompletionValue[] => list.map((c) => ({ ...c, value: prefix + c.value }));
  if (field.choices) return words(matching(add(field.choices.map((value) => ({ value }))), cur));
  if (field.kind === 'boolean') return words(prefix ? matching(add([{ value: 'true' }, { value: 'false' }]), cur) : []);
  const dynamic = (field.complete ?? []).flatMap((kind) => model.values(kind, context));
  const unique = [...new Map(dynamic.map((v) => [v.value, v])).values()];
  return words(matching(add(unique), cur, true));
}

function completeOperation(model: CompletionModel, op: IndexedOperation, rest: readonly string[], cur: string, context: string | undefined, longer: CompletionValue[], allContexts = false): CompletionAnswer {
  const lab = context !== undefined || allContexts;
  const byFlag = new Map<string, FieldInfo>(op.fields.map((f) => [f.flag, f]));
  const used = new Set<string>();
  let positionals = 0;
  let onlyPositional = false;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i] as string;
    if (onlyPositional || !isOptionLike(w)) { positionals++; continue; }
    if (w === '--') { onlyPositional = true; continue; }
    if (w === '-y' || w === '-h') { used.add(w === '-y' ? 'yes' : 'help'); continue; }
    const eq = w.indexOf('=');
    const name = w.slice(2, eq > 2 ? eq : undefined);
    const field = byFlag.get(name.replace(/^no-/, '')) ?? byFlag.get(name);
    used.add(name.replace(/^no-/, ''));
    if (eq > 2 || !field || field.kind === 'boolean') continue;
    if (i === rest.length - 1) return fieldValues(model, field, cur, context);
    i++;
  }
  if (!onlyPositional && cur.startsWith('--') && cur.includes('=')) {
    const eq = cur.indexOf('=');
    const field = byFlag.get(cur.slice(2, eq));
    return field ? fieldValues(model, field, cur, context, cur.slice(0, eq + 1)) : words([]);
  }
  if (!onlyPositional && isOptionLike(cur)) return words(matching(flagsOf(model, op, used, lab), cur));
  const positional = op.fields.filter((f) => f.position !== undefined);
  const field = positional[positionals] ?? (op.variadic ? positional.at(-1) : undefined);
  const sub = rest.length === 0 ? matching(longer, cur) : [];
  if (field) {
    const answer = fieldValues(model, field, cur, context);
    return { mode: answer.mode, candidates: [...sub, ...answer.candidates] };
  }
  // Nothing positional is left: the flags, when the word is still empty.
  return words([...sub, ...(cur === '' && !onlyPositional ? flagsOf(model, op, used, lab) : [])]);
}
