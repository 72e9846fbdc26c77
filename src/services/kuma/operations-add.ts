/**
 * @module services/kuma/operations-add
 * `kuma add http|ping|port|keyword|push`: creates a monitor over Socket.IO with the web
 * UI's defaults, `--interval` (default 60 s) and `--retries` (default 0). The payload
 * follows the server's version (2.x wants `conditions: []`, 1.23 refuses it); a push
 * monitor's token is made here, as the UI does, and its push URL is printed.
 */
import { z } from 'zod';
import { freeText } from '../../core/free-text.js';
import { UsageError } from '../../core/errors.js';
import { appNameSchema, withMarker } from '../../core/marker.js';
import { defineOperation, type AnyOperation } from '../../core/operation.js';
import { fields } from '../../core/render.js';
import { hostSchema } from '../../core/validate.js';
import type { KumaClient } from './client.js';
import { kumaClientFactory } from './factory.js';
import { monitorTarget } from './metrics.js';
import { ackMessage, KumaRefused } from './messages.js';
import { monitorNameSchema, monitorPayload, newPushToken, type NewMonitor } from './monitor.js';

/** JSON shape of `kuma add …`. */
export interface KumaAdded {
  id: number;
  name: string;
  type: NewMonitor['type'];
  target: string;
  interval: number;
  retries: number;
  /** Push monitors: the URL to call (`?status=up&msg=OK&ping=`). */
  pushUrl?: string;
  /** The monitor's description (null when none). */
  description: string | null;
}

const common = {
  name: monitorNameSchema.describe('monitor name (not only digits: those address a monitor by id)'),
  interval: z.number().int().min(1).max(24 * 86_400).default(60).describe('seconds between checks (1.23 and 2.0 refuse less than 20)'),
  retries: z.number().int().min(0).max(100).default(0).describe('retries before the monitor is marked down'),
};
/** How often a new monitor checks and how many retries it gets, as a confirmation says it. */
const schedule = (i: { interval: number; retries: number }): string => `every ${i.interval} s, ${i.retries === 1 ? '1 retry' : `${i.retries} retries`} before down`;

const urlSchema = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

async function add(client: KumaClient, m: NewMonitor): Promise<KumaAdded> {
  const session = await client.socket();
  const monitors = await session.monitorList();
  const clash = [...monitors.values()].find((x) => x.name === m.name);
  if (clash) throw new UsageError(`a monitor named ${m.name} exists already (id ${clash.id})`, 'pick another name, or use homelab kuma edit');
  const version = await session.serverVersion();
  const v2 = !(version ?? '2').startsWith('1.');
  let ack = await session.call('add', [monitorPayload(m, v2)], false);
  if (ack.ok !== true && version === undefined && /no column named (conditions|rabbitmqNodes)/.test(ack.msg ?? '')) {
    ack = await session.call('add', [monitorPayload(m, false)], false);
  }
  if (ack.ok !== true || ack.monitorID === undefined) throw new KumaRefused('add', ackMessage(ack) || 'refused');
  const id = Number(ack.monitorID);
  await session.settle((list) => list.has(id));
  return {
    id, name: m.name, type: m.type,
    target: monitorTarget(m.type, m.url ?? null, m.hostname ?? null, m.port ?? null), interval: m.interval, retries: m.retries,
    description: m.description ?? null,
    ...(m.type === 'push' ? { pushUrl: `${client.options.url}/api/push/${m.pushToken}?status=up&msg=OK&ping=` } : {}),
  };
}

const render = (r: KumaAdded) => [
  fields([
    ['added', `${r.name} (id ${r.id})`], ['type', r.type], ['target', r.target], ['interval', `${r.interval}s`], ['retries', String(r.retries)],
    ...(r.pushUrl ? [['push URL', r.pushUrl] as [string, string]] : []),
  ]),
];

/** `kuma add http <name> <url>`. */
export const kumaAddHttp = defineOperation({
  id: 'kuma.add.http', summary: 'Add an HTTP(S) monitor', args: ['name', 'url'], risk: 'change',
  input: z.object({
    name: common.name, url: urlSchema.describe('URL to check'), interval: common.interval, retries: common.retries,
    description: freeText(z.string().max(1000)).optional().describe("the monitor's description"),
    app: appNameSchema.optional().describe("mark the monitor as homelab's, for this app (its description carries managed-by: homelab app=<app>)"),
    paused: z.boolean().default(false).describe('create it paused (no checks until homelab kuma resume)'),
  }),
  examples: ['kuma add http wiki https://wiki.home.lan --interval 120', 'kuma add http wiki https://wiki.home.lan --app wiki'],
  confirm: (i) => `Add the HTTP monitor "${i.name}" for ${i.url} (${[schedule(i), ...(i.paused ? ['paused'] : []), ...(i.app ? [`marked for app ${i.app}`] : [])].join(', ')})`,
  run: async (ctx, i) => add(await ctx.client(kumaClientFactory), {
    type: 'http', name: i.name, url: i.url, interval: i.interval, retries: i.retries,
    description: i.app ? withMarker(i.description, i.app) : i.description, ...(i.paused ? { paused: true } : {}),
  }),
  render,
});

/** `kuma add keyword <name> <url> <keyword>`. */
export const kumaAddKeyword = defineOperation({
  id: 'kuma.add.keyword', summary: 'Add an HTTP(S) monitor that expects a keyword in the page', args: ['name', 'url', 'keyword'], risk: 'change',
  input: z.object({ name: common.name, url: urlSchema.describe('URL to fetch'), keyword: freeText(z.string().min(1).max(255), 'one line').describe('text the page must contain'), interval: common.interval, retries: common.retries }),
  examples: ['kuma add keyword forgejo-login https://git.home.lan/user/login "Sign in"'],
  confirm: (i) => `Add the keyword monitor "${i.name}" for ${i.url}, expecting "${i.keyword}" in the page (${schedule(i)})`,
  run: async (ctx, i) => add(await ctx.client(kumaClientFactory), { type: 'keyword', name: i.name, url: i.url, keyword: i.keyword, interval: i.interval, retries: i.retries }),
  render,
});

/** `kuma add ping <name> <host>`. */
export const kumaAddPing = defineOperation({
  id: 'kuma.add.ping', summary: 'Add a ping monitor', args: ['name', 'host'], risk: 'change',
  input: z.object({ name: common.name, host: hostSchema.describe('host name or IP address'), interval: common.interval, retries: common.retries }),
  examples: ['kuma add ping nas 10.5.0.30'],
  confirm: (i) => `Add the ping monitor "${i.name}" for ${i.host} (${schedule(i)})`,
  run: async (ctx, i) => add(await ctx.client(kumaClientFactory), { type: 'ping', name: i.name, hostname: i.host, interval: i.interval, retries: i.retries }),
  render,
});

/** `kuma add port <name> <host> <port>`. */
export const kumaAddPort = defineOperation({
  id: 'kuma.add.port', summary: 'Add a TCP port monitor', args: ['name', 'host', 'port'], risk: 'change',
  input: z.object({ name: common.name, host: hostSchema.describe('host name or IP address'), port: z.number().int().min(1).max(65535).describe('TCP port'), interval: common.interval, retries: common.retries }),
  examples: ['kuma add port pbs-api 10.5.0.6 8007'],
  confirm: (i) => `Add the TCP port monitor "${i.name}" for ${i.host.includes(':') ? `[${i.host}]` : i.host}:${i.port} (${schedule(i)})`,
  run: async (ctx, i) => add(await ctx.client(kumaClientFactory), { type: 'port', name: i.name, hostname: i.host, port: i.port, interval: i.interval, retries: i.retries }),
  render,
});

/** `kuma add push <name>`. */
export const kumaAddPush = defineOperation({
  id: 'kuma.add.push', summary: 'Add a push monitor and print its push URL', args: ['name'], risk: 'change',
  input: z.object({ name: common.name, interval: common.interval, retries: common.retries }),
  examples: ['kuma add push nightly-backup --interval 90000'],
  confirm: (i) => `Add the push monitor "${i.name}", down when no push comes within ${i.interval} s (${i.retries === 1 ? '1 retry' : `${i.retries} retries`}); its push URL is shown`,
  run: async (ctx, i) => add(await ctx.client(kumaClientFactory), { type: 'push', name: i.name, pushToken: newPushToken(), interval: i.interval, retries: i.retries }),
  render,
});

/** Every `kuma add` operation. */
export const kumaAddOperations: AnyOperation[] = [kumaAddHttp, kumaAddPing, kumaAddPort, kumaAddKeyword, kumaAddPush];
