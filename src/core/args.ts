/**
 * @module core/args
 * Turns words and flags (a CLI argv, a Telegram command) into an operation's input, by
 * reading the operation's zod schema: key names become `--kebab-case` flags, `args`
 * are positional, booleans are switches (`--no-x` for false), numbers are converted,
 * enums list their choices in help. Validation itself stays with zod (`parseInput`).
 *
 * The rules (README "Arguments"; word-level ones in `core/words`):
 * - `--flag value` and `--flag=value` are the same, but `--flag value` never takes a word
 *   that looks like an option (`--comment --ttl 60` is refused: write `--comment=--ttl`);
 * - a switch is `--x` or `--no-x`; `--x=true|false|yes|no|1|0` also works (`--json=false`
 *   prints no JSON, `--yes=false` still asks); any other value is a usage error; an
 *   operation's `--x` and `--no-x` together are refused (`--json`/`--no-json`: the last wins);
 * - numbers are plain decimal (`105`, `-5`, `1.5`; integers digits only): `0x65`, `1e2`,
 *   `" 100"`, `+5` are refused by the schema, never read as another number;
 * - `--` ends the options: every later word is positional (`telegram send -- -h`);
 * - a required positional that is not given (as a word or as its flag) is refused by name
 *   (`expose: missing <target>`) with the usage line, before zod sees the input; so is a
 *   required option (`pve create ct: missing --hostname`);
 * - an unknown option is named before anything else is judged (`pve list --timeout 2` is
 *   `unknown option --timeout`, not `unexpected argument "2"`);
 * - a list option (`--domains`) may be repeated: its values add up, each one a comma list
 *   (`--domains a,b --domains c` is a, b, c); any other option given twice with different
 *   values is refused (`--ttl is given twice with different values: give it once`), and a
 *   repeat that says the same thing again (`--ttl 60 --ttl 60`, `--no-wait --no-wait`,
 *   `--wait --wait=yes`) is harmless and taken; a switch given with both meanings
 *   (`--x --no-x`, `--x=true --x=false`) is refused as a contradiction, except the global
 *   switches (`--json`, `--yes`, `--color`), where the last wins so that a later word can
 *   turn off what an alias or a script put first;
 * - every refusal is a UsageError (exit 2).
 */
import type { z } from 'zod';
import { UsageError } from './errors.js';
import { isCommaList } from './comma-list.js';
import type { AnyOperation } from './operation.js';
import { decimalFromWord, isOptionLike, shownName, shownWord, switchValue } from './words.js';

/** What kind of value a field takes. */
export type FieldKind = 'string' | 'number' | 'boolean' | 'enum' | 'array';

/** One input field, as surfaces present it. */
export interface FieldInfo {
  key: string;
  /** `--kebab-case` name. */
  flag: string;
  kind: FieldKind;
  description?: string;
  optional: boolean;
  defaultValue?: unknown;
  choices?: string[];
  /** For numbers: whether the schema takes integers only (then a word must be digits only). */
  integer?: boolean;
  /** Position among the positional args, or undefined for flags. */
  position?: number;
  /** On the CLI the value is a file whose text is passed on (`Operation.cliFiles`). */
  file?: boolean;
  /** Kinds of values shell completion offers for it (`ServiceModule.completeFields`). */
  complete?: string[];
  /** A comma-separated list in one string (`core/comma-list`): the option may be repeated, its values joined. */
  list?: boolean;
}

/** Converts camelCase or snake_case to kebab-case. */
export function kebab(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
}

function describeField(schema: z.ZodType): Omit<FieldInfo, 'key' | 'flag' | 'position'> {
  let current: z.ZodType = schema;
  let optional = false;
  let defaultValue: unknown;
  let description = schema.description;
  let list = false;
  for (let depth = 0; depth < 10; depth++) {
    const def = current.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; defaultValue?: unknown };
    description ??= current.description;
    list ||= isCommaList(current);
    if (def.type === 'optional' || def.type === 'nullable') { optional = true; current = def.innerType as z.ZodType; continue; }
    if (def.type === 'default' || def.type === 'prefault') { optional = true; defaultValue = def.defaultValue; current = def.innerType as z.ZodType; continue; }
    if (def.type === 'pipe') { current = def.in as z.ZodType; continue; }
    break;
  }
  description ??= current.description;
  const type = (current.def as { type: string }).type;
  const kind: FieldKind = type === 'boolean' ? 'boolean' : type === 'number' || type === 'int' ? 'number' : type === 'enum' ? 'enum' : type === 'array' ? 'array' : 'string';
  const choices = kind === 'enum' ? (current as unknown as { options: string[] }).options.map(String) : undefined;
  const integer = kind === 'number' ? /int/.test(String((current as unknown as { format?: string | null }).format ?? '')) : undefined;
  list ||= isCommaList(current);
  return { kind, optional, defaultValue, description, choices, ...(integer !== undefined ? { integer } : {}), ...(list && kind === 'string' ? { list } : {}) };
}

/** The fields of an operation's input, positional ones first in order. */
export function fieldsOf(op: AnyOperation): FieldInfo[] {
  const args = op.args ?? [];
  const shape = op.input.shape as Record<string, z.ZodType>;
  const fields = Object.entries(shape).map(([key, schema]): FieldInfo => {
    const position = args.indexOf(key);
    return { key, flag: kebab(key), ...describeField(schema), ...(position >= 0 ? { position } : {}), ...(op.cliFiles?.includes(key) ? { file: true } : {}) };
  });
  return fields.sort((a, b) => (a.position ?? 99) - (b.position ?? 99));
}

/** Flags the surfaces handle themselves; never part of an operation's input. All are switches. */
export const GLOBAL_FLAGS = new Set(['json', 'yes', 'help', 'color']);

/** Parsed words: positionals and `--flag[=value]` pairs. */
export interface ParsedWords {
  positionals: string[];
  /**
   * Flags by name (a repeat said the same, or the last of a list option's values). A global
   * switch is normalised: `--json`, `--json=true` → `json`; `--no-json`, `--json=false` →
   * `no-json` (and `json` absent).
   */
  flags: Map<string, string | true>;
  /** Every value of each list option (`lists` of `splitWords`), in the order given. */
  lists: Map<string, string[]>;
}

/** How `splitWords` reads flags; every predicate gets the kebab-case name without `--`. */
export interface SplitOptions {
  /** Flags that take a value: `--flag value` consumes the next word. None by default. */
  takesValue?: (name: string) => boolean;
  /** Flags that may be repeated, their values adding up (list options). None by default. */
  lists?: (name: string) => boolean;
  /**
   * Flags the caller knows. A repeat of any other is not judged here: the caller refuses the
   * name itself, so a misspelt option is reported as unknown, not as repeated. All by default.
   */
  known?: (name: string) => boolean;
}

/** Whether the words ask for help: `--help` or `-h` before any `--`. */
export function asksForHelp(words: readonly string[]): boolean {
  const end = words.indexOf('--');
  return (end < 0 ? words : words.slice(0, end)).some((w) => w === '--help' || w === '-h');
}

/** What a flag's value says, to compare a repeat with: a switch word's meaning, else the text. */
function meaning(value: string | true, switchLike: boolean): string {
  if (value === true) return 'true';
  return switchLike && /^(?:true|yes|1|false|no|0)$/i.test(value) ? String(switchValue('', value)) : value;
}

function setFlag(parsed: ParsedWords, name: string, value: string | true, options: SplitOptions): void {
  const { flags } = parsed;
  const negated = name.startsWith('no-');
  const base = negated ? name.slice(3) : name;
  if (negated && value !== true) throw new UsageError(`--${shownName(name)} takes no value`);
  if (GLOBAL_FLAGS.has(base)) {
    const on = negated ? false : value === true || switchValue(base, value);
    flags.delete(on ? `no-${base}` : base);
    flags.set(on ? base : `no-${base}`, true);
    return;
  }
  // An operation's `--x` with `--no-x` is a contradiction, not a choice (global switches: the last wins).
  if (flags.has(negated ? base : `no-${base}`)) throw new UsageError(`--${shownName(base)} and --no-${shownName(base)} contradict each other: give one`);
  if (options.lists?.(name) && value !== true) {
    parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value]);
    flags.set(name, value);
    return;
  }
  const before = flags.get(name);
  if (before !== undefined && (options.known?.(name) ?? true)) {
    const switchLike = !options.takesValue?.(name);
    if (meaning(before, switchLike) !== meaning(value, switchLike)) {
      // Both written as switch words: a contradiction, as `--x --no-x` is; otherwise two values where one is taken.
      const both = switchLike && [before, value].every((v) => v === true || /^(?:true|yes|1|false|no|0)$/i.test(v));
      throw new UsageError(both ? `--${shownName(name)} and --no-${shownName(name)} contradict each other: give one` : `--${shownName(name)} is given twice with different values: give it once`);
    }
    return;
  }
  flags.set(name, value);
}

/**
 * Splits words into positionals and flags. `--` ends flags; `-y` is `--yes`, `-h` is
 * `--help`; a word like `-5` is a positional. A flag that `takesValue` consumes the
 * next word when written `--flag value`, unless that word looks like an option (then
 * the value must be written `--flag=--x`). A repeated flag: see the module's rules.
 * (`takesValue` alone may be given as a function, as before.)
 */
export function splitWords(words: readonly string[], how: SplitOptions | ((name: string) => boolean) = {}): ParsedWords {
  const options: SplitOptions = typeof how === 'function' ? { takesValue: how } : how;
  const takesValue = options.takesValue ?? (() => false);
  const parsed: ParsedWords = { positionals: [], flags: new Map(), lists: new Map() };
  let onlyPositional = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (onlyPositional || !isOptionLike(word)) { parsed.positionals.push(word); continue; }
    if (word === '--') { onlyPositional = true; continue; }
    if (word === '-y') { setFlag(parsed, 'yes', true, options); continue; }
    if (word === '-h') { setFlag(parsed, 'help', true, options); continue; }
    if (!word.startsWith('--')) throw new UsageError(`unknown option ${shownWord(word)}`);
    const eq = word.indexOf('=');
    if (eq > 2) { setFlag(parsed, word.slice(2, eq), word.slice(eq + 1), options); continue; }
    const name = word.slice(2);
    if (!takesValue(name)) { setFlag(parsed, name, true, options); continue; }
    const next = words[i + 1];
    if (next === undefined || isOptionLike(next)) {
      throw new UsageError(`--${shownName(name)} needs a value`, `a value that starts with - is written --${shownName(name)}=-…`);
    }
    setFlag(parsed, name, next, options);
    i++;
  }
  return parsed;
}

/**
 * Builds an operation's raw input from words (`['105', '--no-wait']`). Values that do
 * not fit (a word for a number) are passed on as they are, so zod reports them.
 */
export function inputFromWords(op: AnyOperation, words: readonly string[]): { input: Record<string, unknown>; flags: Map<string, string | true> } {
  const fields = fieldsOf(op);
  const flagOf = new Map(fields.map((f) => [f.flag, f]));
  const valueFlags = new Set(fields.filter((f) => f.kind !== 'boolean').map((f) => f.flag));
  const known = (name: string): boolean => {
    const base = name.startsWith('no-') ? name.slice(3) : name;
    return GLOBAL_FLAGS.has(base) || flagOf.has(name) || flagOf.get(base)?.kind === 'boolean';
  };
  const repeatable = (name: string): boolean => flagOf.get(name)?.kind === 'array' || flagOf.get(name)?.list === true;
  const { positionals, flags, lists } = splitWords(words, { takesValue: (name) => valueFlags.has(name), lists: repeatable, known });
  // An unknown option first: `--timeout 2` is a misspelt or foreign option, not a stray "2".
  const unknown = [...flags.keys()].find((name) => !known(name));
  if (unknown !== undefined) throw new UsageError(`unknown option --${shownName(unknown)} for ${op.id.replace(/\./g, ' ')}`, `see: homelab ${op.id.replace(/\./g, ' ')} --help`);
  const input: Record<string, unknown> = {};
  const positional = fields.filter((f) => f.position !== undefined);
  for (let i = 0; i < positionals.length; i++) {
    const field = positional[i];
    const word = positionals[i] as string;
    if (!field) throw new UsageError(`unexpected argument ${shownWord(word)}`, `usage: homelab ${usageLine(op)}`);
    if (op.variadic && i === positional.length - 1) {
      // The last positional of a variadic operation takes every remaining word.
      input[field.key] = convert(field, positionals.slice(i).join(' '));
      break;
    }
    input[field.key] = convert(field, word);
  }
  for (const [name, value] of flags) {
    if (GLOBAL_FLAGS.has(name) || (name.startsWith('no-') && GLOBAL_FLAGS.has(name.slice(3)))) continue;
    const negated = name.startsWith('no-') ? fields.find((f) => f.flag === name.slice(3) && f.kind === 'boolean') : undefined;
    if (negated) { input[negated.key] = false; continue; }
    const field = flagOf.get(name) as FieldInfo;
    if (field.kind === 'boolean') input[field.key] = value === true || switchValue(name, value);
    else if (value === true) throw new UsageError(`--${name} needs a value`);
    else if (field.kind === 'array') {
      // Repeats add up, and so do the positional's words and the flag's (`a --domains b`).
      const given = (lists.get(name) ?? [value]).flatMap((v) => v.split(','));
      input[field.key] = [...((input[field.key] as string[] | undefined) ?? []), ...given];
    } else if (field.list) {
      // A comma list in one string: the repeats (and a positional's word) joined, for the schema to split.
      const given = lists.get(name) ?? [value];
      input[field.key] = [...(input[field.key] === undefined ? [] : [input[field.key] as string]), ...given].join(',');
    } else if (input[field.key] !== undefined && input[field.key] !== convert(field, value)) {
      throw new UsageError(`${field.key} is given twice with different values, as an argument and as --${field.flag}: give it once`);
    } else input[field.key] = convert(field, value);
  }
  const missing = positional.find((f) => !f.optional && input[f.key] === undefined);
  if (missing) throw new UsageError(`${op.id.replace(/\./g, ' ')}: missing <${missing.key}>`, `usage: homelab ${usageLine(op)}`);
  const missingFlag = fields.find((f) => f.position === undefined && !f.optional && input[f.key] === undefined);
  if (missingFlag) throw new UsageError(`${op.id.replace(/\./g, ' ')}: missing --${missingFlag.flag}`, `see: homelab ${op.id.replace(/\./g, ' ')} --help`);
  return { input, flags };
}

function convert(field: FieldInfo, word: string): unknown {
  if (field.kind === 'number') return decimalFromWord(word, field.integer) ?? word;
  if (field.kind === 'array') return word.split(',');
  return word;
}

/** How words name an input key: a positional by its key, an option as its flag (`sshKey` → `--ssh-key`). */
export function wordName(op: AnyOperation): (key: string) => string {
  const fields = fieldsOf(op);
  return (key) => {
    const field = fields.find((f) => f.key === key);
    return field && field.position === undefined ? `--${field.flag}` : key;
  };
}

/** `pve start <vmid> [--no-wait]`-style usage line. */
export function usageLine(op: AnyOperation, prefix = ''): string {
  const parts = [prefix + op.id.replace(/\./g, ' ')];
  for (const f of fieldsOf(op)) {
    if (f.position !== undefined) parts.push(f.optional ? `[${f.key}]` : `<${f.key}>`);
  }
  if (fieldsOf(op).some((f) => f.position === undefined)) parts.push('[options]');
  return parts.join(' ');
}
