/**
 * @module services/dns/sim/records-api
 * `/api/zones/records/{add,update,delete,get}` as the sheet describes them: `domain` is
 * the record's FQDN, data parameters are type-specific, and an update resets what it
 * is not sent (TTL to the server default, `disable` to false, comments cleared).
 */
import { DnsSimError, normaliseDomain, parseTtl, type Params } from './params.js';
import { addData, currentData, matches, parseType, reverseName, reverseZoneFor, updatedData, type RecordType } from './rdata.js';
import { recordJson, zoneJson, type DnsStore, type SimRecord, type SimZone } from './store.js';

/** What a records call needs from the server. */
export interface RecordsCall {
  p: Params;
  store: DnsStore;
  defaultTtl: number;
  callerIp: string;
}

function common(call: RecordsCall): { domain: string; zoneName?: string; type: RecordType } {
  const domain = normaliseDomain(call.p.need('domain'));
  const z = call.p.get('zone');
  return { domain, zoneName: z === undefined ? undefined : normaliseDomain(z), type: parseType(call.p.need('type')) };
}

function ttl(call: RecordsCall): number {
  const v = call.p.get('ttl');
  return v === undefined ? call.defaultTtl : parseTtl(v);
}

function expiry(call: RecordsCall): number {
  const v = call.p.get('expiryTtl');
  return v === undefined ? 0 : parseTtl(v);
}

/** `/api/zones/records/add`. */
export function addRecord(call: RecordsCall): unknown {
  const { domain, zoneName, type } = common(call);
  const { p, store } = call;
  const zone = store.editableZoneFor(domain, zoneName);
  const rData = addData(type, p, call.callerIp);
  const overwrite = p.bool('overwrite');
  const existing = store.at(domain, type);
  if (type === 'CNAME') {
    if (domain === zone.name) throw new DnsSimError('Cannot add CNAME record at zone apex.');
    if (existing.length && !overwrite) throw new DnsSimError(`Cannot add record: a CNAME record already exists for '${domain}'. Use overwrite option to replace it.`);
  }
  // The real server writes the PTR before the record, so a missing reverse zone changes nothing.
  if ((type === 'A' || type === 'AAAA') && p.bool('ptr')) setPtr(call, String(rData.ipAddress), domain, ttl(call));
  if (overwrite) store.remove(zone, existing);
  const same = overwrite ? undefined : existing.find((r) => matches(r.rData, rData));
  let added: SimRecord;
  if (same) {
    same.ttl = ttl(call);
    added = same;
  } else {
    added = store.add(zone, { name: domain, type, ttl: ttl(call), disabled: false, comments: p.get('comments'), rData, expiryTtl: expiry(call) });
  }
  return { zone: zoneJson(zone), addedRecord: recordJson(added) };
}

/** `/api/zones/records/update`. */
export function updateRecord(call: RecordsCall): unknown {
  const { domain, zoneName, type } = common(call);
  const { p, store } = call;
  const zone = store.editableZoneFor(domain, zoneName);
  const wanted = currentData(type, p, call.callerIp);
  const record = store.at(domain, type).find((r) => matches(r.rData, wanted));
  if (!record) throw new DnsSimError('Cannot update record: no such record exists.');
  const newDomainParam = p.get('newDomain');
  const newDomain = newDomainParam === undefined ? domain : normaliseDomain(newDomainParam);
  if (newDomain !== domain) store.zoneFor(newDomain, zone.name);
  const rData = updatedData(type, p, record.rData, call.callerIp);
  const clash = store.at(newDomain, type).find((r) => r !== record && matches(r.rData, rData));
  if (clash) throw new DnsSimError('Cannot update record: the record already exists.');
  const oldIp = type === 'A' || type === 'AAAA' ? String(record.rData.ipAddress) : undefined;
  // As on the real server: every PTR at the old address goes and the new one (to `domain`) is written before the record changes.
  if (oldIp !== undefined && p.bool('ptr')) {
    const reverse = ptrZone(call, String(rData.ipAddress));
    removePtr(store, oldIp);
    setPtr(call, String(rData.ipAddress), domain, ttl(call), reverse);
  }
  Object.assign(record, {
    name: newDomain, rData, ttl: ttl(call), disabled: p.bool('disable', false),
    comments: p.get('comments'), expiryTtl: expiry(call), lastModified: store.now().toISOString(),
  });
  store.touch(zone);
  return { zone: zoneJson(zone), updatedRecord: recordJson(record) };
}

/** `/api/zones/records/delete`. */
export function deleteRecord(call: RecordsCall): unknown {
  const { domain, zoneName, type } = common(call);
  const { p, store } = call;
  const zone = store.editableZoneFor(domain, zoneName);
  const wanted = currentData(type, p, call.callerIp);
  const gone = store.at(domain, type).filter((r) => matches(r.rData, wanted));
  if (gone.length === 0) throw new DnsSimError('Cannot delete record: no such record exists.');
  if (type === 'SOA') throw new DnsSimError('Cannot delete SOA record.');
  store.remove(zone, type === 'CNAME' ? gone : gone.slice(0, 1));
  if (type === 'A' || type === 'AAAA') removePtr(store, String(gone[0]?.rData.ipAddress), domain);
  return {};
}

/** `/api/zones/records/get`. */
export function getRecords(call: RecordsCall): unknown {
  const domain = normaliseDomain(call.p.need('domain'));
  const z = call.p.get('zone');
  const zone = call.store.zoneFor(domain, z === undefined ? undefined : normaliseDomain(z));
  const records = call.p.bool('listZone') ? call.store.zoneRecords(zone) : call.store.at(domain);
  return { zone: zoneJson(zone), records: records.map(recordJson) };
}

function localReverseZone(store: DnsStore, name: string): SimZone | undefined {
  try {
    const zone = store.zoneFor(name);
    return zone.type === 'Primary' && !zone.internal ? zone : undefined;
  } catch {
    return undefined;
  }
}

/** The reverse zone a PTR for `ip` goes into: found, or created with `createPtrZone`; refused otherwise (before anything changes). */
function ptrZone(call: RecordsCall, ip: string): SimZone {
  const { store, p } = call;
  const name = reverseName(ip);
  const zone = localReverseZone(store, name);
  if (zone) return zone;
  if (!p.bool('createPtrZone')) throw new DnsSimError(`No reverse zone available to add PTR record: ${name}`);
  return store.createPrimaryZone(reverseZoneFor(ip));
}

function setPtr(call: RecordsCall, ip: string, target: string, ttlSeconds: number, zone = ptrZone(call, ip)): void {
  const { store } = call;
  const name = reverseName(ip);
  store.remove(zone, store.at(name, 'PTR'));
  store.add(zone, { name, type: 'PTR', ttl: ttlSeconds, disabled: false, rData: { ptrName: target }, expiryTtl: 0 });
}

/** Removes the PTR records at an address's reverse name: those pointing at `target`, or all of them. */
function removePtr(store: DnsStore, ip: string, target?: string): void {
  const name = reverseName(ip);
  const zone = localReverseZone(store, name);
  if (!zone) return;
  const ptrs = store.at(name, 'PTR').filter((r) => target === undefined || r.rData.ptrName === target);
  if (ptrs.length) store.remove(zone, ptrs);
}
