/**
 * @module services/dns/inputs
 * Input schemas the dns operations share, and the zone/name resolution every write
 * does before sending anything.
 */
import { z } from 'zod';
import { freeText } from '../../core/free-text.js';
import type { DnsConfig } from './factory.js';
import { inZone, qualify } from './names.js';

/** A TTL in seconds. */
export const ttlSchema = z
  .number({ error: 'ttl must be a whole number of seconds' })
  .int('ttl must be a whole number of seconds')
  .min(0, 'ttl must be 0 or more seconds')
  .max(2_147_483_647, 'ttl is too large')
  .describe('time to live in seconds (default: the server default, 3600 out of the box)');

/** A record comment. */
export const commentSchema = freeText(z.string().max(2000)).describe('comment stored with the record');

/** Where a write goes: the owner FQDN, and the `zone` parameter to send (undefined: the server picks the closest). */
export interface Target {
  fqdn: string;
  zone: string | undefined;
  /** The zone relative names were resolved against. */
  baseZone: string | undefined;
}

/** Resolves a typed name against `--zone` or the configured zone. */
export function target(name: string, zoneInput: string | undefined, config: DnsConfig): Target {
  const baseZone = (zoneInput ?? config.zone)?.replace(/\.$/, '').toLowerCase();
  const fqdn = qualify(name, baseZone, config.section);
  const zone = zoneInput !== undefined ? baseZone : baseZone && inZone(fqdn, baseZone) ? baseZone : undefined;
  return { fqdn, zone, baseZone };
}
