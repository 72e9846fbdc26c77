/**
 * @module services/pbs/operations-snapshots
 * `pbs snapshots [--store S] [--group vm/101] [--ns pve]`: snapshots of every namespace (or
 * of one: `--ns /` is the root) with time, size and verification state, newest first within
 * each group. A namespace the store does not have is a usage error, not an empty list.
 */
import { z } from 'zod';
import { formatBytes, formatTime } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { table, toned } from '../../core/render.js';
import { pbsClientFactory } from './factory.js';
import { withNamespace } from './health.js';
import type { PbsClient } from './client.js';
import { type GroupRef, groupSchema, namespaceSchema, storeSchema } from './inputs.js';
import type { SnapshotEntry } from './schemas.js';
import { UsageError } from '../../core/errors.js';
import { resolveStore } from './store.js';

/** JSON shape of one `pbs snapshots` entry. */
export interface SnapshotSummary {
  store: string;
  /** Its namespace (`pve`); `''`: the root. */
  ns: string;
  /** `vm/101`. */
  group: string;
  /** `vm/101/2026-11-25T02:00:00Z` (`ns/pve/vm/101/…` in namespace `pve`), as PBS names snapshots. */
  snapshot: string;
  /** Unix time of the backup. */
  time: number;
  /** Sum of the archive sizes, in bytes. */
  size: number | null;
  /** `ok`, `failed`, or `none` (never verified). */
  verify: 'ok' | 'failed' | 'none';
  /** UPID of the verify task that set `verify`. */
  verifyUpid: string | null;
  protected: boolean;
  /** Notes (vzdump's default: the guest name). */
  comment: string | null;
  /** Archive names. */
  files: string[];
}

/** `pbs snapshots`. */
export const pbsSnapshots = defineOperation({
  id: 'pbs.snapshots',
  summary: 'List backup snapshots with time, size and verify state',
  input: z.object({
    store: storeSchema.optional(),
    group: groupSchema.optional(),
    ns: namespaceSchema.describe('only this namespace (e.g. pve; / for the root); default: every namespace').optional(),
  }),
  risk: 'read',
  pages: true,
  examples: ['pbs snapshots', 'pbs snapshots --group ct/106', 'pbs snapshots --store main --group vm/200', 'pbs snapshots --ns pve'],
  async run(ctx, input): Promise<SnapshotSummary[]> {
    const client = await ctx.client(pbsClientFactory);
    const store = await resolveStore(client, input.store, ctx.signal);
    const snaps = input.ns === undefined ? await client.allSnapshots(store, input.group, ctx.signal) : await oneNamespace(client, store, input.ns, input.group, ctx.signal);
    return snaps
      .map((s): SnapshotSummary => {
        const group = `${s['backup-type']}/${s['backup-id']}`;
        const state = s.verification?.state;
        return {
          store, ns: s.ns, group,
          snapshot: withNamespace(s.ns, `${group}/${new Date(s['backup-time'] * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`),
          time: s['backup-time'], size: s.size ?? null,
          verify: state === 'ok' ? 'ok' : state === 'failed' ? 'failed' : 'none',
          verifyUpid: s.verification?.upid ?? null, protected: s.protected ?? false, comment: s.comment?.trim() || null,
          files: (s.files ?? []).map((f) => (typeof f === 'string' ? f : f.filename)),
        };
      })
      .sort((a, b) => a.ns.localeCompare(b.ns) || a.group.localeCompare(b.group, 'en', { numeric: true }) || b.time - a.time);
  },
  render: (snaps) => [
    table(
      ['group', 'name', 'time', 'size>', 'verify'],
      snaps.map((s) => [
        withNamespace(s.ns, s.group), s.comment ?? '', `${formatTime(s.time)}${s.protected ? ' (protected)' : ''}`, formatBytes(s.size),
        toned(s.verify, s.verify === 'ok' ? 'ok' : s.verify === 'failed' ? 'bad' : 'dim'),
      ]),
      { empty: 'no snapshots' },
    ),
  ],
});

/** The snapshots of namespace `ns` of `store`, each with it; a namespace the store lacks is a usage error. */
async function oneNamespace(client: PbsClient, store: string, ns: string, group: GroupRef | undefined, signal: AbortSignal): Promise<(SnapshotEntry & { ns: string })[]> {
  const spaces = await client.namespaces(store, signal);
  if (!spaces.includes(ns)) {
    throw new UsageError(`${store} has no namespace ${ns}`, `its namespaces: ${spaces.map((n) => n || '/').join(', ')}`);
  }
  return (await client.snapshots(store, group, signal, ns)).map((s) => ({ ...s, ns }));
}
