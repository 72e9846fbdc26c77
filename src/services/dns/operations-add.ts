/**
 * @module services/dns/operations-add
 * Adding records: `dns add <name> <ip>` (A or AAAA by the address, `--ptr` for the
 * reverse record), `dns add-cname <name> <target>`, `dns add-txt <name> <text>`.
 * Each reads the name's records first so that a duplicate or a CNAME conflict is a
 * clear message instead of a silent no-op or the server's error.
 */
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { freeText } from '../../core/free-text.js';
import { appNameSchema, withMarker } from '../../core/marker.js';
import { ipSchema } from '../../core/validate.js';
import { OperationError, UsageError } from '../../core/errors.js';
import { defineOperation, type OpContext } from '../../core/operation.js';
import { fields, type Rendered } from '../../core/render.js';
import { textHead } from '../../core/text-head.js';
import type { DnsParams } from './client.js';
import { dnsClientFactory } from './factory.js';
import { commentSchema, target, ttlSchema } from './inputs.js';
import { anyNameSchema, hostNameSchema, qualify, zoneNameSchema } from './names.js';
import { sameData, toDnsRecord, type DnsRecord } from './records.js';

/** JSON shape of `dns add`, `dns add-cname`, `dns add-txt`. */
export interface DnsAddResult {
  /** The zone the name was resolved against (null when fully qualified without one). */
  zone: string | null;
  record: DnsRecord;
  /** Whether a PTR record was requested too. */
  ptr: boolean;
  /** Records of the same type the add replaced (--replace). */
  replaced: DnsRecord[];
}

const appSchema = appNameSchema.optional().describe("mark the record as homelab's, for this app (its comment carries managed-by: homelab app=<app>)");

const replaceSchema = z.boolean().default(false).describe('replace the existing records of this type at the name instead of adding alongside');

/** The options of a record write, as a confirmation says them (` in zone x (TTL 300, …)`). */
export function recordOptions(input: { zone?: string; ttl?: number; comment?: string; app?: string; ptr?: boolean; replace?: boolean }, replacing: string): string {
  const extra = [
    input.ttl !== undefined ? `TTL ${input.ttl} s` : '',
    input.ptr ? 'with its reverse (PTR) record' : '',
    input.replace ? replacing : '',
    input.comment !== undefined ? `comment "${textHead(input.comment, 60)}${input.comment.length > 60 ? '…' : ''}"` : '',
    input.app ? `marked for app ${input.app}` : '',
  ].filter(Boolean);
  return `${input.zone ? ` in zone ${input.zone}` : ''}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

async function add(ctx: OpContext, name: string, zoneInput: string | undefined, type: string, data: DnsParams, options: { ttl?: number; comment?: string; app?: string; replace: boolean; ptr?: boolean }): Promise<DnsAddResult> {
  const client = await ctx.client(dnsClientFactory);
  const t = target(name, zoneInput, client.config);
  const existing = (await client.records(t.fqdn, { zone: t.zone, signal: ctx.signal })).records;
  const cname = existing.find((r) => r.type === 'CNAME');
  if (type === 'CNAME' && existing.some((r) => r.type !== 'CNAME')) {
    throw new OperationError(`${t.fqdn} already has ${existing.map((r) => r.type).join(', ')} records; a CNAME cannot share its name`, `remove them first: homelab dns delete ${t.fqdn}`);
  }
  if (cname && (type !== 'CNAME' || !options.replace)) {
    throw new OperationError(`${t.fqdn} is a CNAME to ${String(cname.rData.cname)}`, type === 'CNAME' ? 'add --replace to point it elsewhere' : `a name with a CNAME can have no other records: homelab dns delete ${t.fqdn} --type CNAME first`);
  }
  // Only the type's own field counts (`ipAddress`, `cname`, `text`): a TXT's `splitText: false` is not the text "false".
  const [field, main] = Object.entries(data)[0] as [string, DnsParams[string]];
  const same = existing.find((r) => r.type === type && sameData(type, String(r.rData[field] ?? ''), String(main)));
  if (same && !options.replace) throw new OperationError(`${t.fqdn} already has ${type} ${String(main)}`, same.disabled ? 'it is disabled; see homelab dns records' : undefined);
  const record = await client.addRecord({
    domain: t.fqdn, zone: t.zone, type, ...data, ttl: options.ttl, comments: options.app ? withMarker(options.comment, options.app) : options.comment,
    overwrite: options.replace || undefined, ptr: options.ptr || undefined,
  }, ctx.signal);
  return {
    zone: t.baseZone ?? null, record: toDnsRecord(record), ptr: Boolean(options.ptr),
    replaced: options.replace ? existing.filter((r) => r.type === type).map(toDnsRecord) : [],
  };
}

/** Renders an add result. */
export function renderAdd(res: DnsAddResult): Rendered {
  return [fields([
    ['added', `${res.record.name} ${res.record.type} ${res.record.value}`],
    ['ttl', res.record.ttl],
    ...(res.ptr ? [['ptr', 'reverse record written'] as [string, string]] : []),
    ...(res.replaced.length ? [['replaced', res.replaced.map((r) => r.value).join(', ')] as [string, string]] : []),
    ...(res.record.comments ? [['comment', res.record.comments] as [string, string]] : []),
    ...(res.record.app ? [['managed', `by homelab for app ${res.record.app}`] as [string, string]] : []),
  ])];
}

/** `dns add <name> <ip>`. */
export const dnsAdd = defineOperation({
  id: 'dns.add',
  summary: 'Add an A record (AAAA for an IPv6 address)',
  args: ['name', 'ip'],
  input: z.object({
    name: hostNameSchema,
    ip: ipSchema.describe('IPv4 address (A record) or IPv6 address (AAAA record)'),
    zone: zoneNameSchema.optional(),
    ttl: ttlSchema.optional(),
    ptr: z.boolean().default(false).describe('also write the reverse (PTR) record'),
    comment: commentSchema.optional(),
    app: appSchema,
    replace: replaceSchema,
  }),
  risk: 'change',
  examples: ['dns add myhost 10.5.0.50', 'dns add myhost 10.5.0.50 --ptr --ttl 300', 'dns add nas.home.lan fd00::50'],
  confirm: (input) => {
    const type = isIPv4(input.ip) ? 'A' : 'AAAA';
    return `Add the ${type} record ${input.name} → ${input.ip}${recordOptions(input, `replacing the ${type} records there`)}`;
  },
  run: (ctx, input) => add(ctx, input.name, input.zone, isIPv4(input.ip) ? 'A' : 'AAAA', { ipAddress: input.ip }, input),
  render: renderAdd,
});

/** `dns add-cname <name> <target>`. */
export const dnsAddCname = defineOperation({
  id: 'dns.add-cname',
  summary: 'Add a CNAME (alias) record',
  args: ['name', 'target'],
  input: z.object({
    name: hostNameSchema,
    target: hostNameSchema.describe('the name it points to; relative to the zone unless it contains a dot'),
    zone: zoneNameSchema.optional(),
    ttl: ttlSchema.optional(),
    comment: commentSchema.optional(),
    app: appSchema,
    replace: z.boolean().default(false).describe('point an existing CNAME elsewhere'),
  }),
  risk: 'change',
  examples: ['dns add-cname wiki proxy', 'dns add-cname docs proxy.home.lan --ttl 600'],
  confirm: (input) => `Add the CNAME record ${input.name} → ${input.target}${recordOptions(input, 'pointing an existing CNAME there elsewhere')}`,
  async run(ctx, input) {
    const client = await ctx.client(dnsClientFactory);
    const t = target(input.name, input.zone, client.config);
    const cname = qualify(input.target, t.baseZone, client.config.section);
    if (cname.replace(/\.$/, '').toLowerCase() === t.fqdn.replace(/\.$/, '').toLowerCase()) {
      throw new UsageError(`a CNAME cannot point to its own name: ${t.fqdn} → ${cname} would be a loop`, 'point it at another name');
    }
    return add(ctx, input.name, input.zone, 'CNAME', { cname }, input);
  },
  render: renderAdd,
});

/** `dns add-txt <name> <text>`. */
export const dnsAddTxt = defineOperation({
  id: 'dns.add-txt',
  summary: 'Add a TXT record',
  args: ['name', 'text'],
  variadic: true,
  input: z.object({
    name: anyNameSchema,
    text: freeText(z.string().min(1, 'text must not be empty').max(65_000)).describe('the text (the rest of the line)'),
    zone: zoneNameSchema.optional(),
    ttl: ttlSchema.optional(),
    comment: commentSchema.optional(),
    replace: replaceSchema,
  }),
  risk: 'change',
  examples: ['dns add-txt _homelab "owner=ops"', 'dns add-txt @ "v=spf1 -all"'],
  confirm: (input) => `Add the TXT record ${input.name} "${textHead(input.text, 60)}${input.text.length > 60 ? '…' : ''}"${recordOptions(input, 'replacing the TXT records there')}`,
  run: (ctx, input) => add(ctx, input.name, input.zone, 'TXT', { text: input.text }, input),
  render: renderAdd,
});
