/**
 * @module services/hub/exposed
 * `homelab exposed` (read): the apps homelab manages, found by their markers in DNS, NPM
 * and Uptime Kuma, each with its parts and their state: the record, the proxy host
 * (online, offline, disabled), its certificate's days left, the monitor's last beat. A
 * service that cannot be read is named and the others are still shown (exit 4/5/3/1
 * by the fan-out rule).
 */
import { z } from 'zod';
import { isConfigured } from '../../core/config.js';
import { ConfigError, settleParts } from '../../core/errors.js';
import { partLine } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { table, text, toned, type Block, type Cell } from '../../core/render.js';
import { readLiveParts, type LiveParts } from './expose-live.js';
import { hostPort } from './expose-plan.js';
import { exposeZone } from './expose-settings.js';

/** One exposed app's parts (null: homelab manages no such part for it; `unknown`: the service could not be read). */
export interface ExposedApp {
  app: string;
  /** `<app>.<zone>`. */
  name: string;
  dns: { type: string; value: string; state: 'present' | 'disabled' } | null | 'unknown';
  proxy: {
    id: number; domains: string[]; forward: string; state: 'online' | 'offline' | 'disabled' | 'untested';
    certificate: { id: number; name: string; daysLeft: number | null } | null; sslForced: boolean;
  } | null | 'unknown';
  monitor: { id: number; name: string; url: string; state: string } | null | 'unknown';
}

/** JSON shape of `homelab exposed`. */
export interface ExposedResult {
  zone: string;
  apps: ExposedApp[];
  /** Services that could not be read, with why. */
  unavailable: { service: string; error: string }[];
}

const bare = (v: string): string => v.replace(/\.$/, '').toLowerCase();

/** Groups the marked objects of the live state by app. */
export function exposedApps(live: LiveParts): ExposedApp[] {
  const apps = new Set<string>();
  for (const list of [live.records, live.hosts, live.monitors]) for (const o of list ?? []) if (o.app) apps.add(o.app);
  return [...apps].sort().map((app): ExposedApp => {
    const record = live.records?.find((r) => r.app === app && ['A', 'AAAA', 'CNAME'].includes(r.type)) ?? live.records?.find((r) => r.app === app);
    const host = live.hosts?.find((h) => h.app === app);
    const monitor = live.monitors?.find((m) => m.app === app);
    return {
      app,
      name: record ? bare(record.name) : host?.domains[0] ?? `${app}.${live.zone}`,
      dns: live.records === null ? 'unknown' : record ? { type: record.type, value: record.value, state: record.disabled ? 'disabled' : 'present' } : null,
      proxy: live.hosts === null ? 'unknown' : host ? {
        id: host.id, domains: host.domains, forward: `${host.forwardScheme}://${hostPort({ host: host.forwardHost, port: host.forwardPort })}`,
        state: !host.enabled ? 'disabled' : host.online === null ? 'untested' : host.online ? 'online' : 'offline',
        certificate: host.certificate ? { id: host.certificate.id, name: host.certificate.name, daysLeft: host.certificate.daysLeft } : null, sslForced: host.sslForced,
      } : null,
      monitor: live.monitors === null ? 'unknown' : monitor ? {
        id: monitor.id, name: monitor.name, url: monitor.target, state: !monitor.active ? 'paused' : monitor.lastHeartbeat?.status ?? 'pending',
      } : null,
    };
  });
}

const missing = toned('missing', 'warn');
const unknown = toned('unknown', 'dim');

function certCell(a: ExposedApp): Cell {
  if (a.proxy === 'unknown') return unknown;
  const cert = a.proxy?.certificate;
  if (!cert) return toned('none', 'dim');
  const days = cert.daysLeft;
  return toned(`#${cert.id} ${days === null ? '?' : days <= 0 ? 'expired' : `${days}d`}`, days !== null && days <= 3 ? 'bad' : days !== null && days <= 14 ? 'warn' : 'ok');
}

/** `homelab exposed`. */
export const exposedOperation = defineOperation({
  id: 'exposed',
  summary: 'The apps homelab has exposed, with the state of each part (DNS, proxy host, certificate, monitor)',
  input: z.object({}),
  risk: 'read',
  pages: 'apps',
  examples: ['exposed', 'exposed --json'],
  async run(ctx): Promise<ExposedResult> {
    const live = await readLiveParts(ctx, exposeZone(ctx.config));
    const result: ExposedResult = {
      zone: live.zone, apps: exposedApps(live),
      unavailable: live.failures.map((f) => ({ service: f.service, error: f.error.message })),
    };
    // A service that is not configured (no section) holds nothing of homelab's: named, not a failure; a redirect or a bad section is one.
    const failed = live.failures.filter((f) => !(f.error instanceof ConfigError && !isConfigured(ctx.config, f.service)));
    return settleParts('exposed', result, 3, 'services', failed.map((f) => ({ part: f.service, exitCode: f.error.exitCode })));
  },
  render: (r) => {
    const blocks: Block[] = [table(['app', 'name', 'dns', 'proxy', 'cert', 'monitor'], r.apps.map((a) => [
      a.app, a.name,
      a.dns === 'unknown' ? unknown : a.dns ? toned(`${a.dns.type} ${a.dns.value}${a.dns.state === 'disabled' ? ' (disabled)' : ''}`, a.dns.state === 'present' ? undefined : 'warn') : missing,
      a.proxy === 'unknown' ? unknown : a.proxy ? toned(`${a.proxy.forward} ${a.proxy.state}`, a.proxy.state === 'online' ? 'ok' : a.proxy.state === 'offline' ? 'bad' : 'warn') : missing,
      certCell(a),
      a.monitor === 'unknown' ? unknown : a.monitor ? toned(a.monitor.state, a.monitor.state === 'up' ? 'ok' : a.monitor.state === 'down' ? 'bad' : 'warn') : toned('none', 'dim'),
    ]), { title: `apps homelab manages in ${r.zone}`, empty: 'none yet: homelab expose <name> <target> makes one' })];
    for (const u of r.unavailable) blocks.push(text(partLine(u.service, u.error), 'bad'));
    return blocks;
  },
});
