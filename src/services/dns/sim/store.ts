/**
 * @module services/dns/sim/store
 * The simulated server's zones and records, with Technitium's rules: the closest
 * enclosing zone owns a name, internal zones refuse edits, every change bumps the SOA
 * serial, and records are written back as `WriteRecordAsJson` would.
 */
import { DnsSimError, ttlString } from './params.js';
import type { RData, RecordType } from './rdata.js';

/** A zone as the simulator keeps it. */
export interface SimZone {
  name: string;
  type: 'Primary' | 'Secondary' | 'Stub' | 'Forwarder';
  internal: boolean;
  disabled: boolean;
  soaSerial: number;
  lastModified: string;
}

/** A record as the simulator keeps it (owner name lower-case, no trailing dot). */
export interface SimRecord {
  name: string;
  type: RecordType;
  ttl: number;
  disabled: boolean;
  comments?: string;
  rData: RData;
  lastModified: string;
  expiryTtl: number;
}

const TYPE_ORDER: readonly string[] = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'PTR', 'MX', 'TXT', 'SRV', 'CAA'];

/** Zones and records of one simulated Technitium server. */
export class DnsStore {
  readonly zones = new Map<string, SimZone>();
  readonly records: SimRecord[] = [];

  constructor(
    /** The simulator's clock. */
    readonly now: () => Date,
    /** The server's own name (primary name server of the zones it creates). */
    readonly serverDomain: string,
  ) {}

  /** Creates a zone; an existing one is an error, as on the server. */
  createZone(name: string, type: SimZone['type'] = 'Primary', internal = false): SimZone {
    if (this.zones.has(name)) throw new DnsSimError(`Zone already exists: ${name}`);
    const zone: SimZone = { name, type, internal, disabled: false, soaSerial: 1, lastModified: this.now().toISOString() };
    this.zones.set(name, zone);
    return zone;
  }

  /** Creates a primary zone with its SOA and NS records, as `/api/zones/create` does. */
  createPrimaryZone(name: string): SimZone {
    const zone = this.createZone(name);
    this.add(zone, {
      name, type: 'SOA', ttl: 900, disabled: false, expiryTtl: 0,
      rData: { primaryNameServer: this.serverDomain, responsiblePerson: `hostadmin@${name}`, serial: zone.soaSerial, refresh: 900, retry: 300, expire: 604800, minimum: 900, useSerialDateScheme: false },
    });
    this.add(zone, { name, type: 'NS', ttl: 3600, disabled: false, expiryTtl: 0, rData: { nameServer: this.serverDomain } });
    return zone;
  }

  /** The zone with this exact name, or an error. */
  zone(name: string): SimZone {
    const zone = this.zones.get(name);
    if (!zone) throw new DnsSimError(`No such zone was found: ${name}`);
    return zone;
  }

  /** The closest enclosing zone of `domain` (or `zoneName` when given and it encloses it). */
  zoneFor(domain: string, zoneName?: string): SimZone {
    if (zoneName !== undefined) {
      const zone = this.zone(zoneName);
      if (domain !== zone.name && !domain.endsWith(`.${zone.name}`) && zone.name !== '') {
        throw new DnsSimError(`The domain name '${domain}' does not belong to the zone: ${zone.name}`);
      }
      return zone;
    }
    const labels = domain.split('.');
    for (let i = 0; i <= labels.length; i++) {
      const candidate = labels.slice(i).join('.');
      const zone = this.zones.get(candidate);
      if (zone) return zone;
    }
    throw new DnsSimError(`No authoritative zone was found for the domain: ${domain}`);
  }

  /** Like `zoneFor`, but refuses internal zones (edits). */
  editableZoneFor(domain: string, zoneName?: string): SimZone {
    const zone = this.zoneFor(domain, zoneName);
    if (zone.internal) throw new DnsSimError('Access was denied to manage internal DNS Server zone.');
    return zone;
  }

  /** Records of a zone (only its own names, not those of delegated child zones). */
  zoneRecords(zone: SimZone): SimRecord[] {
    return this.records
      .filter((r) => this.zoneFor(r.name).name === zone.name)
      .sort((a, b) => depth(a.name) - depth(b.name) || a.name.localeCompare(b.name) || TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));
  }

  /** Records at one owner name, optionally of one type. */
  at(name: string, type?: RecordType): SimRecord[] {
    return this.records.filter((r) => r.name === name && (!type || r.type === type));
  }

  /** Adds a record and bumps the zone serial. */
  add(zone: SimZone, record: Omit<SimRecord, 'lastModified'>): SimRecord {
    const full: SimRecord = { ...record, lastModified: this.now().toISOString() };
    this.records.push(full);
    this.touch(zone);
    return full;
  }

  /** Removes records and bumps the zone serial. */
  remove(zone: SimZone, records: readonly SimRecord[]): void {
    for (const r of records) {
      const i = this.records.indexOf(r);
      if (i >= 0) this.records.splice(i, 1);
    }
    this.touch(zone);
  }

  /** Deletes a zone and its records. */
  deleteZone(name: string): void {
    const zone = this.zone(name);
    const own = this.zoneRecords(zone);
    this.zones.delete(name);
    for (const r of own) this.records.splice(this.records.indexOf(r), 1);
  }

  /** Marks a zone changed: new serial (also in its SOA record) and modification time. */
  touch(zone: SimZone): void {
    zone.soaSerial++;
    zone.lastModified = this.now().toISOString();
    const soa = this.records.find((r) => r.name === zone.name && r.type === 'SOA');
    if (soa) soa.rData.serial = zone.soaSerial;
  }
}

function depth(name: string): number {
  return name === '' ? 0 : name.split('.').length;
}

/** A zone object as `WriteZoneInfoAsJson` writes it. */
export function zoneJson(zone: SimZone): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: zone.name, type: zone.type, internal: zone.internal, dnssecStatus: 'Unsigned',
    hasDnssecPrivateKeys: false, soaSerial: zone.soaSerial, lastModified: zone.lastModified, disabled: zone.disabled,
  };
  if (zone.type === 'Primary' && !zone.internal) {
    out.notifyFailed = false;
    out.notifyFailedFor = [];
    out.catalog = null;
  }
  return out;
}

/** A record object as `WriteRecordAsJson` writes it. */
export function recordJson(record: SimRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    disabled: record.disabled, name: record.name, type: record.type, ttl: record.ttl, ttlString: ttlString(record.ttl),
    rData: record.type === 'SOA' ? soaRData(record.rData) : { ...record.rData },
    dnssecStatus: 'Unknown', lastUsedOn: '0001-01-01T00:00:00', lastModified: record.lastModified,
    expiryTtl: record.expiryTtl, expiryTtlString: ttlString(record.expiryTtl),
  };
  if (record.comments) out.comments = record.comments;
  return out;
}

function soaRData(d: RData): RData {
  return {
    ...d,
    refreshString: ttlString(Number(d.refresh)), retryString: ttlString(Number(d.retry)),
    expireString: ttlString(Number(d.expire)), minimumString: ttlString(Number(d.minimum)),
  };
}
