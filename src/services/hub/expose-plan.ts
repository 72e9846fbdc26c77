/**
 * @module services/hub/expose-plan
 * The plan for one exposed app, from its fields (`AppSpec`: what `homelab expose` takes,
 * and what an `apps:` entry of lab.yaml holds) and the live state: a DNS record for
 * `<name>.<zone>` (CNAME to the proxy's name, or A/AAAA to its address; or to an address or
 * name given; or none), a Let's Encrypt certificate when none covers the name and `cert` is
 * `auto` (which also replaces a certificate on the host that has expired or covers other
 * names: expose-cert), an NPM proxy host forwarding to the target (block exploits on, SSL forced with a
 * certificate, unless turned off), and an Uptime Kuma HTTP monitor. Every object carries
 * homelab's marker for the app (docs/markers.md). The fields themselves: expose-spec.
 *
 * `planApp` is pure: an object already as wanted is an `unchanged` step, a marked object
 * that differs is an `update` (its undo restores the old values), and anything at the name
 * that homelab did not create (or created for another app) is a conflict: reported, never
 * touched. The app's own record of another type or value (its DNS mode changed: CNAME to A)
 * is replaced, as `apply` does: a `danger` delete (undone by re-creating it), then the new
 * record. With `dns: none`, the app's own record is deleted the same way (a record someone
 * else made at the name is left alone). The monitor's steps: expose-monitor.
 *
 * A marked proxy host that is disabled, or a marked monitor that is paused, is drift too:
 * exposing an app means serving it and watching it, so the plan has a step that enables the
 * host (`proxy.enable`, undone by `proxy.disable`) or resumes the monitor (`kuma.resume`,
 * undone by `kuma.pause`), after the update of its settings, if any.
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { PlanStep } from '../../orchestration/plan.js';
import { autoCertificate, type CertRef } from './expose-cert.js';
import type { ExposeSettings } from './expose-settings.js';
import type { LiveRecord, LiveState } from './expose-live.js';
import { monitorSteps, monitorUrlOf, owner } from './expose-monitor.js';
import type { AppSpec } from './expose-spec.js';
import type { ResolvedTarget } from './expose-target.js';
import { recordDeleteStep } from './unexpose.js';

export { appSpecFields, appSpecSchema, type AppSpec, type CertChoice } from './expose-spec.js';
export { checkedUrl, holdsRedaction, monitorUrlOf } from './expose-monitor.js';

/** Everything `planApp` needs besides the spec: settings, the resolved target, the live state. */
export interface AppFacts {
  settings: ExposeSettings;
  target: ResolvedTarget;
  live: LiveState;
  /** With `cert: auto`: the certificate that covers the name now (valid, expiring last; null: none does). */
  covering: CertRef | null;
  /**
   * With `cert: auto`: the names each certificate lists, by id (at least the host's own, unless
   * it is `covering`), to tell whether the host's certificate covers the app's name.
   */
  certNames?: ReadonlyMap<number, readonly string[]>;
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
/** `host:port` as NPM and URLs write it (an IPv6 address in brackets). */
export const hostPort = (t: Pick<ResolvedTarget, 'host' | 'port'>): string => `${isIPv6(t.host) ? `[${t.host}]` : t.host}:${t.port}`;

/** The record an app wants at its name (type and value), or null with `dns: none`. */
export function wantedRecord(spec: Pick<AppSpec, 'dns'>, settings: ExposeSettings): { type: 'A' | 'AAAA' | 'CNAME'; value: string } | null {
  const dns = spec.dns ?? settings.dnsMode;
  if (dns === 'none') return null;
  if (dns === 'cname') return { type: 'CNAME', value: settings.proxyName ?? '' };
  const address = dns === 'a' ? settings.proxyAddress : dns;
  if (isIP(address) === 0) return { type: 'CNAME', value: address };
  return { type: isIPv4(address) ? 'A' : 'AAAA', value: address };
}

function dnsSteps(spec: AppSpec, facts: AppFacts, fqdn: string, key: string): { steps: PlanStep[]; conflicts: string[] } {
  const { settings, live } = facts;
  const want = wantedRecord(spec, settings);
  const here = live.records.filter((r) => bare(r.name) === fqdn);
  const removal = (records: readonly LiveRecord[]): PlanStep[] => records.map((r, i) => ({ ...recordDeleteStep(r, spec.name, live.zone, 0), key: `${key}-remove${i ? `-${i + 1}` : ''}` }));
  // `--dns none`: the app's own record goes (as apply does with dns: none); anyone else's is no business of the app's.
  if (!want) return { steps: removal(here.filter((r) => r.app === spec.name && ['A', 'AAAA', 'CNAME'].includes(r.type))), conflicts: [] };
  const { type, value } = want;
  const mine = here.find((r) => r.type === type && r.app === spec.name && bare(r.value) === bare(value));
  const describe = `DNS ${type} ${fqdn} → ${value}`;
  const undo = { op: 'dns.delete', input: { name: fqdn, zone: live.zone, type, value, app: spec.name }, describe: `delete DNS ${type} ${fqdn} → ${value}` };
  const input = type === 'CNAME'
    ? { name: fqdn, zone: live.zone, target: value, app: spec.name }
    : { name: fqdn, zone: live.zone, ip: value, app: spec.name };
  const step: PlanStep = { key, describe, op: type === 'CNAME' ? 'dns.add-cname' : 'dns.add', input, risk: 'change', undo };
  if (mine) return { steps: [{ ...step, state: 'unchanged' }], conflicts: [] };
  const blocking = here.filter((r) => (type === 'CNAME' ? r.type !== 'SOA' : ['A', 'AAAA', 'CNAME'].includes(r.type)));
  // The app's own records in the way (another type or value: the DNS mode changed) are replaced: deleted first, re-created by their undo.
  const others = blocking.filter((r) => r.app !== spec.name);
  if (others.length) {
    return { steps: [], conflicts: others.map((r) => `DNS ${r.type} ${fqdn} → ${r.value} is ${owner(r.app)}: left alone`) };
  }
  return { steps: [...removal(blocking), step], conflicts: [] };
}

/** The certificate a proxy host step puts on: a step's result (`key`), an id, or none wanted; and why the host's own goes. */
interface CertPlan {
  /** The key of the step that requests it, or null. */
  key: string | null;
  id: number | null;
  name: string | null;
  /** Why the host's certificate is replaced (`cert: auto`), for the update's description. */
  replaces: string | null;
}

/** The proxy host an app's plan works on: the first one at its name. */
export const hostAt = (live: LiveState, fqdn: string): LiveState['hosts'][number] | undefined => live.hosts.find((h) => h.domains.some((d) => bare(d) === fqdn));

function proxySteps(spec: AppSpec, facts: AppFacts, fqdn: string, cert: CertPlan, key: string): { steps: PlanStep[]; conflicts: string[] } {
  const { live, target } = facts;
  const { key: certKey, id: certId, name: certName } = cert;
  const held = live.otherHosts.filter((h) => h.domains.some((d) => bare(d) === fqdn));
  const conflicts = held.map((h) => `NPM ${h.kind} #${h.id} (${h.domains.join(', ')}) holds ${fqdn}, not created by homelab: left alone`);
  const host = hostAt(live, fqdn);
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
  // cert: auto keeps the host's certificate only when it is valid and covers the name (then certId is its id).
  const certOk = !wantsCert ? host.certificate === null : certKey === null && host.certificate?.id === certId;
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
  // What the update changes, old → new, so that a switch turned off is seen before it is confirmed.
  const onOff = (v: boolean): string => (v ? 'on' : 'off');
  const newTarget = `${spec.scheme}://${hostPort(target)}`;
  const changes = [
    bare(host.forwardHost) !== bare(target.host) || host.forwardPort !== target.port || host.forwardScheme !== spec.scheme ? `${host.forwardScheme}://${old.target} → ${newTarget}` : '',
    certOk ? '' : `certificate ${host.certificate ? `#${host.certificate.id}` : 'none'} → ${!wantsCert ? 'none' : certId !== null ? `#${certId}` : 'a new one'}${wantsCert && cert.replaces ? ` (${cert.replaces})` : ''}`,
    host.sslForced === forced ? '' : `SSL forced ${onOff(host.sslForced)} → ${onOff(forced)}`,
    host.websockets === spec.websockets ? '' : `websockets ${onOff(host.websockets)} → ${onOff(spec.websockets)}`,
    host.blockExploits === spec.blockExploits ? '' : `block exploits ${onOff(host.blockExploits)} → ${onOff(spec.blockExploits)}`,
  ].filter(Boolean);
  return { steps: [{ ...step, describe: `${describe}; changes: ${changes.join(', ')}`, state: 'update', undo: { op: 'proxy.update', input: old, describe: `restore NPM proxy host ${fqdn} → ${host.forwardScheme}://${old.target}` } }, ...enable], conflicts: [] };
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
  const auto = spec.cert === 'auto' ? autoCertificate(hostAt(facts.live, fqdn)?.certificate, fqdn, facts.certNames ?? new Map(), facts.covering) : null;
  const cert: CertPlan = auto ? { ...auto, key: auto.id === null ? `${prefix}cert` : null } : { key: null, id: typeof spec.cert === 'number' ? spec.cert : null, name: null, replaces: null };
  if (cert.key) {
    steps.push({
      key: cert.key, describe: `Let's Encrypt certificate for ${fqdn} (requested through NPM${cert.replaces ? `: the proxy host's certificate ${cert.replaces}` : ''})`,
      op: 'proxy.cert-request', input: { domains: fqdn }, risk: 'change',
      undo: { op: 'proxy.cert-delete', input: {}, fromResult: { id: 'id' }, describe: `delete the certificate for ${fqdn}` },
    });
  }
  add(proxySteps(spec, facts, fqdn, cert, `${prefix}proxy`));
  if (spec.monitor) add(monitorSteps(spec, facts, monitorUrlOf(spec, fqdn), `${prefix}monitor`));
  return { fqdn, steps, conflicts };
}
