/**
 * @module core/input-fields
 * An operation's input fields as the surfaces present them, read from its zod schema: key
 * names become `--kebab-case` flags, `args` are positional, booleans are switches, numbers
 * say whether they take integers only, enums list their choices, a `core/comma-list` field
 * is a list. `convert` turns one word into what its field takes (numbers plain decimal:
 * `core/words`), passing anything else on as it is so that zod refuses it.
 */
import type { z } from 'zod';
import { isCommaList } from './comma-list.js';
import type { AnyOperation } from './operation.js';
import { decimalFromWord } from './words.js';

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

/** One word as its field takes it: a plain decimal number, a comma list split, else the word itself. */
export function convert(field: FieldInfo, word: string): unknown {
  if (field.kind === 'number') return decimalFromWord(word, field.integer) ?? word;
  if (field.kind === 'array') return word.split(',');
  return word;
}
