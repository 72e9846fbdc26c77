/**
 * @module services/hub/unexpose
 * `homelab unexpose <name>` (danger): removes what `expose` made for an app, in reverse:
 * the Kuma monitor, the NPM proxy host, the DNS record, but only objects that carry
 * homelab's marker for that app (each delete re-checks it: `--app`). Anything else found
 * at the app's name (a record, host or monitor homelab did not create) is listed as left
 * alone and never touched. A failed delete re-creates what was already removed.
 * Certificates are kept: they are shared (a wildcard) and carry no marker.
 */
import { isIPv6 } from 'node:net';
import { z } from 'zod';
import { ConfigError, OperationError } from '../../core/errors.js';
import { appNameSchema } from '../../core/marker.js';
import type { OpContext } from '../../core/operation.js';
import { definePlanOperation } from '../../orchestration/plan-operation.js';
import { createPlan, type Plan, type PlanStep } from '../../orchestration/plan.js';
import { readLiveParts, type LiveHost, type LiveParts, type LiveRecord } from './expose-live.js';
import { exposeZone } from './expose-settings.js';

const bare = (v: string): string => v.replace(/\.$/, '').toLowerCase();

function recordStep(r: LiveRecord, app: string, zone: string, i: number): PlanStep {
  const what = `DNS ${r.type} ${bare(r.name)} → ${r.value}`;
  const recreate = r.type === 'CNAME' ? { op: 'dns.add-cname', input: { name: bare(r.name), zone, target: r.value, app } }
    : r.type === 'A' || r.type === 'AAAA' ? { op: 'dns.add', input: { name: bare(r.name), zone, ip: r.value, app } } : undefined;
  return {
    key: `dns${i ? `-${i + 1}` : ''}`, describe: what, op: 'dns.delete', risk: 'danger', state: 'delete',
    input: { name: bare(r.name), zone, type: r.type, value: r.value, app },
    ...(recreate ? { undo: { ...recreate, describe: `re-create ${what}` } } : {}),
  };
}

function hostStep(h: LiveHost, app: string, i: number): PlanStep {
  const target = `${isIPv6(h.forwardHost) ? `[${h.forwardHost}]` : h.forwardHost}:${h.forwardPort}`;
  const what = `NPM proxy host ${h.domains.join(', ')} → ${h.forwardScheme}://${target}`;
  const tls = h.certificate ? { cert: h.certificate.id, forceSsl: h.sslForced } : {};
  return {
    key: `proxy${i ? `-${i + 1}` : ''}`, describe: what, op: 'proxy.delete', risk: 'danger', state: 'delete',
    input: { host: String(h.id), app },
    undo: {
      op: 'proxy.add', describe: `re-create ${what}`,
      input: { domains: h.domains.join(','), target, scheme: h.forwardScheme, websockets: h.websockets, blockExploits: h.blockExploits, ...tls, app },
    },
  };
}

function leftAlone(describe: string, op: string, i: number): PlanStep {
  return { key: `left-alone-${i + 1}`, describe: `left alone (not homelab's for this app): ${describe}`, op, input: {}, risk: 'read', state: 'unchanged' };
}

/** The unexpose plan of `app`: its marked objects to delete, and what else is at its name (left alone). */
export function unexposeSteps(app: string, live: LiveParts): { deletes: PlanStep[]; others: string[]; fqdn: string } {
  const fqdn = `${app}.${live.zone}`;
  const deletes: PlanStep[] = [];
  const others: string[] = [];
  const monitors = live.monitors ?? [];
  monitors.filter((m) => m.app === app).forEach((m, i) => {
    const what = `Kuma monitor ${m.name} (id ${m.id}, ${m.target})`;
    deletes.push({
      key: `monitor${i ? `-${i + 1}` : ''}`, describe: what, op: 'kuma.delete', risk: 'danger', state: 'delete',
      input: { monitor: String(m.id), app },
      ...(m.type === 'http' ? { undo: { op: 'kuma.add.http', input: { name: m.name, url: m.target, app }, describe: `re-create ${what}` } } : {}),
    });
  });
  others.push(...monitors.filter((m) => m.app !== app && m.name.toLowerCase() === app).map((m) => `Kuma monitor ${m.name} (id ${m.id})${m.app ? `, homelab's for app ${m.app}` : ''}`));
  const hosts = live.hosts ?? [];
  hosts.filter((h) => h.app === app).forEach((h, i) => deletes.push(hostStep(h, app, i)));
  others.push(...hosts.filter((h) => h.app !== app && h.domains.some((d) => bare(d) === fqdn)).map((h) => `NPM proxy host #${h.id} (${h.domains.join(', ')})${h.app ? `, homelab's for app ${h.app}` : ''}`));
  others.push(...(live.otherHosts ?? []).filter((h) => h.domains.some((d) => bare(d) === fqdn)).map((h) => `NPM ${h.kind} #${h.id} (${h.domains.join(', ')})`));
  const records = live.records ?? [];
  records.filter((r) => r.app === app).forEach((r, i) => deletes.push(recordStep(r, app, live.zone, i)));
  others.push(...records.filter((r) => r.app !== app && bare(r.name) === fqdn && r.type !== 'SOA' && r.type !== 'NS').map((r) => `DNS ${r.type} ${fqdn} → ${r.value}${r.app ? `, homelab's for app ${r.app}` : ''}`));
  return { deletes, others, fqdn };
}

/** Builds the unexpose plan of `app` against the live lab. */
export async function buildUnexposePlan(ctx: OpContext, app: string): Promise<Plan> {
  const live = await readLiveParts(ctx, exposeZone(ctx.config));
  // A service that is not configured holds nothing of homelab's; one that cannot be read stops the plan.
  const unread = live.failures.find((f) => !(f.error instanceof ConfigError));
  if (unread) throw unread.error;
  const { deletes, others, fqdn } = unexposeSteps(app, live);
  if (!deletes.length) {
    throw new OperationError(`homelab manages nothing for app ${app}${others.length ? `; what is at ${fqdn} is not homelab's, left alone` : ''}`,
      'homelab exposed lists the apps it manages', others.length ? others : undefined);
  }
  const readOp = (line: string): string => (line.startsWith('DNS') ? 'dns.records' : line.startsWith('Kuma') ? 'kuma.list' : 'proxy.list');
  return createPlan(`Unexpose ${app} (${fqdn})`, [...deletes, ...others.map((line, i) => leftAlone(line, readOp(line), i))]);
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
