/** @module services/dns — Technitium DNS: zones, records, stats, cache. */
export { dnsService } from './service.js';
export { DnsClient, type DnsApiMode, type DnsCredentials } from './client.js';
export { dnsClientFactory, dnsConfigSchema, type DnsConfig } from './factory.js';
