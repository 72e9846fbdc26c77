/**
 * @module services/hub/lab-export
 * The live lab as a starting lab.yaml (pure): what homelab manages (by marker) as `apps:`
 * and `records:`, written so that `homelab plan` on it shows no changes; then, commented out,
 * what homelab could adopt: proxy hosts on the zone and records of the zone that carry no
 * marker. An app homelab marks but that has no proxy host (so no target) is listed in a
 * comment, not as an entry: a plan on the file deletes what is left of it.
 */
import { isIPv6 } from 'node:net';
import { stringify } from 'yaml';
import type { LiveHost, LiveRecord } from './expose-live.js';
import type { MarkedLive } from './desired-apps.js';
import { isLabRecord, ttlOf } from './desired-records.js';
import { LAB_RECORD_TYPES } from './lab-file.js';

/** One app as lab.yaml writes it. */
interface AppEntry {
  target: string;
  dns?: 'cname' | 'a';
  scheme: string;
  websockets: boolean;
  cert: 'auto' | 'none' | number;
  monitor: boolean;
}

/** One record as lab.yaml writes it. */
interface RecordEntry {
  name: string;
  type: string;
  value: string;
  ttl?: number;
}

/** What `exportLab` wrote. */
export interface LabExport {
  yaml: string;
  /** The apps and records homelab manages (the live entries of the file). */
  apps: string[];
  records: number;
  /** Objects without a marker, written commented out. */
  adoptable: { apps: string[]; records: number };
  /** Apps homelab marks that cannot be written (no proxy host: no target). */
  incomplete: string[];
}

const bare = (v: string): string => v.replace(/\.$/, '').toLowerCase();
const APP = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function relative(fqdn: string, zone: string): string {
  const n = bare(fqdn);
  return n === zone ? '@' : n.endsWith(`.${zone}`) ? n.slice(0, -zone.length - 1) : n;
}

function appEntry(host: LiveHost, record: LiveRecord | undefined, cert: AppEntry['cert'], monitor: boolean): AppEntry {
  return {
    target: `${isIPv6(host.forwardHost) ? `[${host.forwardHost}]` : host.forwardHost}:${host.forwardPort}`,
    ...(record ? { dns: record.type === 'CNAME' ? 'cname' as const : 'a' as const } : {}),
    scheme: host.forwardScheme,
    websockets: host.websockets,
    cert,
    monitor,
  };
}

function recordEntry(r: LiveRecord, zone: string): RecordEntry {
  const ttl = ttlOf(r);
  return { name: relative(r.name, zone), type: r.type, value: r.type === 'CNAME' ? bare(r.value) : r.value, ...(ttl !== null ? { ttl } : {}) };
}

const commented = (text: string): string => text.trimEnd().split('\n').map((l) => `# ${l}`.trimEnd()).join('\n');

/**
 * Writes the lab file of `live`. `covering` maps a managed app to the id of the certificate
 * that covers its name now (`cert: auto` is written when its proxy host uses that one).
 */
export function exportLab(live: MarkedLive, covering: ReadonlyMap<string, number | null>): LabExport {
  const { zone } = live;
  const fqdnOf = (app: string): string => `${app}.${zone}`;
  const marked = [...new Set([...live.records, ...live.hosts, ...live.monitors].map((o) => o.app).filter((a): a is string => a !== null))].sort();
  const apps: Record<string, AppEntry> = {};
  const incomplete: string[] = [];
  for (const app of marked) {
    const host = live.hosts.find((h) => h.app === app && h.domains.some((d) => bare(d) === fqdnOf(app))) ?? live.hosts.find((h) => h.app === app);
    if (!host) { incomplete.push(app); continue; }
    const record = live.records.find((r) => r.app === app && bare(r.name) === fqdnOf(app) && ['A', 'AAAA', 'CNAME'].includes(r.type));
    const cert = host.certificate === null ? 'none' : covering.get(app) === host.certificate.id ? 'auto' : host.certificate.id;
    apps[app] = appEntry(host, record, cert, live.monitors.some((m) => m.app === app && m.type === 'http'));
  }
  const labRecords = live.records.filter((r) => r.app === null && isLabRecord(r.comments))
    .map((r) => recordEntry(r, zone)).sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));

  // Not homelab's: proxy hosts on the zone (as apps) and the zone's records (as records).
  const adoptApps: Record<string, AppEntry> = {};
  const notes: string[] = [];
  for (const host of live.hosts.filter((h) => h.app === null)) {
    const fqdn = host.domains.map(bare).find((d) => d.endsWith(`.${zone}`) && APP.test(d.slice(0, -zone.length - 1)));
    const name = fqdn?.slice(0, -zone.length - 1);
    if (!fqdn || !name || name in apps || name in adoptApps || incomplete.includes(name)) continue;
    const record = live.records.find((r) => bare(r.name) === fqdn && ['A', 'AAAA', 'CNAME'].includes(r.type));
    const monitored = live.monitors.some((m) => m.type === 'http' && (bare(m.target.replace(/^https?:\/\//, '').replace(/[/:].*$/, '')) === fqdn || m.name.toLowerCase() === name));
    adoptApps[name] = appEntry(host, record, host.certificate ? 'auto' : 'none', monitored);
    notes.push(`${name}: NPM proxy host #${host.id}${record ? `, DNS ${record.type}` : ''}${monitored ? ', a Kuma monitor' : ''}`);
  }
  const appNames = new Set([...Object.keys(apps), ...Object.keys(adoptApps), ...incomplete].map(fqdnOf));
  const adoptRecords = live.records
    .filter((r) => r.app === null && !isLabRecord(r.comments) && !r.disabled && (LAB_RECORD_TYPES as readonly string[]).includes(r.type) && !appNames.has(bare(r.name)))
    .map((r) => recordEntry(r, zone)).sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));

  const options = { lineWidth: 0 } as const;
  const parts = [
    `# lab.yaml: the lab homelab manages in ${zone}, written by homelab export from the live services.`,
    '# homelab plan shows what differs from it; homelab apply makes the lab match it (docs/lab-file.md).',
    "# Only objects carrying homelab's marker are changed or deleted (docs/markers.md); nothing else is touched.",
    stringify({ apps, records: labRecords }, options).trimEnd(),
  ];
  if (incomplete.length) {
    parts.push('', `# homelab marks objects of ${incomplete.join(', ')} but ${incomplete.length === 1 ? 'it has' : 'they have'} no proxy host (no target to write):`,
      '# add an entry with a target to keep and complete them; as it is, homelab plan deletes what is left.');
  }
  if (Object.keys(adoptApps).length || adoptRecords.length) {
    parts.push('', "# Not homelab's (no marker): what it could adopt. To adopt one, add homelab's marker to each of its objects",
      '# (docs/markers.md: app=<name> for an app, "managed-by: homelab record" in a record\'s comment), then move the entry above.');
    if (notes.length) parts.push(commented(notes.join('\n')));
    parts.push(commented(stringify({ ...(Object.keys(adoptApps).length ? { apps: adoptApps } : {}), ...(adoptRecords.length ? { records: adoptRecords } : {}) }, options)));
  }
  return {
    yaml: `${parts.join('\n')}\n`,
    apps: Object.keys(apps),
    records: labRecords.length,
    adoptable: { apps: Object.keys(adoptApps), records: adoptRecords.length },
    incomplete,
  };
}
