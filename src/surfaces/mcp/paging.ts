/**
 * @module surfaces/mcp/paging
 * Long answers cut to what an agent can read. The CLI prints a thousand guests and the
 * terminal scrolls; an agent's context does not, so a tool answers a list a page at a time:
 *
 * - every `read` tool without a `limit` or `offset` of its own takes both (optional; they are
 *   the server's, taken off before the operation's schema sees the arguments). They page the
 *   result's list: the result itself when it is one, else its longest array field (`guests`
 *   of `pve configs`, `records` of `dns records`);
 * - without them, a result whose text is over `TEXT_CAP` characters (or its structured content
 *   over `STRUCTURED_CAP`) is answered a page at a time anyway, the page as large as keeps it
 *   under both;
 * - a paged answer's text ends with one line, `showing 1–200 of 1012; pass offset: 200 for
 *   more`, and its structured content holds the same page plus `total` (and `nextOffset`
 *   while there is more);
 * - a long text that paging cannot shorten (not a list: `export`'s lab.yaml) is cut at
 *   `TEXT_CAP` with a note; its structured content stays whole.
 *
 * Nothing here knows a service: the list is found in the result's shape.
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

/** The paging arguments of a call (both optional). */
export interface PageArgs {
  limit?: number;
  offset?: number;
}

const pageArgsSchema = z.object({
  limit: z.number({ error: `limit must be an integer from 1 to ${MAX_LIMIT}` }).int().min(1).max(MAX_LIMIT).optional(),
  offset: z.number({ error: 'offset must be a whole number, 0 or more' }).int().min(0).optional(),
});

/** Whether tool `op` takes `limit` and `offset`: a read operation that has neither input of its own. */
export function pageable(op: AnyOperation): boolean {
  const shape = op.input.shape as Record<string, unknown>;
  return op.risk === 'read' && !Object.hasOwn(shape, 'limit') && !Object.hasOwn(shape, 'offset');
}

/** The JSON Schema properties a pageable tool gains. */
export const pageProperties = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: 'when the answer is a list: at most this many items (default: a page that keeps the answer short)' },
  offset: { type: 'integer', minimum: 0, description: 'when the answer is a list: skip this many items first (a paged answer\'s last line says which to pass next)' },
} as const;

/** A call's arguments without `limit` and `offset`, and the page they ask for; a UsageError when either is not a fit. */
export function takePageArgs(args: unknown): { page: PageArgs; args: unknown } {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return { page: {}, args };
  const { limit, offset, ...rest } = args as Record<string, unknown>;
  const parsed = pageArgsSchema.safeParse({ limit, offset });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  const page: PageArgs = {};
  if (parsed.data.limit !== undefined) page.limit = parsed.data.limit;
  if (parsed.data.offset !== undefined) page.offset = parsed.data.offset;
  return { page, args: rest };
}

/** The list a result pages: the result itself when it is an array, else its longest array field. */
function mainList(result: unknown): { key?: string; items: unknown[] } | undefined {
  if (Array.isArray(result)) return { items: result };
  if (result === null || typeof result !== 'object') return undefined;
  let found: { key: string; items: unknown[] } | undefined;
  for (const [key, value] of Object.entries(result)) {
    if (Array.isArray(value) && value.length > (found?.items.length ?? -1)) found = { key, items: value };
  }
  return found;
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

/** The text cut to `TEXT_CAP` characters (at a line's end when one is near), with a note saying so. */
function cutText(result: ToolResult): ToolResult {
  const [first, ...rest] = result.content;
  if (!first || first.text.length <= TEXT_CAP) return result;
  // Room for the note, so the text stays within the cap.
  const room = TEXT_CAP - 100;
  const lineEnd = first.text.lastIndexOf('\n', room);
  const at = lineEnd > room * 0.8 ? lineEnd : room;
  const note = `… cut at ${at} of ${first.text.length} characters; the structured content has all of it`;
  return { ...result, content: [{ type: 'text', text: `${first.text.slice(0, at)}\n${note}` }, ...rest] };
}

/** The answer with `line` as the last line of its text. */
function withLine(result: ToolResult, line: string): ToolResult {
  const [first, ...rest] = result.content;
  return { ...result, content: [{ type: 'text', text: first ? `${first.text}\n${line}` : line }, ...rest] };
}

/** The answer showing `limit` items of the list from `offset`, with its last line and `total`. */
function pageOf(result: unknown, list: { key?: string; items: unknown[] }, offset: number, limit: number, show: (result: unknown) => ToolResult): ToolResult {
  const total = list.items.length;
  const items = list.items.slice(offset, offset + limit);
  const shown = show(list.key === undefined ? items : { ...(result as Record<string, unknown>), [list.key]: items });
  const end = offset + items.length;
  const of = `of ${total}${list.key === undefined ? '' : ` (${list.key})`}`;
  const line = items.length ? `showing ${offset + 1}–${end} ${of}${end < total ? `; pass offset: ${end} for more` : ''}` : `showing none ${of}: offset ${offset} is past the end`;
  const structured = shown.structuredContent ?? {};
  const totalKey = Object.hasOwn(structured, 'total') ? 'pageTotal' : 'total';
  return withLine({ ...shown, structuredContent: { ...structured, [totalKey]: total, ...(end < total ? { nextOffset: end } : {}) } }, line);
}

/**
 * The answer to a call whose result is `result`, shown by `show`: whole when it is short, else
 * a page of its list or its text cut (see the module comment). `page` undefined: the tool takes
 * no paging arguments (it is not a read tool, or it has a `limit` of its own), so its text is
 * only cut.
 */
export function pagedAnswer(result: unknown, page: PageArgs | undefined, show: (result: unknown) => ToolResult): ToolResult {
  const full = show(result);
  const asked = page !== undefined && (page.limit !== undefined || page.offset !== undefined);
  const list = page ? mainList(result) : undefined;
  if (!list) return asked ? withLine(cutText(full), 'limit and offset page a list; this answer is not one') : cutText(full);
  if (!asked && fits(full)) return full;
  const offset = page?.offset ?? 0;
  if (page?.limit !== undefined) return cutText(pageOf(result, list, offset, page.limit, show));
  let limit = firstGuess(full, list.items.length);
  let shown = pageOf(result, list, offset, limit, show);
  while (!fits(shown) && limit > 1) {
    limit = roundDown(limit - 1);
    shown = pageOf(result, list, offset, limit, show);
  }
  // Even one item is too long: the list is not what makes the answer long (a lab.yaml's text).
  if (!fits(shown) && !asked) return cutText(full);
  return cutText(shown);
}
