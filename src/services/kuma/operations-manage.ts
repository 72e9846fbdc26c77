/**
 * @module services/kuma/operations-manage
 * `kuma pause|resume|delete <id|name>` and `kuma edit <id|name> [--interval …]`. Edit
 * follows the rule of `editMonitor` (shared/api/uptime-kuma.md §4): the server replaces
 * every field, so the monitor is fetched whole (`getMonitor`), changed, and sent back whole.
 * Delete uses the two-argument form, which both 1.23 and 2.x answer.
 */
import { z } from 'zod';
import { OperationError } from '../../core/errors.js';
import { UnexpectedAnswerError } from '../../core/http/index.js';
import { appNameSchema, markedApp } from '../../core/marker.js';
import { defineOperation } from '../../core/operation.js';
import { fields, toned } from '../../core/render.js';
import { hostSchema } from '../../core/validate.js';
import { kumaClientFactory } from './factory.js';

/** The `<id|name>` argument naming one monitor. */
export const monitorArg = z.string().trim().min(1).max(150).describe('monitor id or name');

/** JSON shape of `kuma pause` / `kuma resume`. */
export interface KumaToggled {
  id: number;
  name: string;
  active: boolean;
}

function toggle(verb: 'pause' | 'resume') {
  return defineOperation({
    id: `kuma.${verb}`,
    summary: verb === 'pause' ? 'Pause a monitor (no checks, no notifications)' : 'Resume a paused monitor',
    args: ['monitor'],
    input: z.object({ monitor: monitorArg }),
    risk: 'change',
    examples: [`kuma ${verb} media`, `kuma ${verb} 7`],
    confirm: (input) => (verb === 'pause' ? `Pause the monitor ${input.monitor}: no checks and no notifications until it is resumed` : `Resume the monitor ${input.monitor}: checks and notifications start again`),
    async run(ctx, input): Promise<KumaToggled> {
      const client = await ctx.client(kumaClientFactory);
      const monitor = await client.resolve(input.monitor);
      const session = await client.socket();
      await session.expectOk(verb === 'pause' ? 'pauseMonitor' : 'resumeMonitor', [monitor.id], false);
      await session.settle((list) => list.get(monitor.id)?.active === (verb === 'resume'));
      return { id: monitor.id, name: monitor.name, active: verb === 'resume' };
    },
    render: (r: KumaToggled) => [fields([['monitor', `${r.name} (id ${r.id})`], ['state', r.active ? toned('active', 'ok') : toned('paused', 'dim')]])],
  });
}

/** `kuma pause <id|name>`. */
export const kumaPause = toggle('pause');
/** `kuma resume <id|name>`. */
export const kumaResume = toggle('resume');

/** `kuma delete <id|name>`: asks first. */
export const kumaDelete = defineOperation({
  id: 'kuma.delete',
  summary: 'Delete a monitor and its history',
  args: ['monitor'],
  input: z.object({
    monitor: monitorArg,
    app: appNameSchema.optional().describe("only when the monitor carries homelab's marker for this app (refused otherwise)"),
  }),
  risk: 'danger',
  confirm: (input) => `Delete the Uptime Kuma monitor ${input.monitor} and all its heartbeats${input.app ? ` (only if marked for app ${input.app})` : ''}`,
  examples: ['kuma delete old-wiki --yes', 'kuma delete wiki --app wiki'],
  async run(ctx, input): Promise<{ id: number; name: string; deleted: true }> {
    const client = await ctx.client(kumaClientFactory);
    const monitor = await client.resolve(input.monitor);
    if (input.app && markedApp(monitor.description) !== input.app) {
      throw new OperationError(`monitor ${monitor.name} (id ${monitor.id}) does not carry homelab's marker for app ${input.app}: left alone`,
        'homelab only deletes what it created; delete it without --app if you mean to');
    }
    const session = await client.socket();
    await session.expectOk('deleteMonitor', [monitor.id], false);
    await session.settle((list) => !list.has(monitor.id));
    return { id: monitor.id, name: monitor.name, deleted: true };
  },
  render: (r) => [fields([['deleted', `${r.name} (id ${r.id})`]])],
});

/** JSON shape of `kuma edit`: each changed field with its old and new value. */
export interface KumaEdited {
  id: number;
  name: string;
  changed: Record<string, { from: unknown; to: unknown }>;
}

/** `kuma edit <id|name>`. */
export const kumaEdit = defineOperation({
  id: 'kuma.edit',
  summary: "Change a monitor's name, target, interval or retries (the rest is kept)",
  args: ['monitor'],
  input: z.object({
    monitor: monitorArg,
    name: z.string().trim().min(1).max(150).optional().describe('new name'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional().describe('new URL (http, keyword)'),
    host: hostSchema.optional().describe('new host (ping, port)'),
    port: z.number().int().min(1).max(65535).optional().describe('new port (port)'),
    keyword: z.string().min(1).max(255).optional().describe('new keyword (keyword)'),
    interval: z.number().int().min(1).max(24 * 86_400).optional().describe('seconds between checks'),
    retries: z.number().int().min(0).max(100).optional().describe('retries before down'),
  }),
  risk: 'change',
  needsOneOf: ['name', 'url', 'host', 'port', 'keyword', 'interval', 'retries'],
  examples: ['kuma edit media --interval 300 --retries 2'],
  confirm: (input) => {
    const changes = [
      input.name !== undefined ? `name "${input.name}"` : '', input.url !== undefined ? `URL ${input.url}` : '', input.host !== undefined ? `host ${input.host}` : '',
      input.port !== undefined ? `port ${input.port}` : '', input.keyword !== undefined ? `keyword "${input.keyword}"` : '',
      input.interval !== undefined ? `every ${input.interval} s` : '', input.retries !== undefined ? `${input.retries} ${input.retries === 1 ? 'retry' : 'retries'} before down` : '',
    ].filter(Boolean);
    return `Change the monitor ${input.monitor}: ${changes.join(', ')} (the rest is kept)`;
  },
  async run(ctx, input): Promise<KumaEdited> {
    const wanted: Record<string, unknown> = {
      name: input.name, url: input.url, hostname: input.host, port: input.port, keyword: input.keyword, interval: input.interval, maxretries: input.retries,
    };
    const changes = Object.fromEntries(Object.entries(wanted).filter(([, v]) => v !== undefined));
    const client = await ctx.client(kumaClientFactory);
    const target = await client.resolve(input.monitor);
    const session = await client.socket();
    const { monitor } = await session.expectOk('getMonitor', [target.id], true);
    if (!monitor) throw new UnexpectedAnswerError('kuma', 200, `getMonitor answered without monitor ${target.id}`);
    const next: Record<string, unknown> = { ...monitor, ...changes };
    if (input.interval !== undefined) {
      if (monitor.retryInterval === monitor.interval) next.retryInterval = input.interval;
      if (typeof monitor.timeout === 'number' && monitor.timeout > input.interval * 0.8) next.timeout = Math.round(input.interval * 0.8 * 10) / 10;
    }
    await session.expectOk('editMonitor', [next], false);
    await session.settle((list) => {
      const shown = list.get(target.id) as Record<string, unknown> | undefined;
      return shown !== undefined && Object.entries(changes).every(([k, v]) => !(k in shown) || String(shown[k]) === String(v));
    });
    const changed = Object.fromEntries(Object.keys(changes).filter((k) => monitor[k] !== next[k]).map((k) => [k, { from: monitor[k] ?? null, to: next[k] }]));
    return { id: target.id, name: String(next.name), changed };
  },
  render: (r) => [
    fields([
      ['monitor', `${r.name} (id ${r.id})`],
      ...Object.entries(r.changed).map(([k, v]): [string, string] => [k, `${String(v.from)} → ${String(v.to)}`]),
    ]),
  ],
});
