/**
 * @module services/kuma/operations-show
 * `kuma show <id|name>`: one monitor in full, over Socket.IO: what `kuma list` says of it
 * (target, interval, retries, active or paused, description, the app its marker names)
 * and its most recent heartbeats, newest first, from the list the server pushes after login.
 */
import { z } from 'zod';
import { formatAge } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { fields, table, toned } from '../../core/render.js';
import { kumaClientFactory } from './factory.js';
import { monitorArg } from './operations-manage.js';
import { listEntry, tone, type KumaListEntry } from './operations-read.js';

/** JSON shape of `kuma show`: the `kuma list` entry and its recent heartbeats, newest first. */
export interface KumaShown extends KumaListEntry {
  heartbeats: { status: string; time: string; msg: string; ping: number | null }[];
}

/** `kuma show <id|name>`. */
export const kumaShow = defineOperation({
  id: 'kuma.show',
  summary: 'One monitor in full: target, interval, retries, state, description and its recent heartbeats',
  args: ['monitor'],
  input: z.object({
    monitor: monitorArg,
    beats: z.number().int().min(1).max(100).default(10).describe('how many recent heartbeats to show'),
  }),
  risk: 'read',
  examples: ['kuma show media', 'kuma show 7 --beats 30 --json'],
  async run(ctx, input): Promise<KumaShown> {
    const client = await ctx.client(kumaClientFactory);
    const monitor = await client.resolve(input.monitor);
    const beats = (await (await client.socket()).heartbeatsOf([monitor.id])).get(monitor.id) ?? [];
    return {
      ...listEntry(monitor, beats),
      heartbeats: beats.slice(-input.beats).reverse().map((b) => ({ status: b.status, time: b.time, msg: b.msg, ping: b.ping })),
    };
  },
  render: (m) => [
    fields([
      ['monitor', `${m.name} (id ${m.id})`],
      ['type', m.type],
      ['target', m.target],
      ['every', m.interval === null ? '-' : `${m.interval}s`],
      ['retries', m.retries ?? '-'],
      ['state', m.active ? toned('active', 'ok') : toned('paused', 'dim')],
      ['description', m.description ?? ''],
      ['app', m.app ?? ''],
    ]),
    table(['time', 'status', 'ping>', 'message'],
      m.heartbeats.map((b) => [formatAge(Date.parse(b.time) / 1000), toned(b.status, tone(b.status)), b.ping === null ? '-' : `${Math.round(b.ping)} ms`, b.msg]),
      { title: 'Recent heartbeats', empty: 'no heartbeats yet' }),
  ],
});
