/** @module services/dns/sim — the Technitium DNS simulator. */
export { startDnsSim, type DnsSim, type DnsSimOptions } from './server.js';
export type { DnsStore, SimRecord, SimZone } from './store.js';
