/**
 * @module surfaces/web/row-links
 * Which table cells link to a detail page, worked out from the registry alone. An
 * operation may say so itself (`rowDetails`: `proxy list`'s `id` column → `proxy show`);
 * otherwise a column whose header names the one required input key of another read
 * operation of the same service (`VMID` → `pve status <vmid>`, `name` → `beszel system
 * <name>`), or the first positional key of one that requires none (`node` → `pve
 * node-history [node]`, `zone` → `dns records [zone]`), links each of its cells to that
 * operation with the cell's text as the key. Among several such operations one that
 * requires the key wins, then the one taking it positionally, then the first in the
 * registry. Only read operations offered on the web are ever linked to.
 */
import type { Column } from '../../core/render.js';
import { isOfferedOn, type AnyOperation } from '../../core/operation.js';
import { serviceOf } from './exposure.js';
import { fieldsOf, requiredKeys } from './form-fields.js';

/** A detail operation and the key a cell's text fills. */
export interface DetailLink {
  op: AnyOperation;
  key: string;
}

/** A header or key reduced to letters and digits, lower case (`VM ID` ≈ `vmid`). */
export function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The key of a read operation that shows one thing: its one required input key, or, when
 * it requires none, the key it takes first on the command line (`pve node-history [node]`,
 * `dns records [zone]`, `pbs usage [store]`: all of them unless one is named).
 */
function detailKey(op: AnyOperation): { key: string; optional: boolean } | undefined {
  if (op.risk !== 'read' || !isOfferedOn(op, 'web')) return undefined;
  const required = requiredKeys(op);
  if (required.length === 1) return { key: required[0] as string, optional: false };
  const first = op.args?.[0];
  if (required.length === 0 && first !== undefined && fieldsOf(op).some((f) => f.key === first)) return { key: first, optional: true };
  return undefined;
}

/** The detail operations of `service` (see `detailKey`), by their key (normalised); one that requires its key comes first. */
export function detailOperations(ops: readonly AnyOperation[], service: string): Map<string, DetailLink[]> {
  const byKey = new Map<string, (DetailLink & { optional: boolean })[]>();
  for (const op of ops) {
    const found = serviceOf(op) === service ? detailKey(op) : undefined;
    if (found === undefined) continue;
    const list = byKey.get(normalise(found.key)) ?? [];
    list.push({ op, ...found });
    byKey.set(normalise(found.key), list);
  }
  const rank = (d: DetailLink & { optional: boolean }): number => (d.optional ? 2 : 0) + (d.op.args?.[0] === d.key ? 0 : 1);
  for (const list of byKey.values()) list.sort((a, b) => rank(a) - rank(b));
  return byKey;
}

/** The links `source` declares (`rowDetails`), by column header (normalised); a detail that is not a web read of one key (see `detailKey`) is left out. */
export function declaredLinks(ops: readonly AnyOperation[], source: AnyOperation): Map<string, DetailLink> {
  const links = new Map<string, DetailLink>();
  for (const detail of source.rowDetails ?? []) {
    const op = ops.find((o) => o.id === detail.op);
    const found = op ? detailKey(op) : undefined;
    if (op && found !== undefined) links.set(normalise(detail.column), { op, key: found.key });
  }
  return links;
}

/** The detail link of each column of a table drawn by `source` (index → link). */
export function columnLinks(ops: readonly AnyOperation[], source: AnyOperation, columns: readonly Column[]): Map<number, DetailLink> {
  const declared = declaredLinks(ops, source);
  const details = detailOperations(ops, serviceOf(source));
  const links = new Map<number, DetailLink>();
  columns.forEach((c, i) => {
    const found = declared.get(normalise(c.header)) ?? details.get(normalise(c.header))?.find((d) => d.op.id !== source.id);
    if (found) links.set(i, found);
  });
  return links;
}

/** The URL of a detail page: the operation with `key` set to `value`. */
export function detailHref(link: DetailLink, value: string): string {
  return `/op/${link.op.id}?${new URLSearchParams({ [link.key]: value }).toString()}`;
}
