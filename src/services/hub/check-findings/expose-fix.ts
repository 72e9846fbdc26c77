/**
 * @module services/hub/check-findings/expose-fix
 * The `homelab expose` line a finding about an exposed app gives as its fix, written with
 * the app's options as they are now (its DNS record, certificate, SSL, websockets, blocked
 * exploits, scheme and monitor), so that running it changes what the finding is about and
 * nothing else: `expose pad <host:port>` alone would switch an app made with `--dns a
 * --cert none` to the defaults (a CNAME, a certificate, SSL forced, an https monitor).
 */
import type { MonitorView, ProxyHostView, RecordView } from './types.js';

/** How the proxy is reached by name (`services.proxy`): `dns_name` and the address A records point at. */
export interface ProxyNames {
  name: string | null;
  address: string | null;
}

/** What the expose line is written from; a part is undefined when its service was not read. */
export interface ExposeFacts {
  zone: string | undefined;
  records: readonly RecordView[] | undefined;
  monitors: readonly MonitorView[] | undefined;
  proxy: ProxyNames | undefined;
}

const SAFE = /^[\w@%+=:,./[\]-]+$/;
/** A value as a POSIX shell takes it as one word. */
const word = (v: string): string => (SAFE.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);

/** `host:port` of a proxy host's target (an IPv6 address in brackets). */
export function targetOf(h: Pick<ProxyHostView, 'forwardHost' | 'forwardPort'>): string {
  return `${h.forwardHost.includes(':') ? `[${h.forwardHost}]` : h.forwardHost}:${h.forwardPort}`;
}

/** The `--dns` option of the app's record at `fqdn`: `cname` / `a` at the proxy, else its value, `none` without one. */
function dnsOption(app: string, fqdn: string, facts: ExposeFacts): string[] {
  if (!facts.records) return [];
  const record = facts.records.find((r) => r.app === app && r.name === fqdn && ['A', 'AAAA', 'CNAME'].includes(r.type));
  if (!record) return ['--dns', 'none'];
  const value = record.value.replace(/\.$/, '').toLowerCase();
  if (record.type === 'CNAME') return ['--dns', facts.proxy?.name === value ? 'cname' : value];
  return ['--dns', facts.proxy?.address?.toLowerCase() === value ? 'a' : value];
}

/**
 * `homelab expose <app> <target> …` with the options the app has now. `target` is what to
 * write as the target (`<host:port>` when the finding is that the current one is wrong);
 * `monitor: 'keep'` writes the monitor as it is, `'add'` leaves the default (one is added).
 */
export function exposeLine(h: ProxyHostView & { app: string }, target: string, facts: ExposeFacts, monitor: 'keep' | 'add' = 'keep'): string {
  const fqdn = h.domains.find((d) => facts.zone && d === `${h.app}.${facts.zone}`) ?? h.domains[0] ?? `${h.app}.${facts.zone ?? ''}`;
  const parts = ['homelab expose', h.app, target, ...dnsOption(h.app, fqdn, facts)];
  if (h.forwardScheme === 'https') parts.push('--scheme', 'https');
  if (h.websockets) parts.push('--websockets');
  const cert = h.certificate;
  if (cert === null) parts.push('--cert', 'none');
  // An expired certificate cannot be given by id (expose refuses it): auto finds or requests another.
  else if (cert) parts.push('--cert', cert.daysLeft !== null && cert.daysLeft <= 0 ? 'auto' : String(cert.id));
  if (cert && h.sslForced === false) parts.push('--no-force-ssl');
  if (h.blockExploits === false) parts.push('--no-block-exploits');
  if (monitor === 'keep' && facts.monitors) {
    const own = facts.monitors.find((m) => m.app === h.app && m.type === 'http');
    const defaultUrl = `${cert === null ? 'http' : 'https'}://${fqdn}`;
    if (!own) parts.push('--no-monitor');
    else if (own.url && own.url !== defaultUrl) parts.push('--monitor-url', word(own.url));
  }
  return parts.join(' ');
}
