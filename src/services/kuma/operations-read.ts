/**
 * @module services/kuma/operations-read
 * `kuma status` (from `/metrics` with the API key: no login, no socket) and `kuma list`
 * (over Socket.IO: the monitor map and heartbeat lists the server pushes after login). A
 * monitor whose heartbeat list does not fit is listed with its last beat unknown and why
 * (`time: null`, the reason in `msg`, and a line under the table), never failing the list:
 * expose, unexpose, exposed, check and apply read it too. `kuma show` of it fails.
 */
import { z } from 'zod';
import { formatAge } from '../../core/format.js';
import { markedApp } from '../../core/marker.js';
import { defineOperation } from '../../core/operation.js';
import { table, text, toned, type Block, type Tone } from '../../core/render.js';
import { kumaClientFactory } from './factory.js';
import { monitorTarget, type MonitorState } from './metrics.js';
import type { UnexpectedAnswerError } from '../../core/http/index.js';
import type { Beat, Monitor } from './monitor.js';

function hostOf(url: string | null): string | null {
  try {
    return url ? new URL(url).hostname : null;
  } catch {
    return null;
  }
}

/** The tone of a monitor or heartbeat status. */
export const tone = (status: string): Tone => (status === 'up' ? 'ok' : status === 'down' ? 'bad' : status === 'maintenance' ? 'accent' : 'warn');

/** JSON shape of `kuma status`. */
export interface KumaStatus {
  monitors: MonitorState[];
  up: number;
  down: number;
  /** Pending, maintenance or unknown. */
  other: number;
  /** Certificates expiring within `certWarnDays`, soonest first (`host` from the monitor URL). */
  certificatesExpiring: { name: string; host: string | null; daysLeft: number }[];
  /** What `/metrics` cannot show (paused monitors, monitors without a heartbeat yet), and where to see them. */
  note: string;
}

/** Said with every `kuma status`: Kuma drops these monitors from `/metrics` (1.23 and 2.x alike). */
export const NOT_IN_METRICS = 'not shown: paused monitors and monitors without a heartbeat yet (a push monitor within its first interval), which /metrics leaves out; kuma list shows every monitor';

/** `kuma status`. */
export const kumaStatus = defineOperation({
  id: 'kuma.status',
  summary: "Every monitor's state, response time and certificate days left (from /metrics, no login)",
  description: 'Reads /metrics with the API key (KUMA_API_KEY). Paused monitors, and monitors without a heartbeat yet (a push monitor within its first interval: after it, no push is a DOWN or PENDING beat), are not in /metrics, so they are not listed here (the output says so): see kuma list. An answer that is not Prometheus metrics fails (exit 1).',
  input: z.object({
    certWarnDays: z.number().int().min(1).max(365).default(14).describe('certificates expiring within this many days stand out'),
  }),
  risk: 'read',
  pages: 'monitors',
  examples: ['kuma status', 'kuma status --cert-warn-days 30 --json'],
  rowDetails: [{ column: 'name', op: 'kuma.show' }],
  async run(ctx, input): Promise<KumaStatus> {
    const client = await ctx.client(kumaClientFactory);
    const monitors = await client.metrics(ctx.signal, ctx.progress);
    return {
      monitors,
      up: monitors.filter((m) => m.status === 'up').length,
      down: monitors.filter((m) => m.status === 'down').length,
      other: monitors.filter((m) => m.status !== 'up' && m.status !== 'down').length,
      certificatesExpiring: monitors
        .filter((m) => m.certDaysLeft !== null && m.certDaysLeft <= input.certWarnDays)
        .map((m) => ({ name: m.name, host: hostOf(m.url), daysLeft: m.certDaysLeft as number }))
        .sort((a, b) => a.daysLeft - b.daysLeft),
      note: NOT_IN_METRICS,
    };
  },
  render: (r, input) => {
    const blocks: Block[] = [
      table(['name', 'type', 'status', 'response>', 'cert>', 'target'],
        r.monitors.map((m) => [
          m.name, m.type, toned(m.status, tone(m.status)),
          m.responseMs === null ? '-' : `${Math.round(m.responseMs)} ms`,
          m.certDaysLeft === null ? '-' : toned(`${m.certDaysLeft} d`, m.certDaysLeft <= 7 ? 'bad' : m.certDaysLeft <= input.certWarnDays ? 'warn' : undefined),
          m.target,
        ]),
        { empty: 'no active monitors' }),
    ];
    const down = r.monitors.filter((m) => m.status === 'down').map((m) => m.name);
    const parts = [`${r.up} up, ${r.down} down${down.length ? ` (${down.join(', ')})` : ''}${r.other ? `, ${r.other} other` : ''}`];
    for (const c of r.certificatesExpiring) {
      parts.push(`certificate of ${c.name}${c.host && c.host !== c.name ? ` (${c.host})` : ''} expires in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'}`);
    }
    blocks.push(text(parts.join(' · '), r.down || r.certificatesExpiring.length ? 'bad' : 'ok'));
    blocks.push(text(r.note, 'dim'));
    return blocks;
  },
});

/** JSON shape of one `kuma list` entry. */
export interface KumaListEntry {
  id: number;
  name: string;
  type: string;
  target: string;
  /** Seconds between checks. */
  interval: number | null;
  retries: number | null;
  active: boolean;
  /**
   * The last beat; `status: 'unknown'` with `time: null` and why in `msg` when the heartbeat
   * list Kuma pushed for it does not fit. Null: no beat yet.
   */
  lastHeartbeat: { status: string; time: string | null; msg: string; ping: number | null } | null;
  description: string | null;
  /** The app whose homelab marker the description carries (`managed-by: homelab app=wiki`), or null. */
  app: string | null;
}

/** The last beat of a monitor as `kuma list` shows it: unknown, saying why, when its heartbeat list did not fit. */
function lastOf(beats: Beat[] | UnexpectedAnswerError | undefined): KumaListEntry['lastHeartbeat'] {
  if (beats instanceof Error) return { status: 'unknown', time: null, msg: beats.message, ping: null };
  const last = beats?.at(-1);
  return last ? { status: last.status, time: last.time, msg: last.msg, ping: last.ping } : null;
}

/** A monitor as `kuma list` shows it, with its last heartbeat from `beats` (`kuma show` too). */
export function listEntry(m: Monitor, beats: Beat[] | UnexpectedAnswerError | undefined): KumaListEntry {
  const port = m.port === null || m.port === undefined || m.port === '' ? null : Number(m.port);
  return {
    id: m.id, name: m.name, type: m.type, target: monitorTarget(m.type, m.url ?? null, m.hostname ?? null, Number.isFinite(port) ? port : null),
    interval: m.interval ?? null, retries: m.maxretries ?? null, active: m.active,
    lastHeartbeat: lastOf(beats),
    description: m.description || null, app: markedApp(m.description),
  };
}

/** `kuma list`. */
export const kumaList = defineOperation({
  id: 'kuma.list',
  summary: 'Monitors with id, type, target, interval, active/paused and the last heartbeat',
  input: z.object({}),
  risk: 'read',
  pages: true,
  examples: ['kuma list', 'kuma list --json'],
  rowDetails: [{ column: 'id', op: 'kuma.show' }],
  async run(ctx): Promise<KumaListEntry[]> {
    const client = await ctx.client(kumaClientFactory);
    const session = await client.socket();
    const monitors = [...(await session.monitorList()).values()];
    const beats = await session.heartbeatListsOf(monitors.map((m) => m.id));
    return monitors.map((m) => listEntry(m, beats.get(m.id))).sort((a, b) => a.id - b.id);
  },
  completions: (list) => [{ kind: 'kuma.monitor', values: list.map((m) => ({ value: m.name, description: `${m.type} ${m.target}` })) }],
  render: (list) => [
    table(['id>', 'name', 'type', 'target', 'every>', 'state', 'last beat', 'app'],
      list.map((m) => [
        m.id, m.name, m.type, m.target, m.interval === null ? '-' : `${m.interval}s`,
        m.active ? toned('active', 'ok') : toned('paused', 'dim'),
        m.lastHeartbeat ? toned(m.lastHeartbeat.time === null ? m.lastHeartbeat.status : `${m.lastHeartbeat.status} ${formatAge(Date.parse(m.lastHeartbeat.time) / 1000)}`, tone(m.lastHeartbeat.status)) : '-',
        m.app ?? '',
      ]),
      { empty: 'no monitors' }),
    ...list.filter((m) => m.lastHeartbeat?.time === null).map((m) => text(`${m.name}: last beat unknown: ${m.lastHeartbeat?.msg ?? ''}`, 'warn')),
  ],
});
