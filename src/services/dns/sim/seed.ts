/**
 * @module services/dns/sim/seed
 * The lab's DNS as a Technitium server would hold it, drawn from the inventory: zone
 * `home.lan` with an A record per node and guest, CNAMEs for web apps served through
 * the proxy under another name, a few TXT and MX records; the reverse zone
 * `0.5.10.in-addr.arpa` with a PTR per address; and the built-in internal zones. The
 * inventory's `trouble` leaves one guest (and a clone) without records, keeps a destroyed
 * guest's records, gives one address a second name, and names the hand-made app.
 */
import { guestById, guests, lab, nodes, type LabGuest } from '../../../lab/inventory.js';
import { trouble } from '../../../lab/trouble.js';
import type { RData, RecordType } from './rdata.js';
import { reverseName } from './rdata.js';
import type { DnsStore } from './store.js';

/** The name server of the lab (the DNS guest). */
export const LAB_NAME_SERVER = `dns.${lab.zone}`;

/** Seeds the store with the lab's zones and records (the store's server domain should be `LAB_NAME_SERVER`); `extra`: scale guests' A records. */
export function seedDns(store: DnsStore, defaultTtl: number, extra: readonly LabGuest[] = []): void {
  for (const name of ['localhost', '0.in-addr.arpa', '127.in-addr.arpa', '255.in-addr.arpa']) {
    const zone = store.createZone(name, 'Primary', true);
    soa(store, name, 'localhost');
    store.add(zone, rec(name, 'NS', 3600, { nameServer: 'localhost' }));
    if (name === 'localhost') store.add(zone, rec(name, 'A', 3600, { ipAddress: '127.0.0.1' }));
    zone.soaSerial = 1;
  }
  const zone = store.createPrimaryZone(lab.zone);
  const reverse = store.createPrimaryZone(lab.reverseZone);
  const add = (name: string, type: RecordType, data: RData, extra: { ttl?: number; comments?: string; disabled?: boolean } = {}): void => {
    const r = rec(name, type, extra.ttl ?? defaultTtl, data);
    store.add(name.endsWith('.in-addr.arpa') ? reverse : zone, { ...r, comments: extra.comments, disabled: extra.disabled ?? false });
  };
  for (const node of nodes) {
    add(`${node.name}.${lab.zone}`, 'A', { ipAddress: node.ip }, { comments: 'Proxmox node' });
    add(reverseName(node.ip), 'PTR', { ptrName: `${node.name}.${lab.zone}` });
  }
  add(`gateway.${lab.zone}`, 'A', { ipAddress: lab.gateway }, { comments: 'router' });
  add(reverseName(lab.gateway), 'PTR', { ptrName: `gateway.${lab.zone}` });
  for (const g of guests) {
    // The deliberate trouble: this guest's records were deleted by mistake; the clone never had any.
    if (!g.ip || g.vmid === trouble.guestWithoutDns || g.vmid === trouble.sameAddress.vmid) continue;
    const name = `${g.name}.${lab.zone}`;
    // A short TTL on the management host (it moves between nodes); comments from the guest description.
    add(name, 'A', { ipAddress: g.ip }, { comments: `${g.vmid}: ${g.description}`, ttl: g.name === 'mgmt' ? 300 : undefined });
    add(reverseName(g.ip), 'PTR', { ptrName: name });
  }
  const proxy = guests.find((g) => g.name === 'proxy');
  for (const g of guests) {
    if (g.app && g.app.host !== g.name && proxy) {
      add(`${g.app.host}.${lab.zone}`, 'CNAME', { cname: `${proxy.name}.${lab.zone}` }, { comments: `${g.description} via the proxy` });
    }
  }
  // Left behind by the guest destroyed last month (stale), and its app's name through the proxy.
  const gone = trouble.destroyedGuest;
  add(`${gone.name}.${lab.zone}`, 'A', { ipAddress: gone.ip }, { comments: `${gone.vmid}: BookStack wiki` });
  add(reverseName(gone.ip), 'PTR', { ptrName: `${gone.name}.${lab.zone}` });
  if (proxy) add(`${gone.app}.${lab.zone}`, 'CNAME', { cname: `${proxy.name}.${lab.zone}` }, { comments: 'BookStack via the proxy' });
  // The app set up by hand on dockge, through the proxy.
  if (proxy) add(`${trouble.handMadeApp.host}.${lab.zone}`, 'CNAME', { cname: `${proxy.name}.${lab.zone}` }, { comments: 'Paperless-ngx on dockge, via the proxy' });
  // A second A record on one guest's address, where a CNAME belongs.
  add(`${trouble.secondName.name}.${lab.zone}`, 'A', { ipAddress: guestById(trouble.secondName.of).ip }, { comments: 'Immich on dockge' });
  for (const g of extra) add(`${g.name}.${lab.zone}`, 'A', { ipAddress: g.ip });
  // An old alias kept but switched off: a disabled record the listing must show as such.
  add(`nas.${lab.zone}`, 'A', { ipAddress: '10.5.0.30' }, { disabled: true, comments: 'old NAS, decommissioned' });
  add(lab.zone, 'TXT', { text: 'v=spf1 -all', splitText: false });
  add(`_homelab.${lab.zone}`, 'TXT', { text: 'managed-by=homelab', splitText: false }, { ttl: 86400 });
  add(lab.zone, 'MX', { preference: 10, exchange: `mgmt.${lab.zone}` });
}

function rec(name: string, type: RecordType, ttl: number, rData: RData): { name: string; type: RecordType; ttl: number; disabled: boolean; rData: RData; expiryTtl: number } {
  return { name, type, ttl, disabled: false, rData, expiryTtl: 0 };
}

function soa(store: DnsStore, zoneName: string, primary: string): void {
  const zone = store.zone(zoneName);
  store.add(zone, rec(zoneName, 'SOA', 900, {
    primaryNameServer: primary, responsiblePerson: `hostadmin@${zoneName}`, serial: zone.soaSerial,
    refresh: 900, retry: 300, expire: 604800, minimum: 900, useSerialDateScheme: false,
  }));
}
