/**
 * @module services/hub/check-gather
 * Gathers the lab for `check`: every configured service at once, each under its own
 * time limit. A service that is not configured is `skipped`; one that fails is `failed`
 * with its error and exit code, and its parts of the view stay unknown (undefined), so
 * the rules that need them say "unknown" instead of finding nothing.
 */
import { isIP } from 'node:net';
import { isConfigured } from '../../core/config.js';
import { deriveContext } from '../../core/context.js';
import { CancelledError, TimeoutError, toHomelabError } from '../../core/errors.js';
import type { OpContext } from '../../core/operation.js';
import { redact } from '../../core/redact.js';
import type { LabView, MonitorView, RecordView } from './check-findings/index.js';
import { isLoopback, probeKey, resolveTarget } from './check-findings/proxy.js';
import { canonicalAddress } from '../../core/ip-address.js';
import { checkConfig, probeKeyOf, splitEndpoint } from './check-config.js';
import { probeAll, type ProbeTarget } from './check-probe.js';
import { exposeSettings } from './expose-settings.js';
import { readBeszel, readDns, readKuma, readPbs, readProxy, readPve, type PbsGuestGroup, type PveData } from './check-sources.js';

/** How one service fared. */
export interface SourceOutcome {
  service: string;
  state: 'ok' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  detail: string | null;
  hint: string | null;
  /** The exit code of its failure. */
  exitCode: number | null;
  ms: number;
}

/** Options of a gathering. */
export interface GatherOptions {
  timeoutMs: number;
  concurrency: number;
  probe: boolean;
  probeTimeoutMs: number;
}

/** Runs `work` for `service` under its own time limit; never throws except on cancel. */
async function fromService<T>(ctx: OpContext, service: string, timeoutMs: number, work: (sub: OpContext) => Promise<T>): Promise<{ value?: T; outcome: SourceOutcome }> {
  if (!isConfigured(ctx.config, service)) return { outcome: { service, state: 'skipped', detail: 'not configured', hint: null, exitCode: null, ms: 0 } };
  const started = Date.now();
  const limit = new AbortController();
  const sub = deriveContext(ctx, { signal: AbortSignal.any([ctx.signal, limit.signal]), progress: () => undefined });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new TimeoutError(service, timeoutMs, 'check');
      limit.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    const value = await Promise.race([work(sub), timeout]);
    return { value, outcome: { service, state: 'ok', detail: null, hint: null, exitCode: null, ms: Date.now() - started } };
  } catch (err) {
    if (ctx.signal.aborted) throw err instanceof CancelledError ? err : new CancelledError();
    const e = toHomelabError(err);
    return { outcome: { service, state: 'failed', detail: redact(e.message), hint: e.hint ? redact(e.hint) : null, exitCode: e.exitCode, ms: Date.now() - started } };
  } finally {
    clearTimeout(timer);
  }
}

/** How exposed names reach the proxy, for the options of an `expose` fix (undefined: the proxy section does not say). */
function proxyNames(ctx: OpContext): LabView['proxyNames'] {
  try {
    const s = exposeSettings(ctx.config);
    return { name: s.proxyName, address: isIP(s.proxyAddress) !== 0 ? s.proxyAddress : null };
  } catch {
    return undefined;
  }
}

/** Hosts of the configured services' URLs and of the SSH targets. */
function configuredHosts(ctx: OpContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, section] of Object.entries(ctx.config.services)) {
    const url = (section as { url?: unknown } | null)?.url;
    if (typeof url !== 'string') continue;
    try {
      out.set(canonicalAddress(new URL(url).hostname.replace(/^\[|\]$/g, '')), `configured service ${name}`);
    } catch { /* an invalid URL is the service's own config error */ }
  }
  for (const t of ctx.config.ssh.targets) out.set(canonicalAddress(t.host), `SSH target ${t.name}`);
  return out;
}

/**
 * The machines `check.hosts` names (not guests: a NAS, a printer), by address and by name: a
 * name's addresses are all those its A/AAAA records (or a CNAME to one) give it. A name vouches
 * for every record it has, a stale one too (docs/check.md): list the address instead when
 * a record may go stale.
 */
function listedHosts(hosts: readonly string[], records: readonly RecordView[] | undefined, zone: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of hosts) {
    const what = `${entry} (check.hosts)`;
    out.set(entry, what);
    if (isIP(entry) !== 0) continue;
    const fqdn = zone && !entry.includes('.') ? `${entry}.${zone}` : entry;
    out.set(fqdn, what);
    for (const address of addressesOf(fqdn, records)) out.set(address, what);
  }
  return out;
}

/** Every address the A/AAAA records of `fqdn` give it (through up to 4 CNAMEs), enabled records only. */
function addressesOf(fqdn: string, records: readonly RecordView[] | undefined): string[] {
  const live = (records ?? []).filter((r) => !r.disabled);
  let name = fqdn;
  for (let hops = 0; hops < 5; hops++) {
    const addresses = live.filter((r) => r.name === name && (r.type === 'A' || r.type === 'AAAA')).map((r) => canonicalAddress(r.value));
    if (addresses.length) return addresses;
    const cname = live.find((r) => r.name === name && r.type === 'CNAME');
    if (!cname) break;
    name = cname.value.toLowerCase().replace(/\.$/, '');
  }
  return [];
}

/**
 * Whether a PBS group is in a namespace this cluster writes to: the datastore and namespace
 * of one of its PVE storages of type `pbs` (no namespace: the root). A cluster with no such
 * storage (or none the token may see) counts the root namespace of every datastore.
 */
function ownPbsGroups(storages: readonly { datastore: string | null; namespace: string | null }[]): (b: Pick<PbsGuestGroup, 'store' | 'ns'>) => boolean {
  if (!storages.length) return (b) => b.ns === '';
  return (b) => storages.some((s) => (s.datastore === null || s.datastore === b.store) && (s.namespace ?? '') === b.ns);
}

/**
 * Gathers the lab view and how each service fared; with `probe`, also which forward targets
 * answer (at their `check.probe_map` address if they have one) and which were left unprobed
 * (no entry, and `check.probe_unmapped: false`; or a loopback target, the proxy's own machine,
 * which a probe from here would not reach).
 */
export async function gatherLab(ctx: OpContext, o: GatherOptions): Promise<{ view: LabView; sources: SourceOutcome[]; guests: number; unprobed: string[] }> {
  const configuredZone = (ctx.config.services.dns as { zone?: unknown } | undefined)?.zone;
  const zoneFromConfig = typeof configuredZone === 'string' ? configuredZone.toLowerCase() : undefined;
  const [pve, dns, proxy, kuma, pbs, beszel] = await Promise.all([
    fromService(ctx, 'pve', o.timeoutMs, (sub): Promise<PveData> => readPve(sub, o.concurrency)),
    fromService(ctx, 'dns', o.timeoutMs, (sub) => readDns(sub, zoneFromConfig)),
    fromService(ctx, 'proxy', o.timeoutMs, readProxy),
    fromService(ctx, 'kuma', o.timeoutMs, (sub): Promise<{ monitors: MonitorView[]; activeOnly: boolean }> => readKuma(sub)),
    fromService(ctx, 'pbs', o.timeoutMs, readPbs),
    fromService(ctx, 'beszel', o.timeoutMs, readBeszel),
  ]);
  const { probeMap, probeUnmapped, hosts: listed } = checkConfig(ctx.config);
  const zone = dns.value?.zone ?? zoneFromConfig;
  const view: LabView = {
    zone,
    guests: pve.value?.guests,
    knownHosts: pve.value ? new Map([...listedHosts(listed, dns.value?.records, zone), ...configuredHosts(ctx), ...pve.value.hosts]) : undefined,
    records: dns.value?.records,
    proxyHosts: proxy.value?.hosts,
    monitors: kuma.value?.monitors,
    monitorsActiveOnly: kuma.value?.activeOnly,
    certificates: proxy.value?.certificates,
    backups: undefined,
    systems: beszel.value,
    probes: undefined,
    probeVia: undefined,
    proxyNames: proxyNames(ctx),
  };
  // PBS may hold a newer backup than PVE sees: without its answer (configured but failed), backup age is unknown.
  if (pve.value && pbs.outcome.state !== 'failed') {
    const { coverage: c, created } = pve.value;
    const flaggedGuests = [...c.notCovered, ...c.stale];
    const newest = new Map<number, { time: number; where: string }>();
    const ours = ownPbsGroups(c.pbsStorages);
    for (const g of flaggedGuests) {
      if (g.newest !== null) newest.set(g.vmid, { time: g.newest, where: `PVE storage ${g.storage ?? '?'}` });
      // Only the guest's own group counts: in a namespace this cluster's PBS storages write to
      // (another cluster sharing the datastore has its own), ct/… for a container, vm/… for a VM
      // and not older than the VM (a reused VMID leaves the earlier guest's); the VM's creation
      // time comes from the configs `pve configs` read for every guest anyway.
      const since = created.get(g.vmid) ?? -1;
      for (const b of pbs.value ?? []) {
        if (b.vmid !== g.vmid || b.type !== g.type || b.time < since || !ours(b)) continue;
        if ((newest.get(g.vmid)?.time ?? -1) < b.time) newest.set(g.vmid, { time: b.time, where: b.where });
      }
    }
    const flagged = new Set(flaggedGuests.map((g) => g.vmid));
    view.backups = {
      notCovered: c.notCovered.map((g) => g.vmid), disabledJobs: new Map(c.notCovered.map((g) => [g.vmid, g.disabledJobs])),
      recent: new Set(pve.value.guests.map((g) => g.vmid).filter((v) => !flagged.has(v))), newest, maxAgeHours: c.staleHours,
    };
  }
  const unprobed: string[] = [];
  if (o.probe && view.proxyHosts && view.guests && view.knownHosts) {
    const { guests, knownHosts } = view;
    const targets: ProbeTarget[] = [];
    view.probeVia = new Map();
    for (const h of view.proxyHosts.filter((x) => x.enabled)) {
      const t = resolveTarget(h.forwardHost, guests, knownHosts, view.records, view.zone);
      if (t.kind === 'guest' && t.guest.status !== 'running') continue;
      const key = probeKey(h.forwardHost, h.forwardPort);
      const via = probeMap.get(probeKeyOf(key));
      if (via) {
        view.probeVia.set(key, via);
        targets.push({ ...splitEndpoint(via), key });
      } else if (probeUnmapped && !isLoopback(h.forwardHost)) {
        targets.push({ host: h.forwardHost, port: h.forwardPort, key });
      } else if (!unprobed.includes(key)) {
        unprobed.push(key);
      }
    }
    view.probes = await probeAll(targets, { timeoutMs: o.probeTimeoutMs, concurrency: o.concurrency, signal: ctx.signal });
  }
  return { view, sources: [pve, dns, proxy, kuma, pbs, beszel].map((s) => s.outcome), guests: pve.value?.guests.length ?? 0, unprobed };
}
