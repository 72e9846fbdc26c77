/**
 * @module surfaces/web/form-body
 * What a request submits, read through zod: a form's body (urlencoded or multipart) and a
 * link's query. The dashboard takes text only: each name has one value or a list of them
 * (a repeated name), within limits (`MAX_FIELDS` names, `MAX_VALUES` values a name).
 * Anything else (a file uploaded through multipart, too many values) is refused with one
 * line naming the field, never the value, which a route answers as a 400 page; a route
 * reading a single field (the login form, the lab selector) narrows the shape further
 * with `formText`.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { FormValues } from './form-input.js';
import type { WebEnv } from './state.js';

/** At most this many names in one form or query. */
export const MAX_FIELDS = 100;

/** At most this many values of one name. */
export const MAX_VALUES = 200;

/** What a value that is not text was, in words (never the value itself: an upload may be a secret). */
function notText(input: unknown): string {
  if (input === undefined) return 'is missing';
  if (input instanceof Blob) return "is a file upload; the dashboard's forms take text only";
  if (Array.isArray(input)) return 'is given more than once';
  return 'is not text';
}

/** One submitted text value: a file, a repeated name or a missing field is refused in words. */
export const formText = z.string({ error: (issue) => notText(issue.input) });

/** Why a name's values were refused: too many of them, or the first that is not text. */
function notValues(input: unknown): string {
  if (!Array.isArray(input)) return notText(input);
  return input.length > MAX_VALUES ? `has more than ${MAX_VALUES} values` : notText(input.find((v) => typeof v !== 'string'));
}

/** A name's values: one, or a list (a repeated name), each text. */
export const formValue = z.union([formText, z.array(formText).max(MAX_VALUES)], { error: (issue) => notValues(issue.input) });

/** Every submitted form and query: text values by name, within the limits. */
export const formValues = z.record(z.string(), formValue).refine((values) => Object.keys(values).length <= MAX_FIELDS, `has more than ${MAX_FIELDS} fields`);

/** What was read: the values, or the one line saying why they were refused. */
export type Submitted<T> = { ok: true; values: T } | { ok: false; refused: string };

/** The one line for the first issue: the field it names (never its value), and that nothing was done. */
function refusal(error: z.ZodError): string {
  const issue = error.issues[0];
  const name = issue?.path[0];
  const what = typeof name === 'string' ? `the field "${name.slice(0, 40)}"` : 'the form';
  return `Refused: ${what} ${issue?.message ?? 'could not be read'}. Nothing was done.`;
}

function checked<S extends z.ZodType>(schema: S, raw: unknown): Submitted<z.output<S>> {
  const shape = formValues.safeParse(raw);
  if (!shape.success) return { ok: false, refused: refusal(shape.error) };
  const parsed = schema.safeParse(shape.data);
  return parsed.success ? { ok: true, values: parsed.data } : { ok: false, refused: refusal(parsed.error) };
}

/** The request's form body, checked against `formValues` and then `schema` (a route's own fields). */
export async function readForm<S extends z.ZodType = typeof formValues>(c: Context<WebEnv>, schema?: S): Promise<Submitted<z.output<S>>> {
  let raw: unknown;
  try {
    raw = await c.req.parseBody({ all: true });
  } catch {
    return { ok: false, refused: 'Refused: the form could not be read (a malformed body). Nothing was done.' };
  }
  return checked(schema ?? (formValues as z.ZodType as S), raw);
}

/** The request's query (a repeated name as a list), checked as a form is. */
export function readQuery<S extends z.ZodType = typeof formValues>(c: Context<WebEnv>, schema?: S): Submitted<z.output<S>> {
  const raw: FormValues = {};
  for (const [k, v] of Object.entries(c.req.queries())) raw[k] = v.length === 1 ? v[0] : v;
  return checked(schema ?? (formValues as z.ZodType as S), raw);
}
