/**
 * @module services/hub/expose-plan
 * The plan for one exposed app, from its fields (`AppSpec`: what `homelab expose` takes,
 * and what an `apps:` entry of lab.yaml holds) and the live state: a DNS record for
 * `<name>.<zone>` (CNAME to the proxy's name, or A/AAAA to its address; or to an address or
 * name given; or none), a Let's Encrypt certificate when none covers the name and `cert` is
 * `auto`, an NPM proxy host forwarding to the target (block exploits on, SSL forced with a
 * certificate, unless turned off), and an Uptime Kuma HTTP monitor. Every object carries
 * homelab's marker for the app (docs/markers.md). The fields themselves: expose-spec.
 *
 * `planApp` is pure: an object already as wanted is an `unchanged` step, a marked object
 * that differs is an `update` (its undo restores the old values), and anything at the name
 * that homelab did not create (or created for another app) is a conflict: reported, never
 * touched. So is a monitor that already checks the app's URL under another name.
 *
 * A marked proxy host that is disabled, or a marked monitor that is paused, is drift too:
 * exposing an app means serving it and watching it, so the plan has a step that enables the
 * host (`proxy.enable`, undone by `proxy.disable`) or resumes the monitor (`kuma.resume`,
 * undone by `kuma.pause`), after the update of its settings, if any.
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { PlanStep } from '../../orchestration/plan.js';
import type { ExposeSettings } from './expose-settings.js';
import { UsageError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import type { LiveMonitor, LiveState } from './expose-live.js';
import type { AppSpec } from './expose-spec.js';
import type { ResolvedTarget } from './expose-target.js';

export { appSpecFields, appSpecSchema, type AppSpec, type CertChoice } from './expose-spec.js';

/** Everything `planApp` needs besides the spec: settings, the resolved target, the live state. */
export interface AppFacts {
  settings: ExposeSettings;
  target: ResolvedTarget;
  live: LiveState;
  /** With `cert: auto`: the certificate that covers the name now (null: none does). */
  covering: { id: number; name: string } | null;
  /** Step keys start with this (a plan of many apps uses `<app>/`). */
  keyPrefix?: string;
}

/** The plan steps of one app, and what stands in the way. */
export interface AppPlan {
  fqdn: string;
  steps: PlanStep[];
  /** Objects at the app's names that homelab did not create for it: reported, never touched. */
  conflicts: string[];
}

const bare = (v: string): string => v.replace(/\.$/, '').toLowerCase();
const hostPort = (t: ResolvedTarget): string => `${isIPv6(t.host) ? `[${t.host}]` : t.host}:${t.port}`;
const owner = (app: string | null): string => (app ? `homelab's for app ${app}` : 'not created by homelab');

/** The record an app wants at its name (type and value), or null with `dns: none`. */
export function wantedRecord(spec: Pick<AppSpec, 'dns'>, settings: ExposeSettings): { type: 'A' | 'AAAA' | 'CNAME'; value: string } | null {
  const dns = spec.dns ?? settings.dnsMode;
  if (dns === 'none') return null;
  if (dns === 'cname') return { type: 'CNAME', value: settings.proxyName ?? '' };
  const address = dns === 'a' ? settings.proxyAddress : dns;
  if (isIP(address) === 0) return { type: 'CNAME', value: address };
  return { type: isIPv4(address) ? 'A' : 'AAAA', value: address };
}

/** The URL an app's monitor checks: `monitorUrl`, else `https://<fqdn>` (`http://` without a certificate). */
export function monitorUrlOf(spec: Pick<AppSpec, 'cert' | 'monitorUrl'>, fqdn: string): string {
  return spec.monitorUrl ?? `${spec.cert === 'none' ? 'http' : 'https'}://${fqdn}`;
}

function dnsSteps(spec: AppSpec, facts: AppFacts, fqdn: string, key: string): { steps: PlanStep[]; conflicts: string[] } {
  const { settings, live } = facts;
  const want = wantedRecord(spec, settings);
  if (!want) return { steps: [], conflicts: [] };
  const { type, value } = want;
  const here = live.records.filter((r) => bare(r.name) === fqdn);
  const mine = here.find((r) => r.type === type && r.app === spec.name && bare(r.value) === bare(value));
  const describe = `DNS ${type} ${fqdn} → ${value}`;
  const undo = { op: 'dns.delete', input: { name: fqdn, zone: live.zone, type, value, app: spec.name }, describe: `delete DNS ${type} ${fqdn} → ${value}` };
  const input = type === 'CNAME'
    ? { name: fqdn, zone: live.zone, target: value, app: spec.name }
    : { name: fqdn, zone: live.zone, ip: value, app: spec.name };
  const step: PlanStep = { key, describe, op: type === 'CNAME' ? 'dns.add-cname' : 'dns.add', input, risk: 'change', undo };
  if (mine) return { steps: [{ ...step, state: 'unchanged' }], conflicts: [] };
  const blocking = here.filter((r) => r !== mine && (type === 'CNAME' ? r.type !== 'SOA' : ['A', 'AAAA', 'CNAME'].includes(r.type)));
  if (blocking.length) {
    return { steps: [], conflicts: blocking.map((r) => `DNS ${r.type} ${fqdn} → ${r.value} is ${owner(r.app)}: left alone`) };
  }
  return { steps: [step], conflicts: [] };
}

function proxySteps(spec: AppSpec, facts: AppFacts, fqdn: string, certKey: string | null, certId: number | null, certName: string | null, key: string): { steps: PlanStep[]; conflicts: string[] } {
  const { live, target } = facts;
  const held = live.otherHosts.filter((h) => h.domains.some((d) => bare(d) === fqdn));
  const conflicts = held.map((h) => `NPM ${h.kind} #${h.id} (${h.domains.join(', ')}) holds ${fqdn}, not created by homelab: left alone`);
  const host = live.hosts.find((h) => h.domains.some((d) => bare(d) === fqdn));
  if (host && host.app !== spec.name) conflicts.push(`NPM proxy host #${host.id} (${host.domains.join(', ')}) → ${host.forwardHost}:${host.forwardPort} is ${owner(host.app)}: left alone`);
  if (conflicts.length) return { steps: [], conflicts };
  const wantsCert = spec.cert !== 'none';
  const forced = wantsCert && spec.forceSsl;
  const tls = wantsCert ? { forceSsl: forced, ...(certId !== null ? { cert: certId } : {}) } : {};
  const options = { target: hostPort(target), scheme: spec.scheme, websockets: spec.websockets, blockExploits: spec.blockExploits, ...tls };
  const certText = !wantsCert ? 'no certificate' : `${certId !== null ? `certificate #${certId}${certName ? ` ${certName}` : ''}` : 'the new certificate'}${forced ? ', SSL forced' : ', SSL not forced'}`;
  const describe = `NPM proxy host ${fqdn} → ${spec.scheme}://${hostPort(target)} (${certText}${spec.websockets ? ', websockets' : ''}${spec.blockExploits ? ', block exploits' : ', exploits not blocked'})`;
  const inputFrom = certKey ? { inputFrom: { cert: { step: certKey, path: 'id' } } } : {};
  if (!host) {
    return { steps: [{
      key, describe, op: 'proxy.add', input: { domains: fqdn, ...options, app: spec.name }, risk: 'change', ...inputFrom,
      undo: { op: 'proxy.delete', input: { host: fqdn, app: spec.name }, describe: `delete NPM proxy host ${fqdn}` },
    }], conflicts: [] };
  }
  const certOk = !wantsCert ? host.certificate === null : certKey === null && (spec.cert === 'auto' ? host.certificate !== null : host.certificate?.id === certId);
  const same = bare(host.forwardHost) === bare(target.host) && host.forwardPort === target.port && host.forwardScheme === spec.scheme
    && host.websockets === spec.websockets && host.blockExploits === spec.blockExploits && certOk && host.sslForced === forced;
  const step: PlanStep = { key, describe, op: 'proxy.update', input: { host: fqdn, ...options, ...(wantsCert ? {} : { cert: 0 }) }, risk: 'change', ...inputFrom };
  const enable: PlanStep[] = host.enabled ? [] : [{
    key: `${key}-enable`, describe: `enable NPM proxy host ${fqdn} (it is disabled)`, op: 'proxy.enable', input: { host: String(host.id) }, risk: 'change', state: 'update',
    undo: { op: 'proxy.disable', input: { host: String(host.id) }, describe: `disable NPM proxy host ${fqdn} again` },
  }];
  if (same) return { steps: [{ ...step, state: 'unchanged' }, ...enable], conflicts: [] };
  const old = {
    host: fqdn, target: `${isIPv6(host.forwardHost) ? `[${host.forwardHost}]` : host.forwardHost}:${host.forwardPort}`, scheme: host.forwardScheme,
    websockets: host.websockets, blockExploits: host.blockExploits, cert: host.certificate?.id ?? 0, forceSsl: host.sslForced,
  };
  return { steps: [{ ...step, state: 'update', undo: { op: 'proxy.update', input: old, describe: `restore NPM proxy host ${fqdn} → ${host.forwardScheme}://${old.target}` } }, ...enable], conflicts: [] };
}

/** What a monitor's URL checks, for finding duplicates: host, port and path, whatever the scheme (null: not an http(s) URL). */
export function checkedUrl(target: string): string | null {
  try {
    const u = new URL(target);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.hostname.replace(/\.$/, '')}${u.port ? `:${u.port}` : ''}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return null;
  }
}

/**
 * Whether a monitor URL holds the placeholder homelab's output puts where a secret was
 * (`https://***@host/`, `?token=***`): a lab.yaml written by `export -` (redacted) says so.
 */
export function holdsRedaction(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/\*\*\*@/i.test(url) || /[?&][^=&#]+=\*\*\*(?:[&#]|$)/.test(url);
}

/**
 * The URL a monitor is to check: `url`, or, when it holds the redaction placeholder and the
 * app's monitor checks a URL that reads the same once redacted, that monitor's own URL
 * (the placeholder means "keep what is there": its credentials are never replaced by `***`).
 */
function keptUrl(url: string, mine: LiveMonitor | undefined): string {
  if (!holdsRedaction(url)) return url;
  if (mine && redact(mine.target) === url) return mine.target;
  throw new UsageError(`the monitor URL ${url} holds *** where homelab's output hid a secret, and no monitor of the app checks that URL to keep`,
    'write the URL with its real credentials (homelab export <file> writes them in full, to a file only you can read)');
}

function monitorSteps(spec: AppSpec, facts: AppFacts, wanted: string, key: string): { steps: PlanStep[]; conflicts: string[] } {
  const monitors = facts.live.monitors ?? [];
  const mine = monitors.find((m) => m.app === spec.name && m.type === 'http');
  const url = keptUrl(wanted, mine);
  // Another monitor of the name, or one that already checks the URL the plan would point a monitor at (a duplicate).
  const checking = mine?.target === url ? null : checkedUrl(url);
  const taken = monitors.filter((m) => m !== mine && (m.name.toLowerCase() === spec.name || (checking !== null && checkedUrl(m.target) === checking)));
  if (taken.length) {
    return { steps: [], conflicts: taken.map((m) => `Kuma monitor ${m.name} (id ${m.id}${m.name.toLowerCase() === spec.name ? '' : `, checks ${m.target}`}) is ${owner(m.app)}: left alone`) };
  }
  const describe = `Kuma HTTP monitor ${spec.name} → ${url}`;
  if (!mine) {
    return { steps: [{
      key, describe, op: 'kuma.add.http', input: { name: spec.name, url, app: spec.name }, risk: 'change',
      undo: { op: 'kuma.delete', input: { monitor: spec.name, app: spec.name }, describe: `delete Kuma monitor ${spec.name}` },
    }], conflicts: [] };
  }
  const step: PlanStep = { key, describe, op: 'kuma.edit', input: { monitor: String(mine.id), url }, risk: 'change' };
  const resume: PlanStep[] = mine.active ? [] : [{
    key: `${key}-resume`, describe: `resume Kuma monitor ${mine.name} (it is paused)`, op: 'kuma.resume', input: { monitor: String(mine.id) }, risk: 'change', state: 'update',
    undo: { op: 'kuma.pause', input: { monitor: String(mine.id) }, describe: `pause Kuma monitor ${mine.name} again` },
  }];
  if (mine.target === url) return { steps: [{ ...step, state: 'unchanged' }, ...resume], conflicts: [] };
  return { steps: [{ ...step, state: 'update', undo: { op: 'kuma.edit', input: { monitor: String(mine.id), url: mine.target }, describe: `restore Kuma monitor ${mine.name} → ${mine.target}` } }, ...resume], conflicts: [] };
}

/** The steps that expose one app, given the live state (pure: reads and writes nothing). */
export function planApp(spec: AppSpec, facts: AppFacts): AppPlan {
  const fqdn = `${spec.name}.${facts.live.zone}`;
  const prefix = facts.keyPrefix ?? '';
  const steps: PlanStep[] = [];
  const conflicts: string[] = [];
  const add = (part: { steps: PlanStep[]; conflicts: string[] }): void => {
    steps.push(...part.steps);
    conflicts.push(...part.conflicts);
  };
  add(dnsSteps(spec, facts, fqdn, `${prefix}dns`));
  let certKey: string | null = null;
  let certId: number | null = typeof spec.cert === 'number' ? spec.cert : null;
  if (spec.cert === 'auto') {
    if (facts.covering) certId = facts.covering.id;
    else {
      certKey = `${prefix}cert`;
      steps.push({
        key: certKey, describe: `Let's Encrypt certificate for ${fqdn} (requested through NPM)`, op: 'proxy.cert-request', input: { domains: fqdn }, risk: 'change',
        undo: { op: 'proxy.cert-delete', input: {}, fromResult: { id: 'id' }, describe: `delete the certificate for ${fqdn}` },
      });
    }
  }
  add(proxySteps(spec, facts, fqdn, certKey, certId, certId !== null && facts.covering?.id === certId ? facts.covering.name : null, `${prefix}proxy`));
  if (spec.monitor) add(monitorSteps(spec, facts, monitorUrlOf(spec, fqdn), `${prefix}monitor`));
  return { fqdn, steps, conflicts };
}
