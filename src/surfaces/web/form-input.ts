/**
 * @module surfaces/web/form-input
 * Turns submitted form values (or a link's query) into an operation's raw input, by
 * the kind of each field: numbers as numbers, checkboxes as booleans, lists split on
 * lines and commas, empty fields left out so defaults apply. The result then goes
 * through the operation's own `parseInput`, as on every surface; nothing is checked here
 * that the schema does not check itself. A value that is not a number stays text, so
 * the schema's own message names it.
 */
import type { Field } from './form-fields.js';

/** Submitted values by name (a repeated name gives an array). */
export type FormValues = Record<string, string | string[] | undefined>;

/** Names used by the dashboard itself in forms, never input keys. */
export const RESERVED = new Set(['_csrf', '_form', '_context']);

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function number(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
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
    if (field.kind === 'list') {
      const items = (Array.isArray(raw) ? raw : [raw ?? '']).flatMap((v) => v.split(/[\n,]/)).map((v) => v.trim()).filter(Boolean);
      if (items.length) input[field.key] = field.itemKind === 'text' ? items : items.map(number);
      continue;
    }
    const v = one(raw)?.trim();
    if (v === undefined || v === '') continue;
    input[field.key] = field.kind === 'number' || field.kind === 'integer' ? number(v) : v;
  }
  return input;
}

/** The values a form shows for an input (for re-showing a form and for hidden fields). */
export function inputToValues(input: Record<string, unknown>): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean') values[key] = value;
    else if (Array.isArray(value)) values[key] = value.map(String).join('\n');
    else if (typeof value === 'object') values[key] = JSON.stringify(value);
    else values[key] = String(value);
  }
  return values;
}
