/**
 * @module core/args
 * Turns words and flags (a CLI argv, a Telegram command) into an operation's input, by
 * reading the operation's zod schema: key names become `--kebab-case` flags, `args`
 * are positional, booleans are switches (`--no-x` for false), numbers are converted,
 * enums list their choices in help. Validation itself stays with zod (`parseInput`).
 */
import type { z } from 'zod';
import { UsageError } from './errors.js';
import type { AnyOperation } from './operation.js';

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
  /** Position among the positional args, or undefined for flags. */
  position?: number;
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
  return { kind, optional, defaultValue, description, choices };
}

/** The fields of an operation's input, positional ones first in order. */
export function fieldsOf(op: AnyOperation): FieldInfo[] {
  const args = op.args ?? [];
  const shape = op.input.shape as Record<string, z.ZodType>;
  const fields = Object.entries(shape).map(([key, schema]): FieldInfo => {
    const position = args.indexOf(key);
    return { key, flag: kebab(key), ...describeField(schema), ...(position >= 0 ? { position } : {}) };
  });
  return fields.sort((a, b) => (a.position ?? 99) - (b.position ?? 99));
}

/** Flags the surfaces handle themselves; never part of an operation's input. */
export const GLOBAL_FLAGS = new Set(['json', 'yes', 'help', 'color', 'quiet']);

/** Parsed words: positionals and `--flag[=value]` pairs. */
export interface ParsedWords {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** Splits words into positionals and flags. `--` ends flags; `-y` is `--yes`, `-h` is `--help`. */
export function splitWords(words: readonly string[]): ParsedWords {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  let onlyPositional = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (onlyPositional || !word.startsWith('-') || word === '-' || /^-\d/.test(word)) { positionals.push(word); continue; }
    if (word === '--') { onlyPositional = true; continue; }
    if (word === '-y') { flags.set('yes', true); continue; }
    if (word === '-h') { flags.set('help', true); continue; }
    if (!word.startsWith('--')) throw new UsageError(`unknown option ${word}`);
    const eq = word.indexOf('=');
    if (eq > 0) flags.set(word.slice(2, eq), word.slice(eq + 1));
    else flags.set(word.slice(2), true);
  }
  return { positionals, flags };
}

/**
 * Builds an operation's raw input from words (`['105', '--no-wait']`). Values that do
 * not fit (a word for a number) are passed on as they are, so zod reports them.
 */
export function inputFromWords(op: AnyOperation, words: readonly string[]): { input: Record<string, unknown>; flags: Map<string, string | true> } {
  const fields = fieldsOf(op);
  const raw = [...words];
  // A flag that takes a value consumes the following word when written `--flag value`.
  const valueFlags = new Set(fields.filter((f) => f.kind !== 'boolean').map((f) => f.flag));
  const joined: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const word = raw[i] as string;
    const name = word.startsWith('--') && !word.includes('=') ? word.slice(2) : undefined;
    if (name && valueFlags.has(name)) {
      const next = raw[i + 1];
      if (next === undefined) throw new UsageError(`--${name} needs a value`);
      joined.push(`--${name}=${next}`);
      i++;
    } else joined.push(word);
  }
  const { positionals, flags } = splitWords(joined);
  const input: Record<string, unknown> = {};
  const positional = fields.filter((f) => f.position !== undefined);
  for (let i = 0; i < positionals.length; i++) {
    const field = positional[i];
    const word = positionals[i] as string;
    if (!field) throw new UsageError(`unexpected argument ${JSON.stringify(word)}`, `usage: ${usageLine(op)}`);
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
    if (!field) throw new UsageError(`unknown option --${name} for ${op.id.replace(/\./g, ' ')}`, `see: homelab ${op.id.replace(/\./g, ' ')} --help`);
    if (field.kind === 'boolean') {
      if (value !== true && !/^(true|false|1|0|yes|no)$/i.test(value)) throw new UsageError(`--${name} is a switch and takes no value`);
      input[field.key] = value === true || /^(true|1|yes)$/i.test(value);
    } else if (value === true) {
      throw new UsageError(`--${name} needs a value`);
    } else {
      input[field.key] = field.kind === 'array' ? [...((input[field.key] as string[] | undefined) ?? []), ...value.split(',')] : convert(field, value);
    }
  }
  return { input, flags };
}

function convert(field: FieldInfo, word: string): unknown {
  if (field.kind === 'number') {
    const n = Number(word);
    return word.trim() !== '' && Number.isFinite(n) ? n : word;
  }
  if (field.kind === 'array') return word.split(',');
  return word;
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
