/**
 * @module services/hub/expose-build
 * Builds the expose plan of one app against the live lab: the settings from the config,
 * the target resolved (`pve ip`, DNS), the covering certificate looked up, the live state
 * read, then `planApp`. Reads only, through `ctx.invoke`. A conflict (an object at the
 * app's name that homelab did not create for it) fails the build with every conflict
 * listed, before anything is confirmed or changed.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { covers } from '../../core/cert-names.js';
import { serviceConfig } from '../../core/config.js';
import { ConfigError, OperationError, UsageError } from '../../core/errors.js';
import { riskAbove, type OpContext } from '../../core/operation.js';
import { createPlan, stepState, type Plan } from '../../orchestration/plan.js';
import { certificateNames, coveringCertificate, readLive, type LiveState } from './expose-live.js';
import { hostAt, hostPort, planApp, wantedRecord, type AppPlan, type AppSpec } from './expose-plan.js';
import { exposeSettings, type ExposeSettings } from './expose-settings.js';
import { resolveTarget, SpecFieldError } from './expose-target.js';
import { selfCname } from './lab-schema.js';

/** Checks what the spec asks against the settings and the certificates (a given one must cover the name); ConfigError / OperationError; a CNAME to the app's own name is a UsageError. */
async function checkSpec(ctx: OpContext, spec: AppSpec, settings: ExposeSettings): Promise<void> {
  const dns = spec.dns ?? settings.dnsMode;
  // In a lab under `contexts:`, its keys are `contexts.<lab>.services.…` (config.origin).
  const at = `${ctx.config.origin ?? ''}services.proxy`;
  if (dns === 'cname' && !settings.proxyName) {
    throw new ConfigError(`--dns cname needs the proxy's DNS name: ${at}.dns_name (e.g. proxy.${settings.zone})`, 'or use --dns a (an A record to the proxy\'s address)');
  }
  const fqdn = `${spec.name}.${settings.zone}`;
  const record = wantedRecord(spec, settings);
  if (record?.type === 'CNAME' && record.value.replace(/\.$/, '').toLowerCase() === fqdn) {
    throw new UsageError(selfCname(fqdn), dns === 'cname' ? `${fqdn} is the proxy's own name (${at}.dns_name): expose the app under another name` : '--dns must name another host (or be cname, a, none or an address)');
  }
  if (dns === 'a' && isIP(settings.proxyAddress) === 0) {
    throw new ConfigError(`--dns a needs the proxy's address: ${at}.url names ${settings.proxyAddress}, not an address`, `set ${at}.address, or use --dns cname`);
  }
  if (typeof spec.cert === 'number') {
    const certs = z.array(z.looseObject({ id: z.number(), daysLeft: z.number().nullable(), domains: z.array(z.string()).default([]) })).parse(await ctx.invoke('proxy.certs', {}));
    const cert = certs.find((c) => c.id === spec.cert);
    if (!cert) throw new SpecFieldError('cert', `NPM has no certificate #${spec.cert}`, 'homelab proxy certs lists them; or use --cert auto');
    if (cert.daysLeft !== null && cert.daysLeft <= 0) throw new SpecFieldError('cert', `certificate #${spec.cert} has expired`, 'renew it, or use --cert auto');
    // A certificate that lists no names (some custom ones) cannot be checked here: NPM serves it as given.
    if (cert.domains.length && !cert.domains.some((d) => covers(d, fqdn))) {
      throw new SpecFieldError('cert', `certificate #${spec.cert} covers ${cert.domains.join(', ')}, not ${fqdn}`, 'use --cert auto (a certificate that covers the name, else a new one), or the id of one that covers it (homelab proxy certs)');
    }
  }
}

/** The plan steps of one app against `live` (settings and live state read once by the caller). */
export async function appPlan(ctx: OpContext, spec: AppSpec, settings: ExposeSettings, live: LiveState, keyPrefix = ''): Promise<AppPlan & { title: string }> {
  await checkSpec(ctx, spec, settings);
  const target = await resolveTarget(ctx, spec.target, settings.zone);
  const fqdn = `${spec.name}.${settings.zone}`;
  const covering = spec.cert === 'auto' ? await coveringCertificate(ctx, fqdn) : null;
  // cert: auto keeps the host's certificate only when it covers the name: its names are read unless it is the covering one.
  const held = spec.cert === 'auto' ? hostAt(live, fqdn)?.certificate : null;
  const certNames = held && held.id !== covering?.id ? await certificateNames(ctx) : new Map<number, string[]>();
  const planned = planApp(spec, { settings, target, live, covering, certNames, keyPrefix });
  const via = target.via === 'given' ? '' : ` (${target.via})`;
  return { ...planned, title: `Expose ${fqdn} → ${spec.scheme}://${hostPort(target)}${via}` };
}

/**
 * The expose plan of one app; an OperationError listing the conflicts when something else
 * holds its names. A plan that deletes (the app's own record replaced: `--dns` changed) is a
 * danger run: where the surface allows less (an MCP server or the dashboard with `--allow
 * change`), it is refused here, before anything runs (a dry run is only shown: never refused).
 */
export async function buildExposePlan(ctx: OpContext, spec: AppSpec, options: { dryRun: boolean } = { dryRun: false }): Promise<Plan> {
  const settings = exposeSettings(ctx.config);
  if (spec.monitor) {
    try {
      serviceConfig(ctx.config, 'kuma', z.unknown());
    } catch (err) {
      // The monitor is the only part that needs Kuma: say how to go without it.
      if (err instanceof ConfigError) throw new ConfigError(`expose makes an Uptime Kuma monitor, but ${err.message}`, `${err.hint ?? 'configure services.kuma'}, or pass --no-monitor`);
      throw err;
    }
  }
  const live = await readLive(ctx, settings.zone, { monitors: spec.monitor });
  const planned = await appPlan(ctx, spec, settings, live);
  if (planned.conflicts.length) throw conflictError(spec.name, planned);
  const deletes = planned.steps.filter((s) => s.risk === 'danger' && stepState(s) !== 'unchanged');
  if (!options.dryRun && deletes.length && riskAbove('danger', ctx.maxRisk)) {
    throw new UsageError(`this expose deletes ${deletes.map((s) => s.describe).join(', ')} (homelab made it for ${spec.name}): a danger run, and ${ctx.actor.surface} allows ${ctx.maxRisk ?? 'change'} operations only here; nothing was changed`,
      `${ctx.actor.surface === 'mcp' ? 'the server owner can restart it with --allow danger' : 'run it from the CLI, or where --allow danger is given'}; a dry run shows the plan`);
  }
  return createPlan(planned.title, planned.steps);
}

/** The refusal of a plan with conflicts: every item listed, and a header that is true of all of them. */
function conflictError(app: string, planned: AppPlan): OperationError {
  const n = planned.conflicts.length;
  // An object homelab made for this app that the plan does not use (a second monitor of the name) is no stranger's.
  const own = planned.conflicts.filter((c) => c.includes(`is homelab's for app ${app}:`)).length;
  const whose = own === 0 ? `homelab did not create for ${app}` : own === n ? `homelab made for ${app} but this plan does not use` : `homelab did not create for ${app} or does not use`;
  const hint = own === 0 ? `pick another name, or remove ${n === 1 ? 'it' : 'them'} yourself (homelab never touches what it did not create)`
    : own === n ? `homelab unexpose ${app} removes what homelab made for it; then expose it again`
      // unexpose leaves the others' objects alone: expose would still meet them.
      : `pick another name, or remove what homelab did not create yourself (homelab never touches it), and homelab unexpose ${app} (it removes what homelab made for it); then expose it again`;
  return new OperationError(`cannot expose ${planned.fqdn}: ${n === 1 ? 'something' : `${n} things`} ${whose} ${n === 1 ? 'holds' : 'hold'} its names`, hint, planned.conflicts);
}
