/**
 * @module surfaces/web/html
 * Escaped HTML for the dashboard: hono's `html` template (every interpolated string is
 * escaped; fragments made with `h` are kept as they are), made synchronous for our
 * pages, which never interpolate promises.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** An escaped HTML fragment. */
export type Html = HtmlEscapedString;

/** Builds an escaped HTML fragment; interpolated strings are escaped, `Html` fragments and arrays of them are kept. */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const out = html(strings, ...values);
  if (out instanceof Promise) throw new Error('web html: a promise was interpolated');
  return out;
}

/** A fragment with nothing in it. */
export const empty: Html = raw('');

/** Joins fragments (already escaped) into one. */
export function join(parts: readonly Html[], separator = ''): Html {
  return raw(parts.map(String).join(separator));
}

/** Text as an HTML id or class part: letters, digits and dashes only. */
export function slug(value: string): string {
  return value.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}
