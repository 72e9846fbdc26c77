/**
 * @module surfaces/web/form-fields
 * The fields of an operation's form, read from its zod input schema (as JSON Schema,
 * the same conversion the MCP tools use): the kind of control (text, number, checkbox,
 * a select for an enum, a list; an optional switch without a default is a three-way
 * choice, `tristate`: left out, on or off), whether it is required, its default, its help text
 * (the schema's description) and its bounds. A text field its operation marked as free text
 * (`core/free-text`: a TXT record's text, a comment, a keyword, a message) is sent as typed, and
 * one written in lines (a description, notes, SSH keys) is drawn as a text area (`multiline`);
 * other text (names, addresses, ids) is trimmed. The mark is the operation's, never guessed
 * here from a length, so the dashboard knows nothing of any service. Keys the operation takes
 * on the command line only (`cliOnlyInputs`: a path on the hub's disk) are left out, so the
 * dashboard neither shows nor passes them. Nothing here is written per operation.
 */
import { z } from 'zod';
import { freeTextOf } from '../../core/free-text.js';
import type { AnyOperation } from '../../core/operation.js';

/**
 * The control a field is drawn as. A switch (boolean) with a default, or a required one,
 * is a `checkbox`: unticked means false, which is what it says. An optional one without a
 * default is a `tristate`, whose first choice leaves the key out (unchanged, or the
 * operation's own choice): an unticked box could not tell "leave it" from "off".
 */
export type FieldKind = 'text' | 'number' | 'integer' | 'checkbox' | 'tristate' | 'select' | 'list';

/** One input key of an operation, as a form field. */
export interface Field {
  key: string;
  kind: FieldKind;
  required: boolean;
  /** The schema's description: the field's help text. */
  help?: string;
  /** The default, as the control shows it. */
  defaultValue?: string | boolean;
  /** The choices of a select. */
  options?: string[];
  /** The item kind of a list. */
  itemKind?: 'text' | 'number' | 'integer';
  min?: number;
  max?: number;
  /** Free text (marked by its operation: `core/free-text`): sent as typed, never trimmed. */
  freeText?: boolean;
  /** Free text written in lines (a description, a message, SSH keys): drawn as a text area, its line breaks kept. */
  multiline?: boolean;
  /** Taken positionally on the CLI (`args`): shown first. */
  positional: boolean;
}

const jsonProperty = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  enum: z.array(z.unknown()).optional(),
  const: z.unknown().optional(),
  default: z.unknown().optional(),
  description: z.string().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  items: z.looseObject({ type: z.union([z.string(), z.array(z.string())]).optional() }).optional(),
});
const jsonObject = z.looseObject({ properties: z.record(z.string(), jsonProperty).default({}), required: z.array(z.string()).default([]) });

type JsonProperty = z.infer<typeof jsonProperty>;

const cache = new WeakMap<AnyOperation, Field[]>();

/** The form fields of an operation, positional ones first (in `args` order), then the rest in schema order; never a CLI-only key. */
export function fieldsOf(op: AnyOperation): Field[] {
  const known = cache.get(op);
  if (known) return known;
  const schema = jsonObject.parse(z.toJSONSchema(op.input, { io: 'input', unrepresentable: 'any' }));
  const args = op.args ?? [];
  const cliOnly = new Set(op.cliOnlyInputs ?? []);
  const shape = op.input.shape as Record<string, z.ZodType>;
  const fields = Object.entries(schema.properties).filter(([key]) => !cliOnly.has(key))
    .map(([key, p]) => toField(key, p, shape[key], schema.required.includes(key), args.includes(key)));
  fields.sort((a, b) => rank(a.key, args) - rank(b.key, args));
  cache.set(op, fields);
  return fields;
}

/** The keys a run must be given (no default, not optional). */
export function requiredKeys(op: AnyOperation): string[] {
  return fieldsOf(op).filter((f) => f.required).map((f) => f.key);
}

function rank(key: string, args: readonly string[]): number {
  const i = args.indexOf(key);
  return i < 0 ? args.length : i;
}

function primaryType(type: JsonProperty['type']): string | undefined {
  const types = Array.isArray(type) ? type.filter((t) => t !== 'null') : type ? [type] : [];
  return types.length === 1 ? types[0] : undefined;
}

function toField(key: string, p: JsonProperty, zod: z.ZodType | undefined, required: boolean, positional: boolean): Field {
  const field: Field = { key, kind: 'text', required, positional };
  if (p.description) field.help = p.description;
  if (p.minimum !== undefined && Math.abs(p.minimum) < Number.MAX_SAFE_INTEGER) field.min = p.minimum;
  if (p.maximum !== undefined && Math.abs(p.maximum) < Number.MAX_SAFE_INTEGER) field.max = p.maximum;
  const type = primaryType(p.type);
  if (p.enum && p.enum.every((v) => typeof v === 'string')) {
    field.kind = 'select';
    field.options = p.enum;
  } else if (type === 'boolean') field.kind = required || p.default !== undefined ? 'checkbox' : 'tristate';
  else if (type === 'number' || type === 'integer') field.kind = type;
  else if (type === 'string' && zod) {
    // Free text only where the operation says so (core/free-text): a long id or an address is trimmed like a name.
    const written = freeTextOf(zod);
    if (written) field.freeText = true;
    if (written === 'lines') field.multiline = true;
  } else if (type === 'array') {
    field.kind = 'list';
    const item = primaryType(p.items?.type);
    field.itemKind = item === 'number' || item === 'integer' ? item : 'text';
  }
  if (typeof p.default === 'boolean') field.defaultValue = p.default;
  else if (typeof p.default === 'string' || typeof p.default === 'number') field.defaultValue = String(p.default);
  else if (Array.isArray(p.default)) field.defaultValue = p.default.map(String).join('\n');
  return field;
}
