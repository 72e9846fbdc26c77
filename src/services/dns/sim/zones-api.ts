/**
 * @module services/dns/sim/zones-api
 * `/api/zones/{list,create,delete,enable,disable}`, plus the dashboard, cache and
 * settings calls the CLI uses. Each returns the object that goes under `response`.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { DnsSimError, normaliseDomain, type Params } from './params.js';
import { reverseName } from './rdata.js';
import { zoneJson, type DnsStore } from './store.js';

/** `/api/zones/list`: every zone, or one page when `pageNumber` is given. */
export function listZones(p: Params, store: DnsStore): unknown {
  const zones = [...store.zones.values()].sort((a, b) => a.name.localeCompare(b.name)).map(zoneJson);
  const page = p.get('pageNumber');
  if (page === undefined) return { zones };
  const perPage = Math.max(1, p.int('zonesPerPage', 10));
  const totalPages = Math.max(1, Math.ceil(zones.length / perPage));
  const pageNumber = Math.min(Math.max(1, p.int('pageNumber')), totalPages);
  return { pageNumber, totalPages, totalZones: zones.length, zones: zones.slice((pageNumber - 1) * perPage, pageNumber * perPage) };
}

/** The zone name `/api/zones/create` derives from a domain, an IP or a CIDR. */
export function zoneNameFrom(value: string): string {
  const cidr = /^([0-9.]+)\/(\d+)$/.exec(value.trim());
  if (cidr && isIPv4(cidr[1] as string)) {
    const octets = Math.floor(Number(cidr[2]) / 8);
    if (octets < 1 || octets > 4) throw new DnsSimError(`Invalid network address: ${value}`);
    return `${(cidr[1] as string).split('.').slice(0, octets).reverse().join('.')}.in-addr.arpa`;
  }
  if (isIPv4(value.trim()) || isIPv6(value.trim())) return reverseName(value.trim());
  return normaliseDomain(value);
}

/** `/api/zones/create`: primary and forwarder zones. */
export function createZone(p: Params, store: DnsStore): unknown {
  const name = zoneNameFrom(p.need('zone'));
  const type = (p.get('type') ?? 'Primary').toLowerCase();
  if (type === 'primary') store.createPrimaryZone(name);
  else if (type === 'forwarder') store.createZone(name, 'Forwarder');
  else throw new DnsSimError(`Zone type '${p.get('type')}' is not supported by this server.`);
  return { domain: name };
}

function editableZone(p: Params, store: DnsStore): string {
  const name = normaliseDomain(p.need('zone'));
  if (store.zone(name).internal) throw new DnsSimError('Access was denied to manage internal DNS Server zone.');
  return name;
}

/** `/api/zones/delete`. */
export function deleteZone(p: Params, store: DnsStore): unknown {
  store.deleteZone(editableZone(p, store));
  return {};
}

/** `/api/zones/enable` and `/api/zones/disable`. */
export function setZoneDisabled(p: Params, store: DnsStore, disabled: boolean): unknown {
  store.zone(editableZone(p, store)).disabled = disabled;
  return {};
}
