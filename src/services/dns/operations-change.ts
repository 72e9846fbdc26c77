/**
 * @module services/dns/operations-change
 * `dns update <name> <ip>` (read the record, resend its TTL, comment, disabled state
 * and expiry: the server resets whatever an update omits), `dns delete` (asks first),
 * and `dns flush-cache`.
 */
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { sameAddress } from '../../core/ip-address.js';
import { appNameSchema, hasMarker, markedApp, markerText, MARKER_PREFIX } from '../../core/marker.js';
import { defineOperation } from '../../core/operation.js';
import { fields, table, text } from '../../core/render.js';
import { ipSchema } from '../../core/validate.js';
import { dnsClientFactory } from './factory.js';
import { recordOptions } from './operations-add.js';
import { commentSchema, target, ttlSchema } from './inputs.js';
import { anyNameSchema, hostNameSchema, zoneNameSchema } from './names.js';
import { identifyParams, recordValue, sameData, toDnsRecord, type DnsRecord } from './records.js';

/** The marker of a record `lab.yaml` declares (`homelab plan`). */
const RECORD_MARKER = `${MARKER_PREFIX} record`;

/**
 * The comment `dns update --comment` writes: the new text, with homelab's marker from the old
 * comment kept after it (` · managed-by: homelab app=wiki`), so that a new comment does not hand
 * the record back (docs/markers.md). A new comment that carries a marker itself is written as given.
 */
export function commentKeepingMarker(comment: string, old: string | null | undefined): string {
  if (markedApp(comment) || hasMarker(comment, RECORD_MARKER)) return comment;
  const app = markedApp(old);
  const markers = [app ? markerText(app) : '', hasMarker(old, RECORD_MARKER) ? RECORD_MARKER : ''].filter(Boolean);
  if (markers.length === 0) return comment;
  return [comment.trim() ? comment : '', ...markers].filter(Boolean).join(' · ');
}

/** JSON shape of `dns update`. */
export interface DnsUpdateResult {
  zone: string | null;
  /** The address before. */
  from: string;
  /** The address now. */
  to: string;
  /** False when the record already had that address, TTL and comment (nothing was sent). */
  changed: boolean;
  record: DnsRecord;
}

/** `dns update <name> <ip>`. */
export const dnsUpdate = defineOperation({
  id: 'dns.update',
  summary: "Change an A/AAAA record's address, keeping its TTL, comment and disabled state",
  args: ['name', 'ip'],
  input: z.object({
    name: hostNameSchema,
    ip: ipSchema.describe('the new address'),
    from: ipSchema.optional().describe('the current address, when the name has several'),
    zone: zoneNameSchema.optional(),
    ttl: ttlSchema.optional().describe('new TTL in seconds (default: keep the current one)'),
    comment: commentSchema.optional().describe("new comment (default: keep the current one); homelab's marker in the current one is kept"),
    ptr: z.boolean().default(false).describe('move the reverse (PTR) record too'),
  }),
  risk: 'change',
  examples: ['dns update myhost 10.5.0.51', 'dns update web 10.5.0.60 --from 10.5.0.20 --ptr'],
  confirm: (input) => `Change the ${isIPv4(input.ip) ? 'A' : 'AAAA'} record ${input.name}${input.from ? ` from ${input.from}` : ''} to ${input.ip}${recordOptions({ ...input, ptr: false }, '')}${input.ptr ? ', moving its reverse (PTR) record too' : ''}`,
  async run(ctx, input): Promise<DnsUpdateResult> {
    const client = await ctx.client(dnsClientFactory);
    const t = target(input.name, input.zone, client.config);
    const type = isIPv4(input.ip) ? 'A' : 'AAAA';
    const all = (await client.records(t.fqdn, { zone: t.zone, signal: ctx.signal })).records.filter((r) => r.type === type);
    const candidates = input.from ? all.filter((r) => sameAddress(String(r.rData.ipAddress), input.from ?? '')) : all;
    if (candidates.length === 0) {
      throw new NotFoundError('dns', 200, input.from ? `${t.fqdn} has no ${type} record ${input.from}` : `${t.fqdn} has no ${type} record`);
    }
    if (candidates.length > 1) {
      throw new UsageError(`${t.fqdn} has ${candidates.length} ${type} records (${candidates.map((r) => String(r.rData.ipAddress)).join(', ')}): say which with --from`);
    }
    const old = candidates[0] as (typeof candidates)[number];
    const from = String(old.rData.ipAddress);
    const expiryTtl = typeof old.expiryTtl === 'number' && old.expiryTtl > 0 ? old.expiryTtl : undefined;
    // Nothing to send when the address, the TTL and the comment are already what is asked: `changed` says
    // whether the record differed, which an undo of an update in flight takes as proof that it went through.
    const sameTtl = input.ttl === undefined || input.ttl === old.ttl;
    const comments = input.comment === undefined ? old.comments : commentKeepingMarker(input.comment, old.comments);
    const sameComment = (comments ?? '') === (old.comments ?? '');
    if (sameAddress(from, input.ip) && sameTtl && sameComment && !input.ptr) {
      return { zone: t.baseZone ?? null, from, to: from, changed: false, record: toDnsRecord(old) };
    }
    const record = await client.updateRecord({
      domain: t.fqdn, zone: t.zone, type, ipAddress: from, newIpAddress: input.ip,
      ttl: input.ttl ?? old.ttl, comments, disable: old.disabled, expiryTtl,
      ptr: input.ptr || undefined,
    }, ctx.signal);
    return { zone: t.baseZone ?? null, from, to: String(record.rData.ipAddress), changed: true, record: toDnsRecord(record) };
  },
  render: (res) => [
    res.changed ? text(`${res.record.name} ${res.record.type} ${res.from} → ${res.to}`, 'ok') : text(`${res.record.name} already points to ${res.to}; nothing changed`, 'dim'),
    fields([['ttl', res.record.ttl], ['comment', res.record.comments ?? '-'], ['state', res.record.disabled ? 'disabled' : 'enabled']]),
  ],
});

/** JSON shape of `dns delete`. */
export interface DnsDeleteResult {
  zone: string | null;
  name: string;
  deleted: DnsRecord[];
  /** With --app: records that matched but do not carry homelab's marker for that app, left alone. */
  leftAlone: DnsRecord[];
}

/** `dns delete <name> [--type A] [--value V]`. */
export const dnsDelete = defineOperation({
  id: 'dns.delete',
  summary: 'Delete records of a name (all types, or --type / --value)',
  args: ['name'],
  input: z.object({
    name: anyNameSchema,
    type: z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'must be a record type like A, CNAME, TXT').transform((v) => v.toUpperCase()).optional().describe('only records of this type'),
    value: z.string().min(1).max(65_000).optional().describe('only the record with this value (address, target, text)'),
    zone: zoneNameSchema.optional(),
    app: appNameSchema.optional().describe("only records carrying homelab's marker for this app; others are left alone and listed"),
  }),
  risk: 'danger',
  examples: ['dns delete myhost', 'dns delete myhost --type A --value 10.5.0.50', 'dns delete _homelab --type TXT --yes', 'dns delete wiki --app wiki'],
  confirm: (input) => `Delete ${input.type ? `the ${input.type} records` : 'all records'} of ${input.name}${input.value ? ` with value ${input.value}` : ''}${input.app ? ` marked for app ${input.app}` : ''}`,
  async run(ctx, input): Promise<DnsDeleteResult> {
    const client = await ctx.client(dnsClientFactory);
    const t = target(input.name, input.zone, client.config);
    const { zone, records } = await client.records(t.fqdn, { zone: t.zone, signal: ctx.signal });
    const apex = zone.name === t.fqdn;
    const selected = records.filter((r) => r.type !== 'SOA'
      && (input.type ? r.type === input.type : !(apex && r.type === 'NS'))
      && (!input.value || matchesValue(r.type, r.rData, input.value)));
    const wanted = input.app ? selected.filter((r) => markedApp(r.comments) === input.app) : selected;
    const leftAlone = selected.filter((r) => !wanted.includes(r)).map(toDnsRecord);
    if (wanted.length === 0) {
      const what = `${input.type ?? ''}${input.type ? ' ' : ''}records at ${t.fqdn}${input.value ? ` with value ${input.value}` : ''}`;
      throw new NotFoundError('dns', 200, input.app ? `no ${what} marked for app ${input.app}${leftAlone.length ? ` (${leftAlone.length} other${leftAlone.length === 1 ? '' : 's'} left alone)` : ''}` : `no ${what}`);
    }
    const deleted: DnsRecord[] = [];
    for (const r of wanted) {
      if (r.type === 'CNAME' && deleted.some((d) => d.type === 'CNAME')) continue;
      await client.deleteRecord({ domain: t.fqdn, zone: zone.name, type: r.type, ...identifyParams(r) }, ctx.signal);
      deleted.push(toDnsRecord(r));
    }
    return { zone: t.baseZone ?? null, name: t.fqdn, deleted, leftAlone };
  },
  render: (res) => [
    table(['deleted', 'type', 'value'], res.deleted.map((r) => [r.name, r.type, r.value])),
    ...(res.leftAlone.length ? [table(['left alone (not marked)', 'type', 'value'], res.leftAlone.map((r) => [r.name, r.type, r.value]))] : []),
  ],
});

/** Whether `--value` picks a record: its one-line value or its first text field (an MX's exchange), as the type compares them. */
function matchesValue(type: string, rData: Record<string, unknown>, value: string): boolean {
  const main = Object.values(rData).find((x) => typeof x === 'string');
  return sameData(type, recordValue(type, rData), value) || sameData(type, String(main ?? ''), value);
}

/** `dns flush-cache`. */
export const dnsFlushCache = defineOperation({
  id: 'dns.flush-cache',
  summary: "Flush the resolver's cache",
  input: z.object({}),
  risk: 'change',
  examples: ['dns flush-cache'],
  confirm: () => "Flush the DNS resolver's cache (every name is looked up again)",
  async run(ctx): Promise<{ flushed: true }> {
    const client = await ctx.client(dnsClientFactory);
    await client.flushCache(ctx.signal);
    return { flushed: true };
  },
  render: () => [text('resolver cache flushed', 'ok')],
});
