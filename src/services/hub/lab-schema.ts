/**
 * @module services/hub/lab-schema
 * The schema of lab.yaml for a zone: `apps:` (the fields of `homelab expose`, the two-word
 * ones in snake_case) and `records:` (name, type, value, ttl), with the rules across them:
 * an app name is one DNS label, a record at an app's name or beside a CNAME is refused, the
 * same record twice is refused (an IPv6 address compared in its canonical form, whatever its spelling), and so is a CNAME to its own name (an app's `dns:` too). Names are compared fully qualified (`qualifyName`).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { canonicalAddress } from '../../core/ip-address.js';
import { isHostname } from '../../core/validate.js';
import { appSpecFields, MONITOR_URL_WITHOUT_MONITOR } from './expose-spec.js';
import { isHostName } from './expose-target.js';

/** The DNS record types lab.yaml can declare. */
export const LAB_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;

/** A record type lab.yaml can declare. */
export type LabRecordType = (typeof LAB_RECORD_TYPES)[number];

/** `name` relative to `zone` made fully qualified (`nas` → `nas.home.lan`, `@` → the zone); names with a dot stay. */
export function qualifyName(name: string, zone: string): string {
  const n = name.replace(/\.$/, '').toLowerCase();
  return n === '@' ? zone : n.includes('.') ? n : `${n}.${zone}`;
}

/** A record name: labels of letters, digits and inner hyphens, a leading `_` allowed per label (`_dmarc`, `_acme-challenge.www`). */
function isRecordName(name: string): boolean {
  const n = name.replace(/\.$/, '');
  return n.length > 0 && n.length <= 253 && n.split('.').every((l) => /^_?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l));
}

/** An address as lab.yaml's plan writes it: canonical, an IPv4 tail written dotted kept dotted (`::FFFF:1.2.3.4` → `::ffff:1.2.3.4`). */
export function writtenAddress(value: string): string {
  const canonical = canonicalAddress(value);
  const tail = isIPv6(value) && value.includes('.') ? /^(.*:)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical) : null;
  if (!tail) return canonical;
  const [hi, lo] = [parseInt(tail[2] ?? '0', 16), parseInt(tail[3] ?? '0', 16)];
  return `${tail[1] ?? ''}${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

const APP = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The message for a CNAME that would point `fqdn` at itself. */
export function selfCname(fqdn: string): string {
  return `a CNAME cannot point to its own name: ${fqdn} → ${fqdn} would be a loop`;
}

/** The message when SSL is to be forced with no certificate to serve it. */
const FORCE_SSL_WITHOUT_CERT = 'SSL cannot be forced without a certificate: force_ssl: true and cert: none cannot go together';

/** An app of lab.yaml: the fields of `homelab expose`, the two-word ones in the config's snake_case. */
const appSchema = z.strictObject({
  target: appSpecFields.target,
  dns: appSpecFields.dns,
  scheme: appSpecFields.scheme,
  websockets: appSpecFields.websockets,
  cert: appSpecFields.cert,
  monitor: appSpecFields.monitor,
  block_exploits: appSpecFields.blockExploits,
  // Optional here (default true below): `force_ssl: true` written with `cert: none` is refused, not dropped.
  force_ssl: z.boolean().optional().describe(appSpecFields.forceSsl.description ?? ''),
  monitor_url: appSpecFields.monitorUrl,
}).superRefine((app, issue) => {
  if (!app.monitor && app.monitor_url !== undefined) issue.addIssue({ code: 'custom', path: ['monitor_url'], message: MONITOR_URL_WITHOUT_MONITOR });
  if (app.cert === 'none' && app.force_ssl === true) issue.addIssue({ code: 'custom', path: ['force_ssl'], message: FORCE_SSL_WITHOUT_CERT });
}).transform(({ block_exploits: blockExploits, force_ssl: forceSsl, monitor_url: monitorUrl, ...rest }) => ({
  ...rest, blockExploits, forceSsl: forceSsl ?? true, ...(monitorUrl !== undefined ? { monitorUrl } : {}),
}));

const recordSchema = z.strictObject({
  name: z.string({ error: 'must be a name: a label (nas), @ for the zone itself, or a name in the zone' }).trim().toLowerCase()
    .refine((v) => v === '@' || isRecordName(v), 'must be a name: a label (nas), @ for the zone itself, or a name in the zone'),
  type: z.string({ error: 'must be A, AAAA, CNAME or TXT' }).trim().toUpperCase()
    .pipe(z.enum(LAB_RECORD_TYPES, { error: 'must be A, AAAA, CNAME or TXT' })),
  value: z.string({ error: 'must be a string (quote it)' }).min(1, 'must not be empty').max(4000),
  ttl: z.number({ error: 'must be a whole number of seconds' }).min(0, 'must be 0 or more seconds').max(2_147_483_647, 'must be at most 2147483647 seconds')
    .int('must be a whole number of seconds').optional(),
}).superRefine((r, issue) => {
  const bad = (message: string): void => issue.addIssue({ code: 'custom', path: ['value'], message });
  if (r.type === 'A' && !isIPv4(r.value)) bad('an A record needs an IPv4 address');
  // A zone id (`fe80::1%eth0`) names an interface of one machine: no DNS record holds one.
  if (r.type === 'AAAA' && (!isIPv6(r.value) || r.value.includes('%'))) bad('an AAAA record needs an IPv6 address');
  if (r.type === 'CNAME' && !isHostName(r.value)) bad('a CNAME needs a host name (relative to the zone unless it has a dot)');
  if (r.type !== 'TXT' && r.name !== '@' && !isHostname(r.name)) issue.addIssue({ code: 'custom', path: ['name'], message: `${r.type} records need a host name: letters, digits and inner hyphens (a leading _ is for TXT records)` });
  if (r.type === 'CNAME' && r.name === '@') issue.addIssue({ code: 'custom', path: ['name'], message: 'the zone itself (@) cannot be a CNAME' });
});

/**
 * The schema of lab.yaml in `zone`. Record names are compared fully qualified (`pad`,
 * `pad.home.lan` and `pad.home.lan.` are one name), so a record written either way at an
 * app's name, or beside a CNAME, is refused.
 */
export function labSchemaFor(zone: string) {
  return z.strictObject({
    apps: z.record(z.string(), appSchema, { error: 'must be a map of app name → its fields' }).nullish(),
    records: z.array(recordSchema, { error: 'must be a list of records (name, type, value, ttl)' }).nullish(),
  }, { error: 'must be a map with apps: and records:' }).superRefine((lab, issue) => {
    for (const [name, app] of Object.entries(lab.apps ?? {})) {
      if (!APP.test(name)) issue.addIssue({ code: 'custom', path: ['apps', name], message: 'an app name is one DNS label in lower case: letters, digits and inner hyphens (e.g. wiki)' });
      else if (/^\d+$/.test(name)) issue.addIssue({ code: 'custom', path: ['apps', name], message: 'an app name must not be only digits: its Kuma monitor is named after it, and a number is read as a monitor id (e.g. app2)' });
      else if (app.dns === `${name}.${zone}`) issue.addIssue({ code: 'custom', path: ['apps', name, 'dns'], message: selfCname(app.dns) });
    }
    const appNames = new Map(Object.keys(lab.apps ?? {}).map((app) => [`${app}.${zone}`, app]));
    const seen = new Map<string, number>();
    (lab.records ?? []).forEach((r, i) => {
      const fqdn = qualifyName(r.name, zone);
      const app = appNames.get(fqdn);
      if (app !== undefined) issue.addIssue({ code: 'custom', path: ['records', i, 'name'], message: `${r.name} is ${app === r.name ? 'an app' : `the name of app ${app}`} in apps: the app owns the records at its name` });
      const key = `${fqdn} ${r.type} ${r.type === 'CNAME' ? qualifyName(r.value, zone) : r.type === 'A' || r.type === 'AAAA' ? canonicalAddress(r.value) : r.value}`;
      if (r.type === 'CNAME' && qualifyName(r.value, zone) === fqdn) issue.addIssue({ code: 'custom', path: ['records', i, 'value'], message: selfCname(fqdn) });
      if (seen.has(key)) issue.addIssue({ code: 'custom', path: ['records', i], message: `the same record as records[${seen.get(key)}]` });
      seen.set(key, i);
    });
    const byName = new Map<string, { name: string; type: string; i: number }[]>();
    (lab.records ?? []).forEach((r, i) => {
      const fqdn = qualifyName(r.name, zone);
      byName.set(fqdn, [...(byName.get(fqdn) ?? []), { name: r.name, type: r.type, i }]);
    });
    for (const list of byName.values()) {
      const cname = list.find((r) => r.type === 'CNAME');
      const other = cname && list.find((r) => r !== cname);
      if (cname && other) issue.addIssue({ code: 'custom', path: ['records', other.i, 'name'], message: `${cname.name} has a CNAME (records[${cname.i}]): a name with a CNAME can have no other record` });
    }
  });
}
