/**
 * @module surfaces/mcp/paging
 * Long answers cut to what an agent can read. The CLI prints a thousand guests and the
 * terminal scrolls; an agent's context does not, so a tool answers a list a page at a time:
 *
 * - a tool whose operation says what it lists (`Operation.pages`: the result itself, or one
 *   field such as `guests` of `pve configs`) takes `limit` and `offset` (optional; they are
 *   the server's, taken off before the operation's schema sees the arguments);
 * - without them, a result whose text is over `TEXT_CAP` characters (or its structured content
 *   over `STRUCTURED_CAP`) is answered a page at a time anyway, the page as large as keeps it
 *   under both; a `limit` whose page would be over them is made smaller the same way;
 * - a paged answer's text ends with one line, `showing 1–200 of 1012; pass offset: 200 for
 *   more`, and its structured content holds the same page plus `total` (and `nextOffset`
 *   while there is more);
 * - a long text that paging cannot shorten (the answer of a tool that lists nothing:
 *   `export`'s lab.yaml; a page of one item still too long) is cut with a note, within
 *   `TEXT_CAP` with the showing line; its structured content stays whole;
 * - an operation that reads less for a window of its list (`Operation.page`: `pve configs`
 *   fetches only that window's configs) is asked for the window (`limit`, else
 *   `DEFAULT_WINDOW` items, from `offset`) instead of running whole and being cut: its result
 *   holds that window and says the whole list's `total`;
 * - the pages of any other list after the first (a call with an `offset`) come from the run
 *   that answered the first one when it is recent (kept-runs), so that paging through a
 *   `check` runs it once and every page is of the same run; the showing line says so.
 *
 * Nothing here knows a service: the operation says which list its result holds.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import type { AnyOperation } from '../../core/operation.js';
import type { ToolResult } from './call.js';

/** The most characters of text an answer has unless the agent asks for a page itself. */
export const TEXT_CAP = 25_000;
/** The most characters of structured content (as JSON) a page chosen by the server has. */
export const STRUCTURED_CAP = 100_000;
/** The largest page an agent may ask for. */
export const MAX_LIMIT = 1000;
/** The window asked of an operation that reads less for one (`Operation.page`) when the agent gives no limit. */
export const DEFAULT_WINDOW = 100;

/** The paging arguments of a call (both optional). */
export interface PageArgs {
  limit?: number;
  offset?: number;
}

const pageArgsSchema = z.object({
  limit: z.number({ error: `limit must be an integer from 1 to ${MAX_LIMIT}` }).int().min(1).max(MAX_LIMIT).optional(),
  offset: z.number({ error: 'offset must be a whole number, 0 or more' }).int().min(0).optional(),
});

/** Whether tool `op` takes `limit` and `offset`: its operation says what it lists (`Operation.pages`). */
export function pageable(op: AnyOperation): boolean {
  return op.pages !== undefined;
}

/** The JSON Schema properties a pageable tool gains. */
export const pageProperties = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: 'when the answer is a list: at most this many items (default: a page that keeps the answer short)' },
  offset: { type: 'integer', minimum: 0, description: 'when the answer is a list: skip this many items first (a paged answer\'s last line says which to pass next)' },
} as const;

/** A call's arguments without `limit` and `offset`, and the page they ask for; a UsageError when either is not a fit. */
export function takePageArgs(args: Record<string, unknown>): { page: PageArgs; args: Record<string, unknown> } {
  const { limit, offset, ...rest } = args;
  const parsed = pageArgsSchema.safeParse({ limit, offset });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  const page: PageArgs = {};
  if (parsed.data.limit !== undefined) page.limit = parsed.data.limit;
  if (parsed.data.offset !== undefined) page.offset = parsed.data.offset;
  return { page, args: rest };
}

/** What a call pages: the list its operation names (`Operation.pages`) and the page asked for. */
export interface Paging {
  list: true | string;
  page: PageArgs;
  /** The window the operation was asked for (`Operation.page`): its result's list is that window, its `total` the whole list's. */
  window?: { offset: number; limit: number };
  /** When the run this page is cut from started (ms), when it is not this call's own (kept-runs). */
  ranAt?: number;
}

/** The window to ask of an operation that reads less for one (`Operation.page`), and its input with it. */
export function windowInput(args: Record<string, unknown>, page: PageArgs): { window: { offset: number; limit: number }; args: Record<string, unknown> } {
  const window = { offset: page.offset ?? 0, limit: page.limit ?? DEFAULT_WINDOW };
  return { window, args: { ...args, ...window } };
}

/** The list `result` holds where `pages` says (undefined when it holds none there). */
function listOf(result: unknown, pages: true | string): { key?: string; items: unknown[] } | undefined {
  if (pages === true) return Array.isArray(result) ? { items: result } : undefined;
  const value = result !== null && typeof result === 'object' ? (result as Record<string, unknown>)[pages] : undefined;
  return Array.isArray(value) ? { key: pages, items: value } : undefined;
}

const textLength = (r: ToolResult): number => r.content.reduce((n, c) => n + c.text.length, 0);
const structuredLength = (r: ToolResult): number => (r.structuredContent ? JSON.stringify(r.structuredContent).length : 0);
const fits = (r: ToolResult): boolean => textLength(r) <= TEXT_CAP && structuredLength(r) <= STRUCTURED_CAP;

/** The largest of 1, 2, 5, 10, 20, 50, … not above `n` (a page size that reads well in "pass offset: 200"). */
function roundDown(n: number): number {
  if (n < 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  return ([5, 2, 1].map((m) => m * power).find((v) => v <= n)) ?? power;
}

/** A first guess at a page that fits: the share of the list the caps leave room for, with a margin. */
function firstGuess(full: ToolResult, total: number): number {
  const over = Math.max(textLength(full) / TEXT_CAP, structuredLength(full) / STRUCTURED_CAP);
  return Math.min(MAX_LIMIT, roundDown(Math.floor((total / over) * 0.8)));
}

/**
 * The answer ending with `line` (when given), its text cut so that all of it stays within
 * `TEXT_CAP` (at a line's end when one is near), with a note saying what the structured
 * content has (`whole`: all of the text's, or of this page's).
 */
function ending(result: ToolResult, whole: string, line?: string): ToolResult {
  const [first, ...rest] = result.content;
  const tail = line === undefined ? '' : `\n${line}`;
  if (!first) return line === undefined ? result : { ...result, content: [{ type: 'text', text: line }, ...rest] };
  if (first.text.length + tail.length <= TEXT_CAP) return line === undefined ? result : { ...result, content: [{ type: 'text', text: `${first.text}${tail}` }, ...rest] };
  const note = (at: number): string => `… cut at ${at} of ${first.text.length} characters; the structured content has ${whole}`;
  // Room for the note (its longest) and the line, so the whole text stays within the cap.
  const room = TEXT_CAP - tail.length - note(TEXT_CAP).length - 1;
  const lineEnd = first.text.lastIndexOf('\n', room);
  const at = lineEnd > room * 0.8 ? lineEnd : room;
  return { ...result, content: [{ type: 'text', text: `${first.text.slice(0, at)}\n${note(at)}${tail}` }, ...rest] };
}

/** A list as the result holds it: all of it, or the window of it that was asked for (with the whole list's total). */
interface Held {
  key?: string;
  items: unknown[];
  window?: { offset: number; limit: number; total: number };
}

/** The time of day of `ms` in UTC (`15:20:11 UTC`). */
const clock = (ms: number): string => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

/** The page of `limit` items of the list from `offset` as `show` draws it, with `total`; and its showing line. */
function pageOf(result: unknown, list: Held, offset: number, limit: number, show: (result: unknown) => ToolResult): { shown: ToolResult; line: string } {
  const total = list.window?.total ?? list.items.length;
  // A window's items start at `offset` already.
  const items = list.window ? list.items.slice(0, limit) : list.items.slice(offset, offset + limit);
  const drawn = show(list.key === undefined ? items : { ...(result as Record<string, unknown>), [list.key]: items });
  // All of a window shown: the next page starts after the window (an item of it that failed is not in the list).
  const end = list.window && items.length === list.items.length ? Math.min(total, offset + list.window.limit) : offset + items.length;
  const of = `of ${total}${list.key === undefined ? '' : ` (${list.key})`}`;
  const line = end > offset ? `showing ${offset + 1}–${end} ${of}${end < total ? `; pass offset: ${end} for more` : ''}`
    : total === 0 ? `showing none ${of}` : `showing none ${of}: offset ${offset} is past the end`;
  const structured = drawn.structuredContent ?? {};
  // A window's result has the whole list's `total` itself.
  const totalKey = !list.window && Object.hasOwn(structured, 'total') ? 'pageTotal' : 'total';
  return { shown: { ...drawn, structuredContent: { ...structured, [totalKey]: total, ...(end < total ? { nextOffset: end } : {}) } }, line };
}

/** Whether a page fits with its showing line. */
const pageFits = (p: { shown: ToolResult; line: string }): boolean => fits(p.shown) && textLength(p.shown) + p.line.length + 1 <= TEXT_CAP;

/**
 * The answer to a call whose result is `result`, shown by `show`: whole when it is short, else
 * a page of its list or its text cut (see the module comment). `paging` undefined: the tool
 * lists nothing (or has a `limit` of its own), so its text is only cut.
 */
export function pagedAnswer(result: unknown, paging: Paging | undefined, show: (result: unknown) => ToolResult): ToolResult {
  const full = show(result);
  const page = paging?.page ?? {};
  const asked = page.limit !== undefined || page.offset !== undefined;
  const list = paging ? heldList(result, paging) : undefined;
  if (!list) return ending(full, 'all of it', asked ? 'limit and offset page a list; this answer is not one' : undefined);
  // A window that holds the whole list is the whole answer, as a list read whole is.
  const whole = !list.window || (list.window.offset === 0 && list.items.length >= list.window.total);
  if (!asked && whole && fits(full)) return full;
  const offset = page.offset ?? 0;
  const ran = paging?.ranAt === undefined ? '' : `; every page from one run, made at ${clock(paging.ranAt)}`;
  // A limit asked for whose page is too long is made smaller as the server's own page is, and the line says so.
  const pageAt = (limit: number): { shown: ToolResult; line: string } => {
    const p = pageOf(result, list, offset, limit, show);
    const line = `${p.line}${ran}`;
    return page.limit !== undefined && limit < page.limit ? { ...p, line: `${line}; a page of ${page.limit} is too long for one answer` } : { ...p, line };
  };
  let limit = page.limit ?? (list.window && fits(full) ? list.items.length : firstGuess(full, list.items.length));
  let paged = pageAt(limit);
  while (!pageFits(paged) && limit > 1) {
    limit = roundDown(limit - 1);
    paged = pageAt(limit);
  }
  // Even one item is too long: the list is not what makes the answer long.
  if (!pageFits(paged) && !asked && !list.window) return ending(full, 'all of it');
  return ending(paged.shown, 'all of this page', paged.line);
}

/** The list `result` holds where `paging` says, with the window it is of when the operation was asked for one. */
function heldList(result: unknown, paging: Paging): Held | undefined {
  const list = listOf(result, paging.list);
  if (!list || !paging.window) return list;
  const total = result !== null && typeof result === 'object' ? (result as Record<string, unknown>).total : undefined;
  // A result without its total is paged as a whole list (an operation that ignored the window).
  return typeof total === 'number' ? { ...list, window: { ...paging.window, total } } : list;
}
