/**
 * @module services/dns/names
 * Record names as users type them and as Technitium wants them. A name without a dot
 * is relative to the zone (`myhost` → `myhost.home.lan`), `@` is the zone apex, and a
 * name with a dot is fully qualified (a trailing dot is allowed). Names are checked
 * before anything is sent: RFC 1123 labels for host records, a leading `*` label for
 * wildcards, and `_` labels (`_acme-challenge`) where service/TXT names need them.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const SERVICE_LABEL = /^_?(?!-)[A-Za-z0-9-]{1,62}(?<!-)$/;

/** Whether `name` is a valid record name: `@`, or labels (RFC 1123, or `_label` when `underscore`), `*` first allowed. */
export function isRecordName(name: string, underscore: boolean): boolean {
  if (name === '@') return true;
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (n.length === 0 || n.length > 253) return false;
  return n.split('.').every((label, i) => (i === 0 && label === '*') || (underscore ? SERVICE_LABEL : HOST_LABEL).test(label));
}

/** Whether `name` is a valid zone name (RFC 1123 labels; reverse zones are digit labels). */
export function isZoneName(name: string): boolean {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.length > 0 && n.length <= 253 && n.split('.').every((l) => HOST_LABEL.test(l));
}

/** A host record name (A, AAAA, CNAME owner): RFC 1123 labels, `*` wildcard, `@`. */
export const hostNameSchema = z
  .string()
  .refine((v) => isRecordName(v, false), { message: 'must be a host name: letters, digits and inner hyphens per label (RFC 1123), e.g. myhost or myhost.home.lan' })
  .describe('record name, relative to the zone unless it contains a dot');

/** Any record name, `_service` labels allowed (TXT, SRV, delete). */
export const anyNameSchema = z
  .string()
  .refine((v) => isRecordName(v, true), { message: 'must be a DNS name: letters, digits, inner hyphens, a leading _ allowed per label' })
  .describe('record name, relative to the zone unless it contains a dot');

/** A zone name. */
export const zoneNameSchema = z
  .string()
  .refine(isZoneName, { message: 'must be a zone name like home.lan' })
  .describe('zone (default: services.dns.zone in config)');

/** A fully qualified name, lower case, no trailing dot. */
function clean(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/**
 * The zone to use: the one given, else the configured default; a usage error when neither
 * is set, naming the lab's key (`section`: `services.dns`, or `contexts.office.services.dns`).
 */
export function pickZone(given: string | undefined, configured: string | undefined, section = 'services.dns'): string {
  const zone = given ?? configured;
  if (!zone) throw new UsageError(`no zone given and ${section}.zone is not set`, `pass --zone home.lan, or add zone: home.lan under ${section} in config.yaml`);
  return clean(zone);
}

/** Resolves an owner name to its FQDN: `@` → zone, no dot → relative to the zone, else as given (`section` as for `pickZone`). */
export function qualify(name: string, zone: string | undefined, section = 'services.dns'): string {
  if (name === '@' || (!name.includes('.') && !name.endsWith('.'))) {
    if (!zone) throw new UsageError(`${name} is relative but no zone is known`, `pass --zone, set ${section}.zone, or give a fully qualified name`);
    return name === '@' ? clean(zone) : `${clean(name)}.${clean(zone)}`;
  }
  return clean(name);
}

/** Whether `fqdn` is `zone` or below it. */
export function inZone(fqdn: string, zone: string): boolean {
  return fqdn === zone || fqdn.endsWith(`.${zone}`);
}

/** A name shown relative to its zone: `@` for the apex, the leading labels below it. */
export function relativeName(fqdn: string, zone: string): string {
  if (fqdn === zone) return '@';
  return inZone(fqdn, zone) ? fqdn.slice(0, -(zone.length + 1)) : `${fqdn}.`;
}
