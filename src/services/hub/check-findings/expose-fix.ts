/**
 * @module services/hub/check-findings/expose-fix
 * The `homelab expose` line a finding about an exposed app gives as its fix, written with
 * the app's options as they are now (its DNS record, certificate, SSL, websockets, blocked
 * exploits, scheme and monitor), so that running it changes what the finding is about and
 * nothing else: `expose pad <host:port>` alone would switch an app made with `--dns a
 * --cert none` to the defaults (a CNAME, a certificate, SSL forced, an https monitor). A
 * host still naming a certificate NPM deleted is written `--cert auto` (it had one).
 */
import { exposeCommand } from '../expose-command.js';
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

/** The `--dns` value of the app's record at `fqdn`: `cname` / `a` at the proxy, else its value, `none` without one; undefined when DNS was not read. */
function dnsOption(app: string, fqdn: string, facts: ExposeFacts): string | undefined {
  if (!facts.records) return undefined;
  const record = facts.records.find((r) => r.app === app && r.name === fqdn && ['A', 'AAAA', 'CNAME'].includes(r.type));
  if (!record) return 'none';
  const value = record.value.replace(/\.$/, '').toLowerCase();
  if (record.type === 'CNAME') return facts.proxy?.name === value ? 'cname' : value;
  return facts.proxy?.address?.toLowerCase() === value ? 'a' : value;
}

/**
 * `homelab expose <app> <target> …` with the options the app has now. `target` is what to
 * write as the target (`<host:port>` when the finding is that the current one is wrong);
 * `monitor: 'keep'` writes the monitor as it is, `'add'` leaves the default (one is added).
 */
export function exposeLine(h: ProxyHostView & { app: string }, target: string | null, facts: ExposeFacts, monitor: 'keep' | 'add' = 'keep'): string {
  const fqdn = h.domains.find((d) => facts.zone && d === `${h.app}.${facts.zone}`) ?? h.domains[0] ?? `${h.app}.${facts.zone ?? ''}`;
  const cert = h.certificate;
  // A host naming a certificate NPM deleted had one: auto gives it one that covers the name (or a new one).
  const deleted = h.deletedCertificateId !== undefined;
  const own = monitor === 'keep' && facts.monitors ? facts.monitors.find((m) => m.app === h.app && m.type === 'http') : undefined;
  const defaultUrl = `${cert === null && !deleted ? 'http' : 'https'}://${fqdn}`;
  return exposeCommand({
    name: h.app, target, dns: dnsOption(h.app, fqdn, facts), scheme: h.forwardScheme, websockets: h.websockets,
    // An expired certificate cannot be given by id (expose refuses it): auto finds or requests another.
    cert: deleted ? 'auto' : cert === null ? 'none' : cert ? (cert.daysLeft !== null && cert.daysLeft <= 0 ? 'auto' : cert.id) : undefined,
    forceSsl: cert || deleted ? h.sslForced : undefined,
    blockExploits: h.blockExploits,
    monitor: monitor === 'keep' && facts.monitors ? own !== undefined : undefined,
    monitorUrl: own?.url && own.url !== defaultUrl ? own.url : undefined,
  });
}
