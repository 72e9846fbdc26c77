/**
 * @module services/dns/operations-read
 * Read operations: `dns zones`, `dns records [zone] [--type A]`, `dns stats`.
 */
import { z } from 'zod';
import { naturalCompare } from '../../core/natural-order.js';
import { defineOperation } from '../../core/operation.js';
import { fields, table, toned } from '../../core/render.js';
import { STATS_PERIODS } from './client.js';
import { dnsClientFactory } from './factory.js';
import { pickZone, relativeName, zoneNameSchema } from './names.js';
import { toDnsRecord, type DnsRecord } from './records.js';

/** JSON shape of one `dns zones` entry. */
export interface DnsZoneSummary {
  name: string;
  /** Primary, Secondary, Stub, Forwarder, … */
  type: string;
  disabled: boolean;
  /** Built-in zones (localhost, 127.in-addr.arpa, …); listed only with --all. */
  internal: boolean;
  /** Number of records, when the zone could be read (null otherwise). */
  records: number | null;
  soaSerial: number | null;
}

/** `dns zones`. */
export const dnsZones = defineOperation({
  id: 'dns.zones',
  summary: 'List DNS zones with type, record count and state',
  input: z.object({ all: z.boolean().default(false).describe('include the built-in internal zones') }),
  risk: 'read',
  pages: true,
  examples: ['dns zones', 'dns zones --all --json'],
  async run(ctx, input): Promise<DnsZoneSummary[]> {
    const client = await ctx.client(dnsClientFactory);
    const zones = (await client.zones(ctx.signal)).filter((z) => input.all || !z.internal);
    return Promise.all(zones.map(async (zone) => {
      const count = zone.type === 'Primary' || zone.type === 'Secondary' || zone.type === 'Forwarder'
        ? await client.records(zone.name, { zone: zone.name, listZone: true, signal: ctx.signal }).then((r) => r.records.length, () => null)
        : null;
      return { name: zone.name, type: zone.type, disabled: zone.disabled, internal: zone.internal ?? false, records: count, soaSerial: zone.soaSerial ?? null };
    }));
  },
  completions: (zones) => [{ kind: 'dns.zone', values: zones.filter((z) => z.name).map((z) => ({ value: z.name, description: z.type })) }],
  render: (zones) => [
    table(['zone', 'type', 'records>', 'serial>', 'state'], zones.map((z) => [
      z.name || '(root)', z.type, z.records ?? '-', z.soaSerial ?? '-', z.disabled ? toned('disabled', 'warn') : toned('enabled', 'ok'),
    ]), { empty: 'no zones' }),
  ],
});

/** JSON shape of `dns records`. */
export interface DnsRecordsResult {
  zone: string;
  records: DnsRecord[];
}

/** `dns records [zone] [--type A]`. */
export const dnsRecords = defineOperation({
  id: 'dns.records',
  summary: 'List the records of a zone (default zone from config)',
  args: ['zone'],
  input: z.object({
    zone: zoneNameSchema.optional(),
    type: z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'must be a record type like A, CNAME, TXT').transform((t) => t.toUpperCase()).optional().describe('only records of this type'),
  }),
  risk: 'read',
  pages: 'records',
  examples: ['dns records', 'dns records home.lan --type CNAME', 'dns records 0.5.10.in-addr.arpa'],
  async run(ctx, input): Promise<DnsRecordsResult> {
    const client = await ctx.client(dnsClientFactory);
    const zone = pickZone(input.zone, client.config.zone, client.config.section);
    const res = await client.records(zone, { zone, listZone: true, signal: ctx.signal });
    const records = res.records.filter((r) => !input.type || r.type === input.type).map(toDnsRecord);
    return { zone, records: records.sort((a, b) => byName(a, b, zone)) };
  },
  render: (res) => [
    table(['name', 'type', 'ttl>', 'value', 'comment'], res.records.map((r) => [
      relativeName(r.name, res.zone), r.type, r.ttl,
      r.disabled ? toned(`${r.value} (disabled)`, 'dim') : r.value, r.comments ?? '',
    ]), { title: `zone ${res.zone}`, empty: 'no records' }),
  ],
});

const TYPE_ORDER = ['SOA', 'NS', 'MX', 'TXT', 'A', 'AAAA', 'CNAME', 'PTR', 'SRV', 'CAA'];

/** Apex first, then names in natural order (`2` before `10`), then by type. */
function byName(a: DnsRecord, b: DnsRecord, zone: string): number {
  const apex = (r: DnsRecord): number => (r.name === zone ? 0 : 1);
  const type = (r: DnsRecord): number => (TYPE_ORDER.indexOf(r.type) + 1 || 99);
  return apex(a) - apex(b) || naturalCompare(relativeName(a.name, zone), relativeName(b.name, zone)) || type(a) - type(b);
}

/** JSON shape of `dns stats`. */
export interface DnsStatsResult {
  period: keyof typeof STATS_PERIODS;
  totalQueries: number;
  totalNoError: number | null;
  totalServerFailure: number | null;
  totalNxDomain: number | null;
  totalRefused: number | null;
  totalAuthoritative: number | null;
  totalRecursive: number | null;
  totalCached: number | null;
  totalBlocked: number | null;
  totalClients: number | null;
  zones: number | null;
  cachedEntries: number | null;
  blockedZones: number | null;
  blockListZones: number | null;
  /** Share of queries blocked, 0..1. */
  blockedFraction: number | null;
  topClients: { address: string; name: string | null; hits: number }[];
  topDomains: { name: string; hits: number }[];
  topBlockedDomains: { name: string; hits: number }[];
}

/** `dns stats [--period day]`. */
export const dnsStats = defineOperation({
  id: 'dns.stats',
  summary: 'Dashboard counters: queries, blocked, cache',
  input: z.object({ period: z.enum(['hour', 'day', 'week', 'month', 'year']).default('hour').describe('time span of the counters') }),
  risk: 'read',
  examples: ['dns stats', 'dns stats --period day --json'],
  async run(ctx, input): Promise<DnsStatsResult> {
    const client = await ctx.client(dnsClientFactory);
    const res = await client.stats(input.period, ctx.signal);
    const s = res.stats;
    const n = (v: number | undefined): number | null => v ?? null;
    return {
      period: input.period, totalQueries: s.totalQueries, totalNoError: n(s.totalNoError), totalServerFailure: n(s.totalServerFailure),
      totalNxDomain: n(s.totalNxDomain), totalRefused: n(s.totalRefused), totalAuthoritative: n(s.totalAuthoritative),
      totalRecursive: n(s.totalRecursive), totalCached: n(s.totalCached), totalBlocked: n(s.totalBlocked), totalClients: n(s.totalClients),
      zones: n(s.zones), cachedEntries: n(s.cachedEntries), blockedZones: n(s.blockedZones), blockListZones: n(s.blockListZones),
      blockedFraction: s.totalQueries > 0 && s.totalBlocked !== undefined ? s.totalBlocked / s.totalQueries : null,
      topClients: (res.topClients ?? []).map((c) => ({ address: c.name, name: c.domain ?? null, hits: c.hits })),
      topDomains: (res.topDomains ?? []).map((d) => ({ name: d.name, hits: d.hits })),
      topBlockedDomains: (res.topBlockedDomains ?? []).map((d) => ({ name: d.name, hits: d.hits })),
    };
  },
  render: (s) => [
    fields([
      ['queries', s.totalQueries],
      ['blocked', s.blockedFraction === null ? String(s.totalBlocked ?? '-') : `${s.totalBlocked} (${(s.blockedFraction * 100).toFixed(1)}%)`],
      ['nxdomain', s.totalNxDomain ?? '-'],
      ['server failures', s.totalServerFailure ?? '-'],
      ['cached answers', s.totalCached ?? '-'],
      ['cache entries', s.cachedEntries ?? '-'],
      ['clients', s.totalClients ?? '-'],
      ['zones', s.zones ?? '-'],
      ['block list domains', s.blockListZones ?? '-'],
    ], `last ${s.period}`),
    table(['client', 'name', 'hits>'], s.topClients.map((c) => [c.address, c.name ?? '', c.hits]), { title: 'top clients', empty: 'none' }),
  ],
});
