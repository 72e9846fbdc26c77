/**
 * @module services/hub/unexpose
 * `homelab unexpose <name>` (danger): removes what `expose` made for an app, in reverse:
 * the Kuma monitor, the NPM proxy host, the DNS record, but only objects that carry
 * homelab's marker for that app (each delete re-checks it: `--app`). Anything else found
 * at the app's name (a record, host or monitor homelab did not create) is listed as left
 * alone and never touched, a monitor that checks the app's URL too. A failed delete
 * re-creates what was already removed, as faithfully as the operations allow (a paused
 * monitor comes back paused; what cannot come back is named in the outcome: "re-created
 * with defaults: HSTS, …"). A delete whose answer was lost (cut off, a 5xx) is looked up
 * (a record among the zone's records, by name, type, value and marker): a proxy host, monitor
 * or record that is gone was deleted, and the run goes on; one still there was not, and the
 * run is undone as for any failure. With nothing to remove, the run succeeds and says so (re-running
 * it is safe). Certificates are kept: they are shared (a wildcard) and carry no marker.
 *
 * A service that is not configured cannot be looked at: the plan names it as "not checked
 * (not configured)", so nobody takes the run for a clean sweep when a monitor homelab made
 * may still be in a Kuma the config no longer names. The run still exits 0: homelab cannot
 * reach that service, and everything it could reach was removed; the note says what to do.
 */
import { isIPv6 } from 'node:net';
import { z } from 'zod';
import { isConfigured } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { mapLimit } from '../../core/map-limit.js';
import { appNameSchema, markerLine, markerText, ownText } from '../../core/marker.js';
import type { OpContext } from '../../core/operation.js';
import { definePlanOperation } from '../../orchestration/plan-operation.js';
import { createPlan, type Plan, type PlanStep } from '../../orchestration/plan.js';
import { ttlOf } from './desired-records.js';
import { readLiveParts, type LiveHost, type LiveMonitor, type LiveParts, type LiveRecord } from './expose-live.js';
import { checkedUrl } from './expose-monitor.js';
import { exposeZone } from './expose-settings.js';

const bare = (v: string): string => v.replace(/\.$/, '').toLowerCase();

/** What `proxy show` adds to a listed host: what a re-created host would lose. */
export interface HostDetail {
  advancedConfig: string;
  locations: unknown[];
}

const detailSchema = z.looseObject({ advancedConfig: z.string(), locations: z.array(z.unknown()) });

/** The details of the proxy hosts a plan deletes (`proxy show`, one per host), by id. */
export async function readHostDetails(ctx: OpContext, hosts: readonly LiveHost[]): Promise<Map<number, HostDetail>> {
  const details = await mapLimit(hosts, 4, async (h) => detailSchema.parse(await ctx.invoke('proxy.show', { host: String(h.id) })));
  return new Map(hosts.map((h, i) => [h.id, details[i] as HostDetail]));
}

/** The delete step of app `app`'s record `r` (re-checking its marker), undone by re-creating it with its TTL and comment. */
export function recordDeleteStep(r: LiveRecord, app: string, zone: string, i: number): PlanStep {
  const what = `DNS ${r.type} ${bare(r.name)} → ${r.value}`;
  const ttl = ttlOf(r);
  const own = ownText(r.comments, markerText(app));
  const keep = { ...(ttl !== null ? { ttl } : {}), ...(own ? { comment: own } : {}) };
  const recreate = r.type === 'CNAME' ? { op: 'dns.add-cname', input: { name: bare(r.name), zone, target: r.value, ...keep, app } }
    : r.type === 'A' || r.type === 'AAAA' ? { op: 'dns.add', input: { name: bare(r.name), zone, ip: r.value, ...keep, app } } : undefined;
  return {
    key: `dns${i ? `-${i + 1}` : ''}`, describe: what, op: 'dns.delete', risk: 'danger', state: 'delete',
    input: { name: bare(r.name), zone, type: r.type, value: r.value, app },
    // `dns records` lists the zone: the record is there while an item has its name, type, value and marker.
    lookup: { op: 'dns.records', input: { zone, type: r.type }, find: { in: 'records', where: { name: r.name, type: r.type, value: r.value, app } } },
    ...(recreate ? { undo: { ...recreate, describe: `re-create ${what}` } } : {}),
  };
}

/** What `proxy add` cannot give a re-created host back, of what `h` has. */
function hostLosses(h: LiveHost, app: string, detail: HostDetail | undefined): string[] {
  const lost: string[] = [];
  if (h.hsts) lost.push('HSTS');
  if (h.caching) lost.push('caching');
  if (!h.enabled) lost.push('disabled (re-created enabled)');
  if (!detail) lost.push('advanced config (not read)');
  else {
    const own = detail.advancedConfig.split('\n').filter((l) => l.trim() && l.trim() !== markerLine(app));
    if (own.length) lost.push(`advanced config (${own.length} line${own.length === 1 ? '' : 's'})`);
    if (detail.locations.length) lost.push(`${detail.locations.length} custom location${detail.locations.length === 1 ? '' : 's'}`);
  }
  return lost;
}

function hostStep(h: LiveHost, app: string, i: number, detail: HostDetail | undefined): PlanStep {
  const target = `${isIPv6(h.forwardHost) ? `[${h.forwardHost}]` : h.forwardHost}:${h.forwardPort}`;
  const what = `NPM proxy host ${h.domains.join(', ')} → ${h.forwardScheme}://${target}`;
  const tls = h.certificate ? { cert: h.certificate.id, forceSsl: h.sslForced, ...(h.http2 ? { http2: true } : {}) } : {};
  const lost = hostLosses(h, app, detail);
  return {
    key: `proxy${i ? `-${i + 1}` : ''}`, describe: what, op: 'proxy.delete', risk: 'danger', state: 'delete',
    input: { host: String(h.id), app },
    lookup: { op: 'proxy.show', input: { host: String(h.id) } },
    undo: {
      op: 'proxy.add', describe: `re-create ${what}`,
      input: {
        domains: h.domains.join(','), target, scheme: h.forwardScheme, websockets: h.websockets, blockExploits: h.blockExploits, ...tls,
        ...(h.accessList ? { accessList: h.accessList.id } : {}), app,
      },
      ...(lost.length ? { lost } : {}),
    },
  };
}

function monitorStep(m: LiveMonitor, app: string, i: number): PlanStep {
  const what = `Kuma monitor ${m.name} (id ${m.id}, ${m.target}${m.active ? '' : ', paused'})`;
  const own = ownText(m.description, markerText(app));
  const keep = {
    ...(typeof m.interval === 'number' && m.interval >= 1 ? { interval: m.interval } : {}),
    ...(typeof m.retries === 'number' ? { retries: m.retries } : {}),
    ...(own ? { description: own } : {}),
    ...(m.active ? {} : { paused: true }),
  };
  return {
    key: `monitor${i ? `-${i + 1}` : ''}`, describe: what, op: 'kuma.delete', risk: 'danger', state: 'delete',
    input: { monitor: String(m.id), app },
    lookup: { op: 'kuma.show', input: { monitor: String(m.id), beats: 1 } },
    ...(m.type === 'http' ? {
      undo: {
        op: 'kuma.add.http', input: { name: m.name, url: m.target, ...keep, app }, describe: `re-create ${what}`,
        lost: ['a new id', 'its check history', 'settings other than URL, interval, retries, description and paused (notifications, timeout, accepted status codes)'],
      },
    } : {}),
  };
}

const NOT_CHECKED = {
  dns: { what: 'DNS records', op: 'dns.records' },
  proxy: { what: 'NPM proxy hosts', op: 'proxy.list' },
  kuma: { what: 'Uptime Kuma monitors', op: 'kuma.list' },
} as const;

/** A service the plan could not look at: not configured, so what homelab made there for the app may remain. */
function notChecked(service: keyof typeof NOT_CHECKED, app: string): PlanStep {
  const { what, op } = NOT_CHECKED[service];
  return {
    key: `not-checked-${service}`, op, input: {}, risk: 'read', state: 'unchanged',
    describe: `not checked (not configured): ${what}; one homelab made for ${app} may remain (configure services.${service}, then run unexpose ${app} again)`,
  };
}

function leftAlone(describe: string, op: string, i: number): PlanStep {
  return { key: `left-alone-${i + 1}`, describe: `left alone (not homelab's for this app): ${describe}`, op, input: {}, risk: 'read', state: 'unchanged' };
}

/**
 * The unexpose plan of `app`: its marked objects to delete, and what else is at its name
 * (left alone): records and hosts at `<app>.<zone>`, monitors named after the app or that
 * check any URL on its name (`https://wiki.home.lan/health` too, whatever the scheme and port).
 * `details` (from `readHostDetails`) tell what a re-created proxy host would lose.
 */
export function unexposeSteps(app: string, live: LiveParts, details?: ReadonlyMap<number, HostDetail>): { deletes: PlanStep[]; others: string[]; fqdn: string } {
  const fqdn = `${app}.${live.zone}`;
  const deletes: PlanStep[] = [];
  const others: string[] = [];
  const monitors = live.monitors ?? [];
  monitors.filter((m) => m.app === app).forEach((m, i) => deletes.push(monitorStep(m, app, i)));
  others.push(...monitors.filter((m) => m.app !== app && (m.name.toLowerCase() === app || checksHost(m.target, fqdn)))
    .map((m) => `Kuma monitor ${m.name} (id ${m.id}${m.name.toLowerCase() === app ? '' : `, checks ${m.target}`})${m.app ? `, homelab's for app ${m.app}` : ''}`));
  const hosts = live.hosts ?? [];
  hosts.filter((h) => h.app === app).forEach((h, i) => deletes.push(hostStep(h, app, i, details?.get(h.id))));
  others.push(...hosts.filter((h) => h.app !== app && h.domains.some((d) => bare(d) === fqdn)).map((h) => `NPM proxy host #${h.id} (${h.domains.join(', ')})${h.app ? `, homelab's for app ${h.app}` : ''}`));
  others.push(...(live.otherHosts ?? []).filter((h) => h.domains.some((d) => bare(d) === fqdn)).map((h) => `NPM ${h.kind} #${h.id} (${h.domains.join(', ')})`));
  const records = live.records ?? [];
  records.filter((r) => r.app === app).forEach((r, i) => deletes.push(recordDeleteStep(r, app, live.zone, i)));
  others.push(...records.filter((r) => r.app !== app && bare(r.name) === fqdn && r.type !== 'SOA' && r.type !== 'NS').map((r) => `DNS ${r.type} ${fqdn} → ${r.value}${r.app ? `, homelab's for app ${r.app}` : ''}`));
  return { deletes, others, fqdn };
}

/** Whether a monitor's URL is on host `fqdn` (any scheme, port or path). */
function checksHost(target: string, fqdn: string): boolean {
  const url = checkedUrl(target);
  return url !== null && (url === fqdn || url.startsWith(`${fqdn}:`) || url.startsWith(`${fqdn}/`) || url.startsWith(`${fqdn}?`));
}

/**
 * Builds the unexpose plan of `app` against the live lab. When homelab manages nothing for
 * it (a second run), the plan has nothing to delete: applying it changes nothing and
 * succeeds, so re-running unexpose is safe; what else is at the name is still listed.
 */
export async function buildUnexposePlan(ctx: OpContext, app: string): Promise<Plan> {
  const live = await readLiveParts(ctx, exposeZone(ctx.config));
  // A service that is not configured (no section) holds nothing of homelab's; one that cannot be read (a redirect, a bad section) stops the plan.
  const unread = live.failures.find((f) => !(f.error instanceof ConfigError && !isConfigured(ctx.config, f.service)));
  if (unread) throw unread.error;
  const details = await readHostDetails(ctx, (live.hosts ?? []).filter((h) => h.app === app));
  const { deletes, others, fqdn } = unexposeSteps(app, live, details);
  const readOp = (line: string): string => (line.startsWith('DNS') ? 'dns.records' : line.startsWith('Kuma') ? 'kuma.list' : 'proxy.list');
  const unchecked = live.failures.map((f) => f.service);
  const where = unchecked.length ? ` in the services checked (not checked, not configured: ${unchecked.join(', ')})` : '';
  const title = deletes.length ? `Unexpose ${app} (${fqdn})${unchecked.length ? `; not checked, not configured: ${unchecked.join(', ')}` : ''}`
    : `Unexpose ${app} (${fqdn}): nothing to remove, homelab manages nothing for app ${app}${where}${others.length ? `; what is at ${fqdn} is not homelab's, left alone` : ''}`;
  return createPlan(title, [...deletes, ...others.map((line, i) => leftAlone(line, readOp(line), i)), ...unchecked.map((s) => notChecked(s, app))]);
}

/** `homelab unexpose <name>`. */
export const unexposeOperation = definePlanOperation({
  id: 'unexpose',
  summary: "Remove an exposed app's monitor, proxy host and DNS record (only what homelab created for it)",
  description: 'Only objects carrying the marker managed-by: homelab app=<name> are deleted, each delete checking it again. '
    + 'Anything else at <name>.<zone> is listed as left alone. Certificates are kept. A failed delete re-creates what was removed.',
  args: ['name'],
  input: z.object({ name: appNameSchema.describe('the app name given to expose') }),
  risk: 'danger',
  examples: ['unexpose wiki', 'unexpose wiki --dry-run', 'unexpose wiki --yes'],
  build: (ctx, input) => buildUnexposePlan(ctx, input.name),
});
