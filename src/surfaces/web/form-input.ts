/**
 * @module surfaces/web/form-input
 * Turns submitted form values (or a link's query) into an operation's raw input, by
 * the kind of each field: numbers as numbers, checkboxes as booleans, a three-way choice
 * (`tristate`) as true, false or nothing, lists split on lines and commas, empty fields
 * left out so defaults apply, `''` typed as the empty value (`tags: ''` removes them all, as
 * on the command line), free text as typed (form-fields: a TXT record's, a keyword's spaces
 * are part of it; a text area's line breaks kept), other text (names, addresses, ids) trimmed. The result then goes through the operation's own
 * `parseInput`, as on every surface; nothing is checked here that the schema does not
 * check itself. A number is read as the command line reads it (`core/words`: plain
 * decimal, digits only for an integer; `0x100` and `1e3` are not numbers); anything else
 * stays text, so the schema's own message names it.
 */
import { decimalFromWord } from '../../core/words.js';
import type { Field } from './form-fields.js';

/** Submitted values by name (a repeated name gives an array). */
export type FormValues = Record<string, string | string[] | undefined>;

/** Names used by the dashboard itself in forms, never input keys. */
export const RESERVED = new Set(['_csrf', '_form', '_context', '_offset']);

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function number(text: string, kind: Field['kind'] | Field['itemKind']): number | string {
  return decimalFromWord(text, kind === 'integer') ?? text;
}

/** A text field typed as `''` (or `""`): the empty value, which a field left empty cannot send. */
const EMPTY_TYPED = /^\s*(?:''|"")\s*$/;

const ON = /^(?:on|true|yes|1)$/i;
const OFF = /^(?:off|false|no|0)$/i;

/** A three-way choice: true, false, undefined for "" (left out), or the text itself, for the schema to refuse. */
function tristate(value: string | undefined): boolean | string | undefined {
  const v = value?.trim() ?? '';
  if (v === '') return undefined;
  return ON.test(v) ? true : OFF.test(v) ? false : v;
}

/**
 * The raw input from `values`. `complete`: the values come from the whole form (an
 * unchecked checkbox is then `false`); otherwise (a link) absent keys are left out.
 */
export function formToInput(fields: readonly Field[], values: FormValues, complete: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = values[field.key];
    if (field.kind === 'checkbox') {
      const v = one(raw);
      if (v !== undefined) input[field.key] = v === 'on' || v === 'true' || v === '1' || v === 'yes';
      else if (complete) input[field.key] = false;
      continue;
    }
    if (field.kind === 'tristate') {
      const v = tristate(one(raw));
      if (v !== undefined) input[field.key] = v;
      continue;
    }
    if (field.kind === 'list') {
      const items = (Array.isArray(raw) ? raw : [raw ?? '']).flatMap((v) => v.split(/[\n,]/)).map((v) => v.trim()).filter(Boolean);
      if (items.length) input[field.key] = field.itemKind === 'text' ? items : items.map((item) => number(item, field.itemKind));
      continue;
    }
    const v = one(raw);
    if (v === undefined || v.trim() === '') continue;
    if (EMPTY_TYPED.test(v)) {
      // `''` typed: the empty value, as the command line's `--tags ''` (it removes what the field sets).
      input[field.key] = '';
      continue;
    }
    if (field.kind === 'number' || field.kind === 'integer') input[field.key] = number(v.trim(), field.kind);
    // Free text as typed, spaces and all, as the command line passes it (a text area's line breaks as \n: a browser sends \r\n); a name trimmed.
    else input[field.key] = field.freeText ? v.replace(/\r\n?/g, '\n') : v.trim();
  }
  return input;
}

/**
 * The values a form shows again for what was submitted: as `formToInput` reads them, so a
 * box unticked in a whole form stays unticked (not ticked again by its default) and a
 * choice keeps its answer; text that is not a valid value is shown as typed.
 */
export function submittedValues(fields: readonly Field[], values: FormValues, complete: boolean): Record<string, string | boolean> {
  return inputToValues(formToInput(fields, values, complete));
}

/** The values a form shows for an input (for re-showing a form and for hidden fields). */
export function inputToValues(input: Record<string, unknown>): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean') values[key] = value;
    else if (Array.isArray(value)) values[key] = value.map(String).join('\n');
    else if (typeof value === 'object') values[key] = JSON.stringify(value);
    // The empty value as it is typed (an empty field would send nothing).
    else values[key] = value === '' ? "''" : String(value);
  }
  return values;
}
