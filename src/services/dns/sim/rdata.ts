/**
 * @module services/dns/sim/rdata
 * Record data per type, read from Technitium's type-specific parameters (with the
 * generic `value` / `newValue` aliases), as `/api/zones/records/*` do: the data of a
 * new record, the "current value" that identifies an existing one, and the `new*`
 * values of an update (omitted ones keep the old data).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { canonicalAddress } from '../../../core/ip-address.js';
import { DnsSimError, normaliseDomain, type Params } from './params.js';

/** The `rData` object of a record; keys per type as the sheet lists them. */
export type RData = Record<string, string | number | boolean>;

/** Record types the simulator supports. */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'PTR', 'MX', 'TXT', 'NS', 'SRV', 'CAA', 'SOA'] as const;

/** A supported record type. */
export type RecordType = (typeof RECORD_TYPES)[number];

/** Parses the `type` parameter case-insensitively. */
export function parseType(value: string): RecordType {
  const t = value.trim().toUpperCase();
  if (!(RECORD_TYPES as readonly string[]).includes(t)) throw new DnsSimError(`Requested value '${value}' was not found.`);
  return t as RecordType;
}

function ip(type: 'A' | 'AAAA', value: string, callerIp: string): string {
  const v = value === 'request-ip-address' ? callerIp : value.trim();
  if (type === 'A' ? !isIPv4(v) : !isIPv6(v)) throw new DnsSimError(`An invalid IP address was specified: ${value}`);
  // The server parses the address and stores it in its canonical form (`FD00:0:0:0::70` → `fd00::70`).
  return type === 'AAAA' ? canonicalAddress(v) : v;
}

function num(p: Params, name: string, fallback?: number): number {
  return p.int(name, fallback);
}

/** The data of a record to add. */
export function addData(type: RecordType, p: Params, callerIp: string): RData {
  switch (type) {
    case 'A':
    case 'AAAA':
      return { ipAddress: ip(type, p.need('ipAddress', 'value'), callerIp) };
    case 'CNAME':
      return { cname: normaliseDomain(p.need('cname', 'value')) };
    case 'PTR':
      return { ptrName: normaliseDomain(p.need('ptrName', 'value')) };
    case 'MX':
      return { preference: num(p, 'preference'), exchange: normaliseDomain(p.need('exchange', 'value')) };
    case 'TXT':
      return { text: p.need('text', 'value'), splitText: p.bool('splitText') };
    case 'NS':
      return { nameServer: normaliseDomain(p.need('nameServer', 'value')) };
    case 'SRV':
      return { priority: num(p, 'priority'), weight: num(p, 'weight'), port: num(p, 'port'), target: normaliseDomain(p.need('target', 'value')) };
    case 'CAA':
      return { flags: num(p, 'flags'), tag: p.need('tag').toLowerCase(), value: p.need('value') };
    case 'SOA':
      throw new DnsSimError('Cannot add SOA record: use the update call.');
  }
}

/**
 * The "current value" identifying an existing record, or undefined for CNAME (the
 * whole RRset) and SOA. MX `preference` defaults to 1 when omitted, as on the server.
 */
export function currentData(type: RecordType, p: Params, callerIp: string): Partial<RData> | undefined {
  switch (type) {
    case 'CNAME':
    case 'SOA':
      return undefined;
    case 'MX':
      return { preference: num(p, 'preference', 1), exchange: normaliseDomain(p.need('exchange', 'value')) };
    case 'TXT':
      return { text: p.need('text', 'value') };
    case 'CAA':
      return { flags: num(p, 'flags'), tag: p.need('tag'), value: p.need('value') };
    default:
      return addData(type, p, callerIp);
  }
}

/** The data after an update: `new*` parameters, falling back to the old data when omitted. */
export function updatedData(type: RecordType, p: Params, old: RData, callerIp: string): RData {
  switch (type) {
    case 'A':
    case 'AAAA': {
      const v = p.any('newIpAddress', 'newValue');
      return { ipAddress: v === undefined ? String(old.ipAddress) : ip(type, v, callerIp) };
    }
    case 'CNAME':
      return { cname: normaliseDomain(p.need('cname', 'value')) };
    case 'PTR': {
      const v = p.any('newPtrName', 'newValue');
      return { ptrName: v === undefined ? String(old.ptrName) : normaliseDomain(v) };
    }
    case 'MX': {
      const v = p.any('newExchange', 'newValue');
      return { preference: num(p, 'newPreference', Number(old.preference)), exchange: v === undefined ? String(old.exchange) : normaliseDomain(v) };
    }
    case 'TXT':
      return { text: p.any('newText', 'newValue') ?? String(old.text), splitText: p.bool('newSplitText', Boolean(old.splitText)) };
    case 'NS': {
      const v = p.any('newNameServer', 'newValue');
      return { nameServer: v === undefined ? String(old.nameServer) : normaliseDomain(v) };
    }
    case 'SRV': {
      const v = p.get('newTarget');
      return {
        priority: num(p, 'newPriority', Number(old.priority)), weight: num(p, 'newWeight', Number(old.weight)),
        port: num(p, 'newPort', Number(old.port)), target: v === undefined ? String(old.target) : normaliseDomain(v),
      };
    }
    case 'CAA':
      return { flags: num(p, 'newFlags', Number(old.flags)), tag: (p.get('newTag') ?? String(old.tag)).toLowerCase(), value: p.get('newValue') ?? String(old.value) };
    case 'SOA':
      return {
        primaryNameServer: normaliseDomain(p.need('primaryNameServer')), responsiblePerson: p.need('responsiblePerson'),
        serial: num(p, 'serial'), refresh: num(p, 'refresh'), retry: num(p, 'retry'), expire: num(p, 'expire'), minimum: num(p, 'minimum'),
        useSerialDateScheme: p.bool('useSerialDateScheme', Boolean(old.useSerialDateScheme)),
      };
  }
}

/** Data compared exactly, as the server's record data classes do: a TXT's text, a CAA's value. */
const EXACT_KEYS = new Set(['text', 'value']);

/**
 * Whether a record's data matches the identifying (possibly partial) data: names (and a CAA's
 * tag, stored in lower case) in any case, a TXT's text and a CAA's value exactly.
 */
export function matches(data: RData, wanted: Partial<RData> | undefined): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([k, v]) => (EXACT_KEYS.has(k) ? String(data[k]) === String(v) : String(data[k]).toLowerCase() === String(v).toLowerCase()));
}

/** The reverse (PTR) owner name of an IPv4 or IPv6 address. */
export function reverseName(address: string): string {
  if (isIPv4(address)) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = expandIpv6(address);
  return `${groups.join('').split('').reverse().join('.')}.ip6.arpa`;
}

/** The reverse zone a `createPtrZone=true` call creates: /24 for IPv4, /64 for IPv6. */
export function reverseZoneFor(address: string): string {
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).reverse().join('.')}.in-addr.arpa`;
  return `${expandIpv6(address).slice(0, 4).join('').split('').reverse().join('.')}.ip6.arpa`;
}

function expandIpv6(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...middle, ...t].map((g) => g.padStart(4, '0'));
}
