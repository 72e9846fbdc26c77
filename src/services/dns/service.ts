/**
 * @module services/dns/service
 * Technitium DNS: zones, records, stats, cache.
 */
import type { ServiceModule } from '../../core/operation.js';
import { dnsAdd, dnsAddCname, dnsAddTxt } from './operations-add.js';
import { dnsDelete, dnsFlushCache, dnsUpdate } from './operations-change.js';
import { dnsRecords, dnsStats, dnsZones } from './operations-read.js';

/** The dns service module. */
export const dnsService: ServiceModule = {
  name: 'dns',
  completeFields: { zone: ['dns.zone'] },
  summary: 'Technitium DNS: zones, records, stats, cache',
  operations: [dnsZones, dnsRecords, dnsAdd, dnsAddCname, dnsAddTxt, dnsUpdate, dnsDelete, dnsStats, dnsFlushCache],
};
