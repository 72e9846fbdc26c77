/**
 * @module services/hub/expose-live
 * The live state an expose plan is built against, read once through `ctx.invoke` (never
 * by importing a service): the zone's DNS records, NPM's proxy hosts and the other hosts
 * that can hold a name (redirects, 404 hosts), and Kuma's monitors. Each result is checked
 * with zod here, the boundary between the hub and the services. A service that is not
 * needed (no monitor wanted) is not asked.
 */
import { z } from 'zod';
import { toHomelabError, type HomelabError } from '../../core/errors.js';
import type { OpContext } from '../../core/operation.js';

const recordSchema = z.looseObject({
  name: z.string(), type: z.string(), value: z.string(), disabled: z.boolean(),
  comments: z.string().nullable(), app: z.string().nullable(),
});
const hostSchema = z.looseObject({
  id: z.number(), domains: z.array(z.string()), forwardScheme: z.string(), forwardHost: z.string(), forwardPort: z.number(),
  enabled: z.boolean(), online: z.boolean().nullable(), sslForced: z.boolean(), websockets: z.boolean(), blockExploits: z.boolean(),
  certificate: z.looseObject({ id: z.number(), name: z.string(), daysLeft: z.number().nullable() }).nullable(),
  app: z.string().nullable(),
  // What a re-created host keeps or loses (an undo of a delete): absent from older listings.
  http2: z.boolean().optional(), hsts: z.boolean().optional(), caching: z.boolean().optional(),
  accessList: z.looseObject({ id: z.number(), name: z.string() }).nullable().optional(),
});
const namedSchema = z.array(z.looseObject({ id: z.number(), domains: z.array(z.string()) }));
const monitorSchema = z.looseObject({
  id: z.number(), name: z.string(), type: z.string(), target: z.string(), active: z.boolean(),
  lastHeartbeat: z.looseObject({ status: z.string() }).nullable(), app: z.string().nullable(),
  // What a re-created monitor keeps (an undo of a delete).
  interval: z.number().nullable().optional(), retries: z.number().nullable().optional(), description: z.string().nullable().optional(),
});

/** A DNS record as `dns records` lists it. */
export type LiveRecord = z.infer<typeof recordSchema>;
/** A proxy host as `proxy list` lists it. */
export type LiveHost = z.infer<typeof hostSchema>;
/** A monitor as `kuma list` lists it. */
export type LiveMonitor = z.infer<typeof monitorSchema>;

/** What the services hold now. */
export interface LiveState {
  zone: string;
  records: LiveRecord[];
  hosts: LiveHost[];
  /** Redirection and 404 hosts: a name they hold cannot get a proxy host. */
  otherHosts: { kind: 'redirect' | '404 host'; id: number; domains: string[] }[];
  /** Null when monitors were not asked for. */
  monitors: LiveMonitor[] | null;
}

/** Reads the live state for expose plans under `zone`; `monitors: false` leaves Kuma alone. */
export async function readLive(ctx: OpContext, zone: string, options: { monitors: boolean }): Promise<LiveState> {
  const [records, hosts, redirects, dead, monitors] = await Promise.all([
    ctx.invoke('dns.records', { zone }),
    ctx.invoke('proxy.list', {}),
    ctx.invoke('proxy.redirects', {}),
    ctx.invoke('proxy.dead-hosts', {}),
    options.monitors ? ctx.invoke('kuma.list', {}) : Promise.resolve(null),
  ]);
  return {
    zone,
    records: z.looseObject({ records: z.array(recordSchema) }).parse(records).records,
    hosts: z.array(hostSchema).parse(hosts),
    otherHosts: [
      ...namedSchema.parse(redirects).map((h) => ({ kind: 'redirect' as const, id: h.id, domains: h.domains })),
      ...namedSchema.parse(dead).map((h) => ({ kind: '404 host' as const, id: h.id, domains: h.domains })),
    ],
    monitors: monitors === null ? null : z.array(monitorSchema).parse(monitors),
  };
}

/** The live state service by service: a part is null when its service could not be read (`failures` says why). */
export interface LiveParts {
  zone: string;
  records: LiveRecord[] | null;
  hosts: LiveHost[] | null;
  otherHosts: LiveState['otherHosts'] | null;
  monitors: LiveMonitor[] | null;
  failures: { service: 'dns' | 'proxy' | 'kuma'; error: HomelabError }[];
}

/** Reads what each service holds, each on its own: one service down or not configured never hides the others. */
export async function readLiveParts(ctx: OpContext, zone: string): Promise<LiveParts> {
  const failures: LiveParts['failures'] = [];
  const part = async <T>(service: LiveParts['failures'][number]['service'], read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read();
    } catch (err) {
      failures.push({ service, error: toHomelabError(err) });
      return null;
    }
  };
  const [records, proxy, monitors] = await Promise.all([
    part('dns', async () => z.looseObject({ records: z.array(recordSchema) }).parse(await ctx.invoke('dns.records', { zone })).records),
    part('proxy', async () => {
      const [hosts, redirects, dead] = await Promise.all([ctx.invoke('proxy.list', {}), ctx.invoke('proxy.redirects', {}), ctx.invoke('proxy.dead-hosts', {})]);
      return {
        hosts: z.array(hostSchema).parse(hosts),
        otherHosts: [
          ...namedSchema.parse(redirects).map((h) => ({ kind: 'redirect' as const, id: h.id, domains: h.domains })),
          ...namedSchema.parse(dead).map((h) => ({ kind: '404 host' as const, id: h.id, domains: h.domains })),
        ],
      };
    }),
    part('kuma', async () => z.array(monitorSchema).parse(await ctx.invoke('kuma.list', {}))),
  ]);
  return { zone, records, hosts: proxy?.hosts ?? null, otherHosts: proxy?.otherHosts ?? null, monitors, failures };
}

/** The certificate that covers `domain` now (exactly or by wildcard), or null. */
export async function coveringCertificate(ctx: OpContext, domain: string): Promise<{ id: number; name: string; daysLeft: number | null } | null> {
  const res = z.looseObject({ certificate: z.looseObject({ id: z.number(), name: z.string(), daysLeft: z.number().nullable() }).nullable() })
    .parse(await ctx.invoke('proxy.cert-for', { domain }));
  return res.certificate;
}

/** The names each certificate lists, by id (`proxy certs`): to tell whether a host's certificate covers its name. */
export async function certificateNames(ctx: OpContext): Promise<Map<number, string[]>> {
  const certs = z.array(z.looseObject({ id: z.number(), domains: z.array(z.string()).default([]) })).parse(await ctx.invoke('proxy.certs', {}));
  return new Map(certs.map((c) => [c.id, c.domains]));
}
