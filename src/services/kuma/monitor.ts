/**
 * @module services/kuma/monitor
 * Monitors and heartbeats as the socket delivers them (shared/api/uptime-kuma.md §3–4):
 * the monitor fields the operations read, heartbeat rows (snake_case DB rows from
 * `heartbeatList`, camelCase from live `heartbeat`, times in UTC without a zone), and the
 * whole object `add` needs, built with the web UI's defaults. 2.x wants `conditions: []`
 * (and `rabbitmqNodes: []`); 1.23 has no such columns and must not get them.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';

/** The monitor fields the operations read (the rest passes through untouched). */
export const monitorSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  url: z.string().nullish(),
  hostname: z.string().nullish(),
  port: z.union([z.number(), z.string()]).nullish(),
  interval: z.number().nullish(),
  maxretries: z.number().nullish(),
  active: z.union([z.boolean(), z.number()]).transform((v) => v === true || v === 1),
  pushToken: z.string().nullish(),
  keyword: z.string().nullish(),
  description: z.string().nullish(),
});

/**
 * A new monitor name (`kuma add`, `kuma edit --name`): 1–150 characters, not only digits,
 * since an argument of digits addresses the monitor with that id: a monitor named "2" could
 * never be shown, edited or deleted by its name (and `delete 2` would hit monitor id 2).
 */
export const monitorNameSchema = z.string().trim().min(1).max(150)
  .refine((name) => !/^\d+$/.test(name), { message: 'must not be only digits: <id|name> arguments read digits as a monitor id (add a letter, e.g. job-2)' });

/** A monitor from `monitorList` / `getMonitor`. */
export type Monitor = z.infer<typeof monitorSchema>;

/** Heartbeat status names (0 DOWN, 1 UP, 2 PENDING, 3 MAINTENANCE). */
export const BEAT_STATUS = ['down', 'up', 'pending', 'maintenance'] as const;

/** One heartbeat. */
export interface Beat {
  monitorId: number;
  status: (typeof BEAT_STATUS)[number] | 'unknown';
  /** ISO 8601. */
  time: string;
  msg: string;
  ping: number | null;
  important: boolean;
}

/** A Kuma time (`YYYY-MM-DD HH:mm:ss.SSS`, UTC, no zone) as ISO 8601. */
export function kumaTimeToIso(time: string): string {
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(time) ? time : `${time}Z`;
  const date = new Date(zoned.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? time : date.toISOString();
}

/** The fields of a heartbeat row the operations read (`heartbeatList` adds `monitor_id`, a live `heartbeat` `monitorID`). */
const rowSchema = z.looseObject({
  status: z.number(),
  time: z.string(),
  msg: z.string().nullish(),
  ping: z.number().nullish(),
  important: z.union([z.boolean(), z.number()]).nullish(),
});

function toBeat(monitorId: number, row: z.infer<typeof rowSchema>): Beat {
  return {
    monitorId, status: BEAT_STATUS[row.status] ?? 'unknown', time: kumaTimeToIso(row.time), msg: row.msg ?? '',
    ping: row.ping ?? null, important: row.important === true || row.important === 1,
  };
}

/** A `heartbeatList` row (snake_case `monitor_id`). */
export const beatRowSchema = rowSchema.extend({ monitor_id: z.number() });

/** A `heartbeatList` row (snake_case `monitor_id`); undefined when it does not fit. */
export function beatFromRow(raw: unknown): Beat | undefined {
  const parsed = beatRowSchema.safeParse(raw);
  return parsed.success ? toBeat(parsed.data.monitor_id, parsed.data) : undefined;
}

/** A live `heartbeat` event (camelCase `monitorID`); undefined when it does not fit. */
export function beatFromLive(raw: unknown): Beat | undefined {
  const parsed = rowSchema.extend({ monitorID: z.union([z.number(), z.string()]) }).safeParse(raw);
  return parsed.success ? toBeat(Number(parsed.data.monitorID), parsed.data) : undefined;
}

/** What `kuma add` creates. */
export interface NewMonitor {
  type: 'http' | 'keyword' | 'ping' | 'port' | 'push';
  name: string;
  url?: string;
  hostname?: string;
  port?: number;
  keyword?: string;
  /** Seconds between checks. */
  interval: number;
  /** Retries before DOWN. */
  retries: number;
  pushToken?: string;
  /** Free text; homelab's marker goes here (`managed-by: homelab app=wiki`). */
  description?: string;
  /** Created paused (`active: false`: Kuma starts a monitor on `add` otherwise). */
  paused?: boolean;
}

/** A push token as the UI makes them: 32 letters and digits. */
export function newPushToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 32 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The whole monitor object for `add`, with the web UI's defaults; `v2` adds the 2.x-only arrays. */
export function monitorPayload(m: NewMonitor, v2: boolean): Record<string, unknown> {
  return {
    type: m.type, name: m.name, description: m.description ?? null, parent: null,
    url: m.url ?? 'https://', method: 'GET', hostname: m.hostname ?? null, port: m.port ?? null,
    interval: m.interval, retryInterval: m.interval, resendInterval: 0, maxretries: m.retries,
    timeout: Math.min(48, Math.round(m.interval * 0.8 * 10) / 10),
    keyword: m.keyword ?? null, invertKeyword: false, pushToken: m.pushToken ?? null,
    notificationIDList: {}, ignoreTls: false, upsideDown: false, packetSize: 56, expiryNotification: false, maxredirects: 10,
    accepted_statuscodes: ['200-299'], dns_resolve_type: 'A', dns_resolve_server: '1.1.1.1',
    docker_container: '', docker_host: null, proxyId: null, authMethod: null, httpBodyEncoding: 'json',
    mqttUsername: '', mqttPassword: '', mqttTopic: '', mqttSuccessMessage: '',
    kafkaProducerBrokers: [], kafkaProducerSaslOptions: { mechanism: 'None' }, kafkaProducerSsl: false,
    kafkaProducerAllowAutoTopicCreation: false, gamedigGivenPortOnly: true,
    ...(v2 ? { conditions: [], rabbitmqNodes: [] } : {}),
    ...(m.paused ? { active: false } : {}),
  };
}
