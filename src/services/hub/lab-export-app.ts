/**
 * @module services/hub/lab-export-app
 * One app of the live lab as a lab.yaml entry (pure), written as its objects are now, so that
 * a plan on the entry changes nothing: `dns` is `cname` / `a` when the record points at the
 * proxy, else the record's own value (an address straight at a guest, another name), or
 * `none`; `block_exploits: false`, `force_ssl: false` and `monitor_url` are written when the
 * proxy host or the monitor differ from what `expose` makes. What lab.yaml cannot say (a
 * second record at the name, a monitor that is not an HTTP one, a certificate that has expired
 * or does not cover the name) is returned as the changes a plan on the entry would still make,
 * for the file's comments. Such a certificate is written `cert: auto` (plan refuses its id),
 * which replaces it (expose-cert).
 */
import { isIP } from 'node:net';
import { certReplaced } from './expose-cert.js';
import type { LiveHost, LiveMonitor, LiveRecord } from './expose-live.js';
import type { ExposeSettings } from './expose-settings.js';
import { recordKey } from './desired-records.js';

/** One app as lab.yaml writes it (lab.yaml's keys; the optional ones only when they differ from expose's defaults). */
export interface AppEntry {
  target: string;
  dns: string;
  scheme: string;
  websockets: boolean;
  cert: 'auto' | 'none' | number;
  monitor: boolean;
  block_exploits?: false;
  force_ssl?: false;
  monitor_url?: string;
}

/** The live objects of one app: its proxy host, the records at its name, the monitors that are its. */
export interface LiveAppParts {
  host: LiveHost;
  /** A, AAAA and CNAME records at the name. */
  records: LiveRecord[];
  monitors: LiveMonitor[];
}

/** An app's entry, how it is set up, and what a plan on it would still change. */
export interface LiveApp {
  entry: AppEntry;
  /** How its objects are set up, in a few words each (`DNS A → 10.5.0.4, not the proxy`). */
  shown: string[];
  /** What a plan on the entry would change: what lab.yaml cannot say. */
  changes: string[];
}

const bare = (v: string): string => v.replace(/\.$/, '').toLowerCase();

/** Whether `r` points at the proxy (a CNAME to its name, an A/AAAA record to its address). */
function atProxy(r: LiveRecord, settings: ExposeSettings | null): boolean {
  if (!settings) return false;
  if (r.type === 'CNAME') return settings.proxyName !== null && bare(r.value) === settings.proxyName;
  return isIP(settings.proxyAddress) !== 0 && recordKey(r.type, r.value) === recordKey(r.type, settings.proxyAddress);
}

/**
 * The entry of the app at `fqdn` from its live parts. `covering` is the certificate that
 * covers the name now (`cert: auto` is written when the host uses it).
 */
export function liveApp(fqdn: string, parts: LiveAppParts, covering: number | null, settings: ExposeSettings | null,
  certificates: ReadonlyMap<number, readonly string[]> = new Map()): LiveApp {
  const { host } = parts;
  const shown: string[] = [`NPM proxy host #${host.id}`];
  const changes: string[] = [];
  const target = `${isIP(host.forwardHost) === 6 ? `[${host.forwardHost}]` : host.forwardHost}:${host.forwardPort}`;
  if (isIP(host.forwardHost) === 0 && !host.forwardHost.includes('.')) changes.push(`forwards to ${host.forwardHost}, which lab.yaml reads as a guest name (the plan forwards to its address)`);

  const record = parts.records.find((r) => atProxy(r, settings)) ?? parts.records[0];
  let dns = 'none';
  if (record) {
    dns = atProxy(record, settings) ? (record.type === 'CNAME' ? 'cname' : 'a') : record.type === 'CNAME' ? bare(record.value) : recordKey(record.type, record.value);
    shown.push(`DNS ${record.type}${atProxy(record, settings) ? '' : ` → ${record.value}, not the proxy`}`);
  }
  for (const r of parts.records.filter((r) => r !== record)) changes.push(`deletes DNS ${r.type} ${fqdn} → ${r.value} (an app has one record)`);

  let cert: AppEntry['cert'] = 'none';
  if (host.certificate) {
    // plan refuses the id of a certificate that has expired or does not cover the name; cert: auto replaces it.
    const replaced = certReplaced(host.certificate, fqdn, certificates.get(host.certificate.id));
    cert = replaced !== null || covering === host.certificate.id ? 'auto' : host.certificate.id;
    if (replaced) changes.push(`replaces certificate #${host.certificate.id}, which ${replaced} (cert: auto)`);
  } else if (host.sslForced) changes.push('stops forcing SSL (there is no certificate)');

  const defaultUrl = `${cert === 'none' ? 'http' : 'https'}://${fqdn}`;
  const monitor = parts.monitors.find((m) => m.type === 'http');
  if (monitor) shown.push(`Kuma monitor ${monitor.name}${monitor.target === defaultUrl ? '' : ` (${monitor.target})`}`);
  for (const m of parts.monitors.filter((m) => m !== monitor)) {
    changes.push(m.type === 'http' ? `deletes Kuma monitor ${m.name} (an app has one monitor)` : `deletes Kuma monitor ${m.name} (${m.type}: an app's monitor is an HTTP one)`);
  }
  if (!host.blockExploits) shown.push('exploits not blocked');
  if (host.certificate && !host.sslForced) shown.push('SSL not forced');

  const entry: AppEntry = {
    target, dns, scheme: host.forwardScheme, websockets: host.websockets, cert, monitor: monitor !== undefined,
    ...(host.blockExploits ? {} : { block_exploits: false as const }),
    ...(host.certificate && !host.sslForced ? { force_ssl: false as const } : {}),
    ...(monitor && monitor.target !== defaultUrl ? { monitor_url: monitor.target } : {}),
  };
  return { entry, shown, changes };
}
