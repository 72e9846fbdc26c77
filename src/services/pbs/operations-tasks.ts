/**
 * @module services/pbs/operations-tasks
 * `pbs tasks [--errors] [--since 24h] [--limit N] [--store S]`: recent tasks, newest first.
 */
import { z } from 'zod';
import { formatDuration, formatTime } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { table, toned } from '../../core/render.js';
import { durationSchema } from '../../core/validate.js';
import type { TaskSummary } from '../proxmox/task-summary.js';
import { isTaskOk } from '../proxmox/tasks.js';
import { pbsClientFactory } from './factory.js';
import { storeSchema } from './inputs.js';

/** JSON shape of one `pbs tasks` entry: the keys of `pve tasks`. */
export type PbsTaskSummary = TaskSummary;

/** `pbs tasks`. */
export const pbsTasks = defineOperation({
  id: 'pbs.tasks',
  summary: 'List recent PBS tasks (backups, GC, verify, prune, sync) with their status',
  description: '--errors keeps the tasks that did not end OK (errors and warnings), as PBS filters them.',
  input: z.object({
    errors: z.boolean().default(false).describe('only tasks that did not end OK'),
    since: durationSchema.optional().describe('only tasks started within this long, e.g. 24h or 7d'),
    store: storeSchema.optional().describe('only tasks of this datastore'),
    limit: z.number({ error: 'limit must be an integer from 1 to 1000' }).int().min(1).max(1000).default(50).describe('at most this many tasks'),
  }),
  risk: 'read',
  examples: ['pbs tasks', 'pbs tasks --errors --since 24h', 'pbs tasks --since 7d --limit 200'],
  async run(ctx, input): Promise<PbsTaskSummary[]> {
    const client = await ctx.client(pbsClientFactory);
    const since = input.since === undefined ? undefined : Math.floor((Date.now() - input.since) / 1000);
    const entries = await client.tasks({ since, errors: input.errors, limit: input.limit, store: input.store }, ctx.signal);
    return entries.slice(0, input.limit).map((t) => {
      const status = t.status ?? (t.endtime ? 'unknown' : 'running');
      return {
        upid: t.upid, node: t.node ?? t.upid.split(':')[1] ?? '', type: t.worker_type, id: t.worker_id ?? '', user: t.user ?? '',
        starttime: t.starttime, endtime: t.endtime ?? null, status, ok: status === 'running' ? null : isTaskOk(status),
      };
    });
  },
  render: (tasks) => [
    table(
      ['started', 'type', 'id', 'user', 'took>', 'status'],
      tasks.map((t) => [
        formatTime(t.starttime), t.type, t.id, t.user, t.endtime && t.starttime ? formatDuration(t.endtime - t.starttime) : '-',
        toned(t.status, t.ok === null ? 'accent' : t.ok ? (t.status === 'OK' ? 'ok' : 'warn') : 'bad'),
      ]),
      { empty: 'no tasks' },
    ),
  ],
});
