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
 * - the last of a repeated flag wins; every refusal is a UsageError (exit 2).
 */
import type { z } from 'zod';
import { UsageError } from './errors.js';
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
  for (let depth = 0; depth < 10; depth++) {
    const def = current.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; defaultValue?: unknown };
    description ??= current.description;
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
  return { kind, optional, defaultValue, description, choices, ...(integer !== undefined ? { integer } : {}) };
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
   * Flags by name, the last one given winning. A global switch is normalised: `--json`,
   * `--json=true` → `json`; `--no-json`, `--json=false` → `no-json` (and `json` absent).
   */
  flags: Map<string, string | true>;
}

/** Whether the words ask for help: `--help` or `-h` before any `--`. */
export function asksForHelp(words: readonly string[]): boolean {
  const end = words.indexOf('--');
  return (end < 0 ? words : words.slice(0, end)).some((w) => w === '--help' || w === '-h');
}

function setFlag(flags: Map<string, string | true>, name: string, value: string | true): void {
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
  flags.set(name, value);
}

/**
 * Splits words into positionals and flags. `--` ends flags; `-y` is `--yes`, `-h` is
 * `--help`; a word like `-5` is a positional. A flag named by `takesValue` consumes the
 * next word when written `--flag value`, unless that word looks like an option (then
 * the value must be written `--flag=--x`).
 */
export function splitWords(words: readonly string[], takesValue: (name: string) => boolean = () => false): ParsedWords {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  let onlyPositional = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (onlyPositional || !isOptionLike(word)) { positionals.push(word); continue; }
    if (word === '--') { onlyPositional = true; continue; }
    if (word === '-y') { setFlag(flags, 'yes', true); continue; }
    if (word === '-h') { setFlag(flags, 'help', true); continue; }
    if (!word.startsWith('--')) throw new UsageError(`unknown option ${shownWord(word)}`);
    const eq = word.indexOf('=');
    if (eq > 2) { setFlag(flags, word.slice(2, eq), word.slice(eq + 1)); continue; }
    const name = word.slice(2);
    if (!takesValue(name)) { setFlag(flags, name, true); continue; }
    const next = words[i + 1];
    if (next === undefined || isOptionLike(next)) {
      throw new UsageError(`--${shownName(name)} needs a value`, `a value that starts with - is written --${shownName(name)}=-…`);
    }
    setFlag(flags, name, next);
    i++;
  }
  return { positionals, flags };
}

/**
 * Builds an operation's raw input from words (`['105', '--no-wait']`). Values that do
 * not fit (a word for a number) are passed on as they are, so zod reports them.
 */
export function inputFromWords(op: AnyOperation, words: readonly string[]): { input: Record<string, unknown>; flags: Map<string, string | true> } {
  const fields = fieldsOf(op);
  const valueFlags = new Set(fields.filter((f) => f.kind !== 'boolean').map((f) => f.flag));
  const { positionals, flags } = splitWords(words, (name) => valueFlags.has(name));
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
    const field = fields.find((f) => f.flag === name);
    if (!field) throw new UsageError(`unknown option --${shownName(name)} for ${op.id.replace(/\./g, ' ')}`, `see: homelab ${op.id.replace(/\./g, ' ')} --help`);
    if (field.kind === 'boolean') input[field.key] = value === true || switchValue(name, value);
    else if (value === true) throw new UsageError(`--${name} needs a value`);
    else input[field.key] = field.kind === 'array' ? [...((input[field.key] as string[] | undefined) ?? []), ...value.split(',')] : convert(field, value);
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
