/**
 * @module services/kuma/operations-edit
 * `kuma edit <id|name> [--name …] [--url …] …`. Follows the rule of `editMonitor`
 * (shared/api/uptime-kuma.md §4): the server replaces every field, so the monitor is
 * fetched whole (`getMonitor`), changed, and sent back whole. A field the monitor's type
 * never reads (`--url` on a ping monitor) is refused (exit 2) rather than written to a
 * column nobody checks, and so is a new name another monitor has already (names are handles).
 */
import { z } from 'zod';
import { freeText } from '../../core/free-text.js';
import { UsageError } from '../../core/errors.js';
import { UnexpectedAnswerError } from '../../core/http/index.js';
import { defineOperation } from '../../core/operation.js';
import { fields } from '../../core/render.js';
import { hostSchema } from '../../core/validate.js';
import type { KumaClient } from './client.js';
import { kumaClientFactory } from './factory.js';
import { monitorNameSchema, type Monitor } from './monitor.js';
import { monitorArg, monitorLabel } from './operations-manage.js';

/** JSON shape of `kuma edit`: each changed field with its old and new value. */
export interface KumaEdited {
  id: number;
  name: string;
  changed: Record<string, { from: unknown; to: unknown }>;
}

/** Types whose check reads `url` (as `kuma list` shows their target). */
const URL_TYPES = ['http', 'keyword', 'json-query', 'real-browser'];
/** Types whose check reads neither `url` nor `hostname`. */
const NO_HOST_TYPES = ['push', 'group', 'docker', 'manual'];
/** Types whose check reads `hostname` but no `port`. */
const NO_PORT_TYPES = ['ping', 'tailscale-ping'];
/** Types whose check reads `keyword`. */
const KEYWORD_TYPES = ['keyword', 'grpc-keyword'];

/** The option and what it is for, for each field whose use depends on the monitor's type. */
const TARGET_FIELDS = [
  { option: 'url', applies: (type: string) => URL_TYPES.includes(type) },
  { option: 'host', applies: (type: string) => !URL_TYPES.includes(type) && !NO_HOST_TYPES.includes(type) },
  { option: 'port', applies: (type: string) => !URL_TYPES.includes(type) && !NO_HOST_TYPES.includes(type) && !NO_PORT_TYPES.includes(type) },
  { option: 'keyword', applies: (type: string) => KEYWORD_TYPES.includes(type) },
] as const;

/** The edit's input. */
const editInput = z.object({
  monitor: monitorArg,
  name: monitorNameSchema.optional().describe('new name (not only digits)'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional().describe('new URL (http, keyword)'),
  host: hostSchema.optional().describe('new host (ping, port)'),
  port: z.number().int().min(1).max(65535).optional().describe('new port (port)'),
  keyword: freeText(z.string().min(1).max(255), 'one line').optional().describe('new keyword (keyword)'),
  interval: z.number().int().min(1).max(24 * 86_400).optional().describe('seconds between checks'),
  retries: z.number().int().min(0).max(100).optional().describe('retries before down'),
});
type EditInput = z.infer<typeof editInput>;

/**
 * The monitor `input.monitor` names, after refusing (exit 2) what the edit cannot mean: an
 * option the monitor's type never reads, or a new name another monitor has.
 */
async function editable(client: KumaClient, input: EditInput): Promise<Monitor> {
  const target = await client.resolve(input.monitor);
  const misplaced = TARGET_FIELDS.filter((f) => input[f.option] !== undefined && !f.applies(target.type)).map((f) => `--${f.option}`);
  if (misplaced.length) {
    const usable = TARGET_FIELDS.filter((f) => f.applies(target.type)).map((f) => `--${f.option}`);
    throw new UsageError(`${monitorLabel(target)} is of type ${target.type}: ${misplaced.join(', ')} ${misplaced.length === 1 ? 'does' : 'do'} not apply to it (${usable.length ? `use ${usable.join(', ')}` : 'it has no target to change'})`);
  }
  if (input.name !== undefined) {
    const clash = [...(await (await client.socket()).monitorList()).values()].find((m) => m.name === input.name && m.id !== target.id);
    if (clash) throw new UsageError(`a monitor named ${input.name} exists already (id ${clash.id})`, 'pick another name');
  }
  return target;
}

/** `kuma edit <id|name>`. */
export const kumaEdit = defineOperation({
  id: 'kuma.edit',
  summary: "Change a monitor's name, target, interval or retries (the rest is kept)",
  args: ['monitor'],
  input: editInput,
  risk: 'change',
  needsOneOf: ['name', 'url', 'host', 'port', 'keyword', 'interval', 'retries'],
  examples: ['kuma edit media --interval 300 --retries 2'],
  confirm: (input) => `Change the monitor ${input.monitor}: ${changeWords(input)} (the rest is kept)`,
  async preview(ctx, input) {
    const target = await editable(await ctx.client(kumaClientFactory), input);
    return `Change the monitor ${monitorLabel(target)}: ${changeWords(input)} (the rest is kept)`;
  },
  async run(ctx, input): Promise<KumaEdited> {
    const wanted: Record<string, unknown> = {
      name: input.name, url: input.url, hostname: input.host, port: input.port, keyword: input.keyword, interval: input.interval, maxretries: input.retries,
    };
    const changes = Object.fromEntries(Object.entries(wanted).filter(([, v]) => v !== undefined));
    const client = await ctx.client(kumaClientFactory);
    const target = await editable(client, input);
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

/** The changes an edit asks for, in words (`name "wiki", every 300 s`). */
function changeWords(input: EditInput): string {
  return [
    input.name !== undefined ? `name "${input.name}"` : '', input.url !== undefined ? `URL ${input.url}` : '', input.host !== undefined ? `host ${input.host}` : '',
    input.port !== undefined ? `port ${input.port}` : '', input.keyword !== undefined ? `keyword "${input.keyword}"` : '',
    input.interval !== undefined ? `every ${input.interval} s` : '', input.retries !== undefined ? `${input.retries} ${input.retries === 1 ? 'retry' : 'retries'} before down` : '',
  ].filter(Boolean).join(', ');
}
