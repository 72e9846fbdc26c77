/**
 * @module services/dns/records
 * Records as the dns operations return them (`--json`), their one-line value, and the
 * parameters that identify an existing record to `/update` and `/delete` (the
 * server finds a record by its current data, per type).
 */
import { markedApp } from '../../core/marker.js';
import { sameAddress } from '../../core/ip-address.js';
import type { DnsParams } from './client.js';
import type { TechnitiumRecord } from './schemas.js';

/** JSON shape of one record in `dns records`, `dns add`, `dns delete`… */
export interface DnsRecord {
  /** Fully qualified owner name. */
  name: string;
  type: string;
  /** Seconds. */
  ttl: number;
  /** The record data on one line: an address, a target, `10 mail.home.lan`, the text. */
  value: string;
  disabled: boolean;
  comments: string | null;
  /** The app whose homelab marker the comment carries (`managed-by: homelab app=wiki`), or null. */
  app: string | null;
  /** The data as the server gave it (keys per type: ipAddress, cname, ptrName, exchange, text, …). */
  rData: Record<string, unknown>;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** The record data on one line. */
export function recordValue(type: string, d: Record<string, unknown>): string {
  switch (type) {
    case 'A': case 'AAAA': return str(d.ipAddress);
    case 'CNAME': return str(d.cname);
    case 'PTR': return str(d.ptrName);
    case 'NS': return str(d.nameServer);
    case 'MX': return `${str(d.preference)} ${str(d.exchange)}`;
    case 'TXT': return str(d.text);
    case 'SRV': return `${str(d.priority)} ${str(d.weight)} ${str(d.port)} ${str(d.target)}`;
    case 'CAA': return `${str(d.flags)} ${str(d.tag)} "${str(d.value)}"`;
    case 'SOA': return `${str(d.primaryNameServer)} ${str(d.responsiblePerson)} ${str(d.serial)}`;
    default: return str(d.value ?? d.data ?? JSON.stringify(d));
  }
}

/** Record types whose data is a domain name (a trailing dot is the same name). */
const NAME_VALUED = new Set(['CNAME', 'PTR', 'NS', 'MX', 'SRV']);

/**
 * A CAA record's one-line value (`0 issue "letsencrypt.org"`) as Technitium compares it: the
 * tag in lower case (the server stores it so), the flags and the value exactly; anything else
 * (a bare tag, `--value issue`) in lower case.
 */
function caaForm(v: string): string {
  const m = /^(\d+)\s+(\S+)\s+"?(.*?)"?$/s.exec(v.trim());
  return m ? `${m[1] ?? ''} ${(m[2] ?? '').toLowerCase()} ${m[3] ?? ''}` : v.toLowerCase();
}

/**
 * Whether a record's `data` (its address, target or text) is the `given` one, as the server
 * compares it: an address in any written form; a name with or without its trailing dot, in any
 * case; a TXT text exactly (case and dots kept: `Key=ABC` is not `key=abc`, `ends with dot.` is
 * not `ends with dot`); a CAA value exactly, its tag in any case.
 */
export function sameData(type: string, data: string, given: string): boolean {
  if (type === 'A' || type === 'AAAA') return sameAddress(data, given);
  if (type === 'TXT') return data === given;
  if (type === 'CAA') return caaForm(data) === caaForm(given);
  const form = (v: string): string => (NAME_VALUED.has(type) ? v.replace(/\.$/, '') : v).toLowerCase();
  return form(data) === form(given);
}

/** Converts a server record to the JSON shape. */
export function toDnsRecord(r: TechnitiumRecord): DnsRecord {
  return { name: r.name, type: r.type, ttl: r.ttl, value: recordValue(r.type, r.rData), disabled: r.disabled, comments: r.comments ?? null, app: markedApp(r.comments), rData: r.rData };
}

/** The "current value" parameters that identify an existing record for update/delete. */
export function identifyParams(r: { type: string; rData: Record<string, unknown> }): DnsParams {
  const d = r.rData;
  const p = (v: unknown): string | number | boolean | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined);
  switch (r.type) {
    case 'A': case 'AAAA': return { ipAddress: p(d.ipAddress) };
    case 'CNAME': return {};
    case 'PTR': return { ptrName: p(d.ptrName) };
    case 'NS': return { nameServer: p(d.nameServer) };
    case 'MX': return { preference: p(d.preference), exchange: p(d.exchange) };
    case 'TXT': return { text: p(d.text), splitText: p(d.splitText) };
    case 'SRV': return { priority: p(d.priority), weight: p(d.weight), port: p(d.port), target: p(d.target) };
    case 'CAA': return { flags: p(d.flags), tag: p(d.tag), value: p(d.value) };
    default: return { value: recordValue(r.type, d) };
  }
}
