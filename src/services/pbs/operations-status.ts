/**
 * @module services/pbs/operations-status
 * `pbs status`: the answer to "are my backups OK?" (also the bot's `/pbs`). Fetches
 * usage, GC, snapshots (of every namespace) and the last 24 h of tasks at once and judges
 * them (health.ts).
 * The datastores come from the usage list; the configured one (`services.pbs.datastore`)
 * is read beside it, so its answer costs one round trip.
 */
import { z } from 'zod';
import { formatBytes, formatDuration, formatPercent, formatTime } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { type Block, table, text, toned } from '../../core/render.js';
import { pbsClientFactory } from './factory.js';
import { gcSummary } from './gc.js';
import {
  datastoreHealth, failedTasks, groupHealth, problems, withNamespace,
  type DatastoreHealth, type FailedTask, type GroupHealth, type Problem,
} from './health.js';

/** JSON shape of `pbs status`. */
export interface PbsStatus {
  /** No `bad` problem (warnings alone keep it true). */
  ok: boolean;
  /** Unix time of the check. */
  checkedAt: number;
  staleHours: number;
  problems: Problem[];
  datastores: DatastoreHealth[];
  groups: GroupHealth[];
  /** Failed tasks of the last 24 h. */
  failedTasks: FailedTask[];
}

/** `pbs status`. */
export const pbsStatus = defineOperation({
  id: 'pbs.status',
  summary: 'Are my backups OK? Datastore usage, last GC, backup age and verify state per group, failed tasks',
  description: 'Reads every namespace of each datastore (a group in namespace pve shows as ns/pve/ct/106). Groups whose last snapshot is older than services.pbs.stale_hours (default 26) and tasks that failed in the last 24 h stand out.',
  input: z.object({}),
  risk: 'read',
  rowDetails: [{ column: 'datastore', op: 'pbs.usage' }],
  examples: ['pbs status', 'pbs status --json'],
  async run(ctx): Promise<PbsStatus> {
    const client = await ctx.client(pbsClientFactory);
    const now = Math.floor(Date.now() / 1000);
    const staleHours = client.settings.stale_hours;
    const reads = (store: string) => Promise.all([gcSummary(client, store, ctx.signal), client.allSnapshots(store, undefined, ctx.signal)]);
    // The configured datastore's reads start beside the usage list that names the datastores:
    // one round trip instead of two. Used only when the list has it (read-only, so a store
    // that turns out not to exist costs nothing but the request).
    const known = client.settings.datastore;
    const early = known ? reads(known) : undefined;
    early?.catch(() => undefined);
    const [usage, tasks] = await Promise.all([
      client.usage(ctx.signal),
      client.tasks({ since: now - 86_400, errors: true, limit: 0 }, ctx.signal),
    ]);
    const perStore = await Promise.all(usage.map(async (u) => {
      const [gc, snaps] = await (u.store === known && early ? early : reads(u.store));
      return { ds: datastoreHealth(u, gc, now), groups: groupHealth(u.store, snaps, staleHours, now) };
    }));
    const datastores = perStore.map((p) => p.ds);
    const groups = perStore.flatMap((p) => p.groups);
    const failed = failedTasks(tasks);
    const found = problems(datastores, groups, failed, staleHours, now);
    return { ok: found.every((p) => p.level === 'warn'), checkedAt: now, staleHours, problems: found, datastores, groups, failedTasks: failed };
  },
  render: (s) => renderStatus(s),
});

function headline(s: PbsStatus): Block {
  const bad = s.problems.filter((p) => p.level === 'bad').length;
  const warn = s.problems.length - bad;
  if (bad) return text(`Backups need attention: ${bad} problem${bad === 1 ? '' : 's'}${warn ? `, ${warn} warning${warn === 1 ? '' : 's'}` : ''}`, 'bad');
  return text(warn ? `Backups OK, with ${warn} warning${warn === 1 ? '' : 's'}` : 'Backups OK', warn ? 'warn' : 'ok');
}

/** Human form of `pbs status`. */
export function renderStatus(s: PbsStatus): Block[] {
  const blocks: Block[] = [headline(s)];
  blocks.push(table(
    ['datastore', 'used>', 'size>', 'use%>', 'full by', 'last gc', 'gc result'],
    s.datastores.map((d) => [
      d.store, formatBytes(d.used), formatBytes(d.total),
      toned(formatPercent(d.usedFraction), d.usedFraction === null ? undefined : d.usedFraction >= 0.9 ? 'bad' : d.usedFraction >= 0.8 ? 'warn' : undefined),
      d.estimatedFull ? formatTime(d.estimatedFull).slice(0, 10) : '-',
      d.gc.running ? toned('running', 'accent') : formatTime(d.gc.endtime),
      toned(d.gc.state ?? '-', d.gc.ok === null ? 'dim' : d.gc.ok ? (d.gc.state === 'OK' ? 'ok' : 'warn') : 'bad'),
    ]),
    { empty: 'no datastores visible to this token' },
  ));
  blocks.push(table(
    ['group', 'name', 'last backup', 'age>', 'snapshots>', 'verify'],
    s.groups.map((g) => [
      toned(withNamespace(g.ns, g.group), g.stale || g.verify === 'failed' ? 'bad' : undefined), g.name ?? '', formatTime(g.lastBackup),
      toned(formatDuration(g.ageSeconds), g.stale ? 'bad' : undefined), g.snapshots,
      toned(g.verify, g.verify === 'ok' ? 'ok' : g.verify === 'failed' ? 'bad' : 'dim'),
    ]),
    { title: `Backup groups (stale after ${s.staleHours} h)`, empty: 'no backup groups' },
  ));
  if (s.failedTasks.length) {
    blocks.push(table(
      ['started', 'type', 'id', 'status'],
      s.failedTasks.map((t) => [formatTime(t.starttime), t.type, t.id ?? '', toned(t.status, 'bad')]),
      { title: 'Failed tasks (last 24 h)' },
    ));
  }
  for (const p of s.problems) blocks.push(text(`${p.level === 'bad' ? '✗' : '!'} ${p.text}`, p.level));
  return blocks;
}
