/**
 * @module surfaces/web/result-pages
 * Long lists a page at a time on the dashboard, as on MCP: a read operation that says what it
 * lists (`Operation.pages`) shows at most `WEB_PAGE` (200) rows of it, with links to the
 * previous and next rows (`/op/<id>` with the same input). An operation that reads less for a
 * window of its list (`Operation.page`: `pve configs`) is asked for the window itself
 * (`offset`, and `limit` 200 unless the form gave one), so a page fetches only its rows' details;
 * any other is run whole and cut, its position in the link's `_offset`. The links are plain
 * links (the keyboard and pages without script follow them), under a line saying which rows
 * are shown; from past the end of the list, Previous goes to its last page.
 */
import type { AnyOperation } from '../../core/operation.js';
import { h, join, type Html } from './html.js';
import type { FormValues } from './form-input.js';

/** The most rows of a list one page shows. */
export const WEB_PAGE = 200;

/** The dashboard's own position in a list that is cut from a whole result (a reserved form name). */
export const OFFSET_FIELD = '_offset';

/** The input to run `op` with: a window operation asked for a page's window unless the input names one. */
export function pageInput(op: AnyOperation, raw: Record<string, unknown>): Record<string, unknown> {
  return op.page === 'window' && raw.limit === undefined ? { ...raw, limit: WEB_PAGE } : raw;
}

/** What a page shows of a list: its result cut to the page, and where the page is. */
export interface ResultPage {
  value: unknown;
  from: number;
  /** Where the next page starts (the end of this one). */
  to: number;
  total: number;
  /** The page's size, for the links. */
  size: number;
  /** The list's field (`guests`), when it is one. */
  key?: string;
  window: boolean;
}

function listIn(value: unknown, pages: true | string): unknown[] | undefined {
  const list = pages === true ? value : value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[pages] : undefined;
  return Array.isArray(list) ? list : undefined;
}

/** The offset asked for in a query (`_offset`), 0 when none or not a whole number. */
export function offsetIn(values: FormValues): number {
  const raw = values[OFFSET_FIELD];
  const text = Array.isArray(raw) ? raw.at(-1) : raw;
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : 0;
}

/** The page of `value` to show, or undefined when all of it fits in one (or it is no list). */
export function resultPage(op: AnyOperation, input: Record<string, unknown>, value: unknown, offset: number): ResultPage | undefined {
  if (op.pages === undefined) return undefined;
  const items = listIn(value, op.pages);
  if (!items) return undefined;
  const key = op.pages === true ? undefined : op.pages;
  const total = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).total : undefined;
  if (op.page === 'window' && typeof total === 'number') {
    const from = typeof input.offset === 'number' ? input.offset : 0;
    const size = typeof input.limit === 'number' ? input.limit : WEB_PAGE;
    if (from === 0 && total <= size) return undefined;
    return { value, from, to: Math.min(total, from + size), total, size, window: true, ...(key ? { key } : {}) };
  }
  if (offset === 0 && items.length <= WEB_PAGE) return undefined;
  const shown = items.slice(offset, offset + WEB_PAGE);
  const cut = key === undefined ? shown : { ...(value as Record<string, unknown>), [key]: shown };
  return { value: cut, from: offset, to: offset + shown.length, total: items.length, size: WEB_PAGE, window: false, ...(key ? { key } : {}) };
}

/** The link to the rows from `at`: the same query, the position changed. */
function linkTo(op: AnyOperation, values: FormValues, page: ResultPage, at: number): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || k === OFFSET_FIELD || (page.window && (k === 'offset' || k === 'limit'))) continue;
    for (const one of Array.isArray(v) ? v : [v]) query.append(k, one);
  }
  if (page.window) {
    query.set('offset', String(at));
    query.set('limit', String(page.size));
  } else query.set(OFFSET_FIELD, String(at));
  return `/op/${op.id}?${query.toString()}`;
}

/** The line saying which rows are shown, and the links to the others. */
export function pageLinks(op: AnyOperation, values: FormValues, page: ResultPage): Html {
  const what = page.key ?? 'rows';
  const said = page.to > page.from ? `Showing ${what} ${page.from + 1}–${page.to} of ${page.total}.` : `No ${what} from ${page.from + 1}: there are ${page.total}.`;
  const links: Html[] = [];
  // From past the end, Previous is the list's last page, not another empty one.
  const previous = Math.max(0, (page.from >= page.total ? page.total : page.from) - page.size);
  if (page.from > 0) links.push(h`<a href="${linkTo(op, values, page, previous)}" rel="prev">Previous ${Math.min(page.size, page.total)}</a>`);
  if (page.to < page.total) links.push(h`<a href="${linkTo(op, values, page, page.to)}" rel="next">Next ${Math.min(page.size, page.total - page.to)}</a>`);
  return h`<nav class="pages actions" aria-label="${op.id.replace(/\./g, ' ')}: pages"><p class="dim">${said}</p>${join(links)}</nav>`;
}
