/**
 * @module surfaces/web/row-links
 * Which table cells link to a detail page, worked out from the registry alone. An
 * operation may say so itself (`rowDetails`: `proxy list`'s `id` column → `proxy show`);
 * otherwise a column whose header names the one required input key of another read
 * operation of the same service (`VMID` → `pve status <vmid>`, `name` → `beszel system
 * <name>`) links each of its cells to that operation with the cell's text as the key.
 * Among several such operations the one taking the key positionally, then the first in
 * the registry, wins. Only read operations offered on the web are ever linked to.
 */
import type { Column } from '../../core/render.js';
import { isOfferedOn, type AnyOperation } from '../../core/operation.js';
import { serviceOf } from './exposure.js';
import { requiredKeys } from './form-fields.js';

/** A detail operation and the key a cell's text fills. */
export interface DetailLink {
  op: AnyOperation;
  key: string;
}

/** A header or key reduced to letters and digits, lower case (`VM ID` ≈ `vmid`). */
export function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The key of a read operation that shows one thing: its one required input key. */
function detailKey(op: AnyOperation): string | undefined {
  if (op.risk !== 'read' || !isOfferedOn(op, 'web')) return undefined;
  const required = requiredKeys(op);
  return required.length === 1 ? required[0] : undefined;
}

/** The read operations of `service` that take exactly one required key, by that key (normalised). */
export function detailOperations(ops: readonly AnyOperation[], service: string): Map<string, DetailLink[]> {
  const byKey = new Map<string, DetailLink[]>();
  for (const op of ops) {
    const key = serviceOf(op) === service ? detailKey(op) : undefined;
    if (key === undefined) continue;
    const list = byKey.get(normalise(key)) ?? [];
    list.push({ op, key });
    byKey.set(normalise(key), list);
  }
  for (const list of byKey.values()) list.sort((a, b) => Number(b.op.args?.[0] === b.key) - Number(a.op.args?.[0] === a.key));
  return byKey;
}

/** The links `source` declares (`rowDetails`), by column header (normalised); a detail that is not a web read of one key is left out. */
export function declaredLinks(ops: readonly AnyOperation[], source: AnyOperation): Map<string, DetailLink> {
  const links = new Map<string, DetailLink>();
  for (const detail of source.rowDetails ?? []) {
    const op = ops.find((o) => o.id === detail.op);
    const key = op ? detailKey(op) : undefined;
    if (op && key !== undefined) links.set(normalise(detail.column), { op, key });
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
