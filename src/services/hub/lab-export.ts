/**
 * @module services/hub/lab-export
 * The live lab as a starting lab.yaml (pure): what homelab manages (by marker) as `apps:`
 * and `records:`, written as the objects are (lab-export-app) so that `homelab plan` on it
 * shows no changes (what lab.yaml cannot say is listed in a comment); then, commented out,
 * what homelab could adopt: proxy hosts on the zone, each with a line saying what adopting
 * it as written would change, and records of the zone that carry no marker. An app homelab
 * marks but that has no proxy host (so no target) is listed in a comment, not as an entry:
 * a plan on the file deletes what is left of it.
 */
import { stringify } from 'yaml';
import type { LiveMonitor, LiveRecord } from './expose-live.js';
import type { ExposeSettings } from './expose-settings.js';
import type { MarkedLive } from './desired-apps.js';
import { isLabRecord, ttlOf } from './desired-records.js';
import { liveApp, type AppEntry } from './lab-export-app.js';
import { LAB_RECORD_TYPES } from './lab-file.js';

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
  /** What a plan on the file would still change for the managed apps (what lab.yaml cannot say), one line each. */
  unexpressed: string[];
  /** Services not configured, so not read: `proxy` (no apps can be written), `kuma` (every app is written with `monitor: false`). */
  unread: ('proxy' | 'kuma')[];
}

/** What export knows besides the marked objects. */
export interface ExportFacts {
  /** The names each certificate covers, by id (`proxy certs`): a host whose certificate does not cover its name is written `cert: auto`. */
  certificates: ReadonlyMap<number, readonly string[]>;
  /** Services not configured, so not read. */
  unread: ('proxy' | 'kuma')[];
}

const bare = (v: string): string => v.replace(/\.$/, '').toLowerCase();
const APP = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function relative(fqdn: string, zone: string): string {
  const n = bare(fqdn);
  return n === zone ? '@' : n.endsWith(`.${zone}`) ? n.slice(0, -zone.length - 1) : n;
}

function recordEntry(r: LiveRecord, zone: string): RecordEntry {
  const ttl = ttlOf(r);
  return { name: relative(r.name, zone), type: r.type, value: r.type === 'CNAME' ? bare(r.value) : r.value, ...(ttl !== null ? { ttl } : {}) };
}

const commented = (text: string): string => text.trimEnd().split('\n').map((l) => `# ${l}`.trimEnd()).join('\n');

/** What an HTTP monitor's URL names: its host. */
const monitoredHost = (m: LiveMonitor): string => bare(m.target.replace(/^https?:\/\//, '').replace(/[/:?#].*$/, ''));
const ADDRESSED = ['A', 'AAAA', 'CNAME'];

/**
 * Writes the lab file of `live`. `covering` maps an app's name to the id of the certificate
 * that covers it now (`cert: auto` is written when its proxy host uses that one); `settings`
 * tell a record that points at the proxy (`dns: cname` / `a`) from one that does not (written
 * as its value); without them every record is written as its value.
 */
export function exportLab(live: MarkedLive, covering: ReadonlyMap<string, number | null>, settings: ExposeSettings | null = null,
  facts: ExportFacts = { certificates: new Map(), unread: [] }): LabExport {
  const { zone } = live;
  const fqdnOf = (app: string): string => `${app}.${zone}`;
  const marked = [...new Set([...live.records, ...live.hosts, ...live.monitors].map((o) => o.app).filter((a): a is string => a !== null))].sort();
  const apps: Record<string, AppEntry> = {};
  const incomplete: string[] = [];
  const unexpressed: string[] = [];
  for (const app of marked) {
    const host = live.hosts.find((h) => h.app === app && h.domains.some((d) => bare(d) === fqdnOf(app))) ?? live.hosts.find((h) => h.app === app);
    if (!host) { incomplete.push(app); continue; }
    const records = live.records.filter((r) => r.app === app && bare(r.name) === fqdnOf(app) && ADDRESSED.includes(r.type));
    const made = liveApp(fqdnOf(app), { host, records, monitors: live.monitors.filter((m) => m.app === app) }, covering.get(app) ?? null, settings, facts.certificates);
    apps[app] = made.entry;
    unexpressed.push(...made.changes.map((c) => `${app}: ${c}`));
  }
  const labRecords = live.records.filter((r) => r.app === null && isLabRecord(r.comments))
    .map((r) => recordEntry(r, zone)).sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));

  // Not homelab's: proxy hosts on the zone (as apps, written as they are) and the zone's records (as records).
  const adoptApps: Record<string, AppEntry> = {};
  const adoptNotes: string[] = [];
  for (const host of live.hosts.filter((h) => h.app === null)) {
    const fqdn = host.domains.map(bare).find((d) => d.endsWith(`.${zone}`) && APP.test(d.slice(0, -zone.length - 1)));
    const name = fqdn?.slice(0, -zone.length - 1);
    if (!fqdn || !name || name in apps || name in adoptApps || incomplete.includes(name)) continue;
    const records = live.records.filter((r) => r.app === null && bare(r.name) === fqdn && ADDRESSED.includes(r.type));
    const monitors = live.monitors.filter((m) => m.app === null && (m.name.toLowerCase() === name || (m.type === 'http' && monitoredHost(m) === fqdn)));
    const made = liveApp(fqdn, { host, records, monitors }, covering.get(name) ?? null, settings, facts.certificates);
    adoptApps[name] = made.entry;
    adoptNotes.push(`${name}: ${made.shown.join(', ')}; ${made.changes.length ? `adopting it would also: ${made.changes.join('; ')}` : 'adopted as written, nothing changes'}`);
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
  ];
  if (facts.unread.includes('proxy')) {
    parts.push('# NPM is not configured (services.proxy): its proxy hosts were not read, so there are no apps here to manage or adopt.');
  }
  if (facts.unread.includes('kuma') && Object.keys(apps).length) {
    parts.push('# Uptime Kuma is not configured (services.kuma): monitors were not read, so every app is written with monitor: false.',
      '# Once Kuma is configured, monitor: false deletes the monitor homelab made for the app: write monitor: true (or leave it out) to keep it.');
  }
  parts.push(stringify({ apps, records: labRecords }, options).trimEnd());
  if (unexpressed.length) {
    parts.push('', '# lab.yaml cannot say everything about these apps: homelab plan on this file still changes them:', commented(unexpressed.join('\n')));
  }
  if (incomplete.length) {
    parts.push('', `# homelab marks objects of ${incomplete.join(', ')} but ${incomplete.length === 1 ? 'it has' : 'they have'} no proxy host (no target to write):`,
      '# add an entry with a target to keep and complete them; as it is, homelab plan deletes what is left.');
  }
  if (Object.keys(adoptApps).length || adoptRecords.length) {
    parts.push('', "# Not homelab's (no marker): what it could adopt. To adopt one, add homelab's marker to each of its objects",
      '# (docs/markers.md: app=<name> for an app; a record\'s comment with "managed-by: homelab record" as one of its " · "-separated parts), then move the entry above.',
      '# Each app is written as its objects are now (dns: the record\'s own value when it does not point at the proxy, such as an',
      '# address straight at a guest; block_exploits, force_ssl, monitor_url as they are), so adopting it as written changes only',
      '# what its line says. Without those lines, an adopted app would be moved to the defaults of expose (DNS to the proxy).');
    if (adoptNotes.length) parts.push(commented(adoptNotes.join('\n')));
    parts.push(commented(stringify({ ...(Object.keys(adoptApps).length ? { apps: adoptApps } : {}), ...(adoptRecords.length ? { records: adoptRecords } : {}) }, options)));
  }
  return {
    yaml: `${parts.join('\n')}\n`,
    apps: Object.keys(apps),
    records: labRecords.length,
    adoptable: { apps: Object.keys(adoptApps), records: adoptRecords.length },
    incomplete,
    unexpressed,
    unread: facts.unread,
  };
}
