/**
 * @module core/comma-list
 * Marks an input schema whose value is a comma-separated list in one string (`--domains
 * a.lan,b.lan`), so that the words parser (`core/args`) lets its option be repeated and
 * joins the repeats (`--domains a.lan --domains b.lan` is `a.lan,b.lan`), as it does for a
 * `z.array` field. The schema itself still splits and checks the list.
 */
import type { z } from 'zod';

const marked = new WeakSet<z.ZodType>();

/** Marks `schema` as a comma-separated list and returns it (mark the finished schema: `.describe()` makes a new one). */
export function commaList<T extends z.ZodType>(schema: T): T {
  marked.add(schema);
  return schema;
}

/** Whether `schema` was marked by `commaList`. */
export function isCommaList(schema: z.ZodType): boolean {
  return marked.has(schema);
}
