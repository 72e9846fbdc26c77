/**
 * @module services/beszel/sim/query
 * The PocketBase record list as Beszel configures it: the access rules of each collection
 * (shared/api/beszel.md §4; a guest or a bad token simply sees nothing), then `filter`,
 * `sort`, `page`/`perPage` (default 30, capped at 1000), `skipTotal` and `fields`.
 */
import { FilterError, matchesFilter, parseFilter } from './filter.js';
import { COLLECTIONS, type RecordStore, type SimRecord } from './records.js';

/** Who a request runs as: an auth record of `users` or `_superusers`, or a guest. */
export type SimAuth = { collection: 'users' | '_superusers'; record: SimRecord } | undefined;

/** A list request refused with 400 (PocketBase's message). */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}

/** The list envelope. */
export interface ListEnvelope {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: Record<string, unknown>[];
}

function isMemberOf(store: RecordStore, systemId: unknown, userId: string): boolean {
  const system = store.find('systems', String(systemId));
  return Array.isArray(system?.users) && system.users.includes(userId);
}

/** Whether the list rule of `collection` lets `auth` see `record`. Superusers see everything. */
export function listRule(store: RecordStore, collection: string, record: SimRecord, auth: SimAuth): boolean {
  if (auth?.collection === '_superusers') return true;
  if (!auth) return false;
  const me = auth.record.id;
  switch (collection) {
    case 'systems': return Array.isArray(record.users) && record.users.includes(me);
    case 'system_stats':
    case 'container_stats': return isMemberOf(store, record.system, me);
    case 'alerts': return record.user === me;
    case 'users': return record.id === me;
    default: return false;
  }
}

/** Collections whose view rule is locked (superusers only): single records are read by list + filter. */
export const SUPERUSER_VIEW = new Set(['system_stats', 'container_stats', 'alerts', '_superusers']);

function compareBy(keys: { field: string; desc: boolean }[]) {
  return (a: SimRecord, b: SimRecord): number => {
    for (const { field, desc } of keys) {
      const x = a[field] as string | number | undefined;
      const y = b[field] as string | number | undefined;
      if (x === y) continue;
      const order = x === undefined ? -1 : y === undefined ? 1 : x < y ? -1 : 1;
      return desc ? -order : order;
    }
    return 0;
  };
}

/** Trims a presented record to the `fields` list (top-level names, `*` keeps all). */
export function pickFields(record: Record<string, unknown>, fields: string | null): Record<string, unknown> {
  if (!fields) return record;
  const wanted = fields.split(',').map((f) => f.trim().split('.')[0] as string).filter(Boolean);
  if (wanted.includes('*')) return record;
  return Object.fromEntries(Object.entries(record).filter(([k]) => wanted.includes(k)));
}

/** Runs a list request on a collection. */
export function listRecords(store: RecordStore, collection: string, query: URLSearchParams, auth: SimAuth): ListEnvelope {
  const meta = COLLECTIONS[collection];
  if (!meta) throw new QueryError('Missing collection context.');
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  const requested = Number.parseInt(query.get('perPage') ?? '30', 10);
  const perPage = requested > 0 ? Math.min(requested, 1000) : 30;
  let rows = store.all(collection).filter((r) => listRule(store, collection, r, auth));
  const filter = query.get('filter');
  if (filter) {
    try {
      const node = parseFilter(filter, meta.fields);
      rows = rows.filter((r) => matchesFilter(node, r, auth?.record.id ?? ''));
    } catch (err) {
      if (err instanceof FilterError) throw new QueryError('Something went wrong while processing your request. Invalid filter parameters.');
      throw err;
    }
  }
  const sort = query.get('sort');
  if (sort) {
    const keys = sort.split(',').map((s) => s.trim()).filter(Boolean).map((s) => ({ field: s.replace(/^[-+]/, ''), desc: s.startsWith('-') }));
    const unknown = keys.find((k) => !meta.fields.includes(k.field));
    if (unknown) throw new QueryError(`Something went wrong while processing your request. Invalid sort field "${unknown.field}".`);
    rows = [...rows].sort(compareBy(keys));
  }
  const skipTotal = ['1', 'true'].includes(query.get('skipTotal') ?? '');
  const items = rows.slice((page - 1) * perPage, page * perPage).map((r) => pickFields(store.present(collection, r), query.get('fields')));
  return {
    page, perPage,
    totalItems: skipTotal ? -1 : rows.length,
    totalPages: skipTotal ? -1 : Math.ceil(rows.length / perPage),
    items,
  };
}
