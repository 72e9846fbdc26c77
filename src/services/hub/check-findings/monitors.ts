/**
 * @module services/hub/check-findings/monitors
 * The reverse proxy against Uptime Kuma: a proxy host on the zone that no monitor
 * watches, and an HTTP monitor of a name on the zone (no explicit port, so through the
 * proxy) that no proxy host serves. Paused monitors count as monitors: pausing is a
 * choice, a missing monitor is an oversight.
 */
import { exposeLine, type ExposeFacts } from './expose-fix.js';
import { probeKey } from './proxy.js';
import { findingKey, managedFix, relative, type CheckFinding, type MonitorView, type ProxyHostView } from './types.js';
import { covers } from '../../../core/cert-names.js';
import { shellWord } from '../../../core/shell-word.js';
import { shownWord } from '../../../core/words.js';

const HTTP_TYPES = new Set(['http', 'keyword', 'json-query', 'real-browser']);

function urlParts(url: string | null): { host: string; port: string } | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return { host: u.hostname.toLowerCase().replace(/^\[|\]$/g, ''), port: u.port };
  } catch {
    return null;
  }
}

/**
 * The name a monitor checks through the proxy: the host of an HTTP URL on the standard
 * ports (an explicit other port goes past the proxy, to the app itself), else its hostname.
 */
export function monitorHost(m: MonitorView): string | null {
  const u = urlParts(m.url);
  if (u) return u.port === '' || u.port === '80' || u.port === '443' ? u.host : null;
  return m.hostname?.toLowerCase() ?? null;
}

const inZone = (name: string, zone: string): boolean => name.toLowerCase().endsWith(`.${zone}`);

/**
 * Enabled proxy hosts with a domain on the zone that no monitor checks. With only the active
 * monitors read (`activeOnly`: Kuma's API key, no login), a paused one may watch it: the
 * evidence says so.
 */
export function proxyWithoutMonitor(
  hosts: readonly ProxyHostView[], monitors: readonly MonitorView[], zone: string, hasCertificate: (h: ProxyHostView) => boolean, facts?: Omit<ExposeFacts, 'zone' | 'monitors'>,
  activeOnly = false,
): CheckFinding[] {
  const watched = new Set(monitors.map(monitorHost).filter((h): h is string => h !== null));
  return hosts
    .filter((h) => h.enabled && h.domains.some((d) => inZone(d, zone) && !d.startsWith('*.')))
    .filter((h) => !h.domains.some((d) => watched.has(d.toLowerCase())))
    .map((h) => {
      const domain = h.domains.find((d) => inZone(d, zone)) as string;
      return {
        key: findingKey('proxy-without-monitor', domain), kind: 'proxy-without-monitor' as const, severity: 'warning' as const, subject: domain,
        message: `${domain} is served by the proxy but no Kuma monitor watches it`,
        evidence: [
          { service: 'proxy', says: `proxy host #${h.id} serves ${h.domains.join(', ')}` },
          { service: 'kuma', says: activeOnly ? `no active monitor checks ${h.domains.join(' or ')} (a paused one may: paused monitors are read with KUMA_USERNAME and KUMA_PASSWORD only)` : `no monitor checks ${h.domains.join(' or ')}` },
        ],
        fix: h.app
          ? `${exposeLine({ ...h, app: h.app }, probeKey(h.forwardHost, h.forwardPort), { zone, monitors, records: facts?.records, proxy: facts?.proxy }, 'add')} (a re-run with the app's options adds the monitor), or monitor: true for apps.${h.app} in lab.yaml, then homelab apply`
          : `homelab kuma add http ${shellWord(relative(domain, zone))} ${shellWord(`${hasCertificate(h) ? 'https' : 'http'}://${domain}`)}`,
      };
    });
}

/**
 * HTTP monitors of a port-less URL on the zone that no enabled proxy host serves. A name whose
 * proxy host homelab made for an app and is disabled is left to `managed-host-disabled`; one
 * whose hand-made proxy host is disabled says so, and its fix enables it (adding another would
 * be refused: NPM keeps the name for the disabled host).
 */
export function monitorWithoutProxy(monitors: readonly MonitorView[], hosts: readonly ProxyHostView[], zone: string): CheckFinding[] {
  const served = hosts.filter((h) => h.enabled || h.app).flatMap((h) => h.domains);
  const disabled = hosts.filter((h) => !h.enabled && !h.app);
  return monitors
    .filter((m) => HTTP_TYPES.has(m.type))
    .flatMap((m) => {
      const u = urlParts(m.url);
      if (!u || !['', '80', '443'].includes(u.port) || !inZone(u.host, zone) || served.some((d) => covers(d, u.host))) return [];
      const off = disabled.find((h) => h.domains.some((d) => covers(d, u.host)));
      const remove = `homelab kuma delete ${m.id ?? shellWord(m.name)}`;
      return [{
        key: findingKey('monitor-without-proxy', m.id ?? m.name), kind: 'monitor-without-proxy' as const, severity: 'warning' as const, subject: u.host,
        message: `Kuma monitor ${m.name} checks ${u.host}, which no ${off ? 'enabled ' : ''}proxy host serves`,
        evidence: [
          { service: 'kuma', says: `monitor ${m.name}${m.id === null ? '' : ` (#${m.id})`} checks ${m.url ?? u.host}${m.active ? '' : ' (paused)'}` },
          { service: 'proxy', says: off ? `proxy host #${off.id} (${off.domains.join(', ')}) serves ${u.host} but is disabled` : `no proxy host serves ${u.host}` },
        ],
        fix: managedFix(m, `monitor ${shownWord(m.name)}`)
          ?? (off ? `homelab proxy enable ${shellWord(off.domains[0] ?? String(off.id))}, or ${remove}` : `${remove}, or homelab proxy add ${shellWord(u.host)} <host:port>`),
      }];
    });
}
