/**
 * @module services/hub/check-findings/proxy
 * The reverse proxy against PVE, DNS and the probe: a proxy host forwarding to a guest
 * that is stopped, to a guest or address that is not there, or (with `--probe`) to an
 * address where nothing answers. The forward host may be an address, a guest's name or
 * a name of the zone (resolved through its A record, or a CNAME to one). An address no guest
 * has is a guest's when a record named after a guest whose address PVE cannot know (DHCP,
 * stopped) gives it, as `stale-record` excuses that record. A target that is
 * no guest and no known host is an error, even when a DNS record names it (a stale record
 * names a guest that is gone as well as a NAS): its fix names both ways out, forwarding
 * elsewhere, or listing a machine that is no guest in `check.hosts` (then it is a known host),
 * by address or by name (a Docker container NPM reaches by its name). A loopback target
 * (`localhost`, 127.0.0.1, ::1) is the proxy's own machine: never missing, and not probed
 * unless `check.probe_map` says where (check runs elsewhere).
 * The fix for an app's proxy host is `expose` with the app's options as they are.
 */
import { canonicalAddress } from '../../../core/ip-address.js';
import { shellWord } from '../../../core/shell-word.js';
import { hostPort } from '../expose-plan.js';
import { exposeLine, type ExposeFacts } from './expose-fix.js';
import { findingKey, guestLabel, managedFix, type CheckFinding, type GuestView, type ProxyHostView, type RecordView } from './types.js';

/** Where a forward host leads. */
export type Target =
  | { kind: 'guest'; guest: GuestView; address: string | null }
  | { kind: 'host'; name: string; address: string }
  | { kind: 'unknown'; address: string | null };

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i;

/** What a loopback forward target is: the proxy's own machine, never a missing guest. */
export const LOOPBACK = "the proxy's own machine (loopback)";

/** Whether a forward host is loopback (`localhost`, 127.0.0.0/8, `::1`): NPM's own machine (its admin UI at localhost:81, say). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || canonicalAddress(h) === '::1';
}

/** Resolves a forward host to a guest, a known host (loopback: the proxy's own machine), or nothing known. */
export function resolveTarget(host: string, guests: readonly GuestView[], knownHosts: ReadonlyMap<string, string>, records: readonly RecordView[] | undefined, zone: string | undefined): Target {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const byAddress = (address: string): Target => {
    // Two guests with one address (a conflict found on its own): the running one is the one that answers.
    const owners = guests.filter((g) => !g.template && g.addresses.includes(address));
    const guest = owners.find((g) => g.status === 'running') ?? owners[0];
    if (guest) return { kind: 'guest', guest, address };
    const known = knownHosts.get(address);
    if (known) return { kind: 'host', name: known, address };
    // A guest whose address PVE cannot know (DHCP, stopped) that a record of its own name gives this address.
    const named = (records ?? []).filter((r) => !r.disabled && (r.type === 'A' || r.type === 'AAAA') && canonicalAddress(r.value) === address).map((r) => r.name);
    const unknownAddress = zone ? guests.find((g) => !g.template && g.addresses.length === 0 && g.name && named.includes(`${g.name.toLowerCase()}.${zone}`)) : undefined;
    return unknownAddress ? { kind: 'guest', guest: unknownAddress, address } : { kind: 'unknown', address };
  };
  if (isLoopback(h)) return { kind: 'host', name: LOOPBACK, address: canonicalAddress(h) };
  if (IP.test(h)) return byAddress(canonicalAddress(h));
  const short = zone && h.endsWith(`.${zone}`) ? h.slice(0, -zone.length - 1) : h;
  const guest = guests.find((g) => g.name.toLowerCase() === short);
  if (guest) return { kind: 'guest', guest, address: guest.addresses[0] ?? null };
  const fqdn = zone && !h.includes('.') ? `${h}.${zone}` : h;
  const known = knownHosts.get(h) ?? knownHosts.get(fqdn);
  if (known) return { kind: 'host', name: known, address: h };
  const live = (records ?? []).filter((r) => !r.disabled);
  let name = fqdn;
  for (let hops = 0; hops < 4; hops++) {
    const a = live.find((r) => r.name === name && (r.type === 'A' || r.type === 'AAAA'));
    if (a) return byAddress(canonicalAddress(a.value));
    const cname = live.find((r) => r.name === name && r.type === 'CNAME');
    if (!cname) break;
    name = cname.value.toLowerCase().replace(/\.$/, '');
  }
  return { kind: 'unknown', address: null };
}

/** `host:port` as the probe keys it (an IPv6 address in brackets, as NPM and URLs write it). */
export function probeKey(host: string, port: number): string {
  return hostPort({ host, port });
}

/** Proxy hosts whose target is stopped, missing or (probed) silent. */
export function proxyTargets(
  hosts: readonly ProxyHostView[], guests: readonly GuestView[], knownHosts: ReadonlyMap<string, string>,
  records: readonly RecordView[] | undefined, zone: string | undefined, probes: ReadonlyMap<string, boolean> | undefined,
  probeVia?: ReadonlyMap<string, string>, facts?: Omit<ExposeFacts, 'zone' | 'records'>,
): CheckFinding[] {
  const out: CheckFinding[] = [];
  const expose = (h: ProxyHostView & { app: string }): string => exposeLine(h, null, { zone, records, monitors: facts?.monitors, proxy: facts?.proxy });
  for (const h of hosts.filter((x) => x.enabled)) {
    const domain = h.domains[0] ?? `#${h.id}`;
    // The host as a command names it: its first domain, or its id (`#5` would start a shell comment).
    const ref = h.domains[0] ?? String(h.id);
    const forward = probeKey(h.forwardHost, h.forwardPort);
    const target = resolveTarget(h.forwardHost, guests, knownHosts, records, zone);
    const answered = probes?.get(forward);
    const proxySays = { service: 'proxy', says: `${domain} (#${h.id}) forwards to ${h.forwardScheme}://${forward}` };
    const via = probeVia?.get(forward);
    const at = via ? `${forward} (probed at ${via})` : forward;
    const probeSays = answered === undefined ? [] : [{ service: 'probe', says: `${at} ${answered ? 'accepted a TCP connection' : 'did not accept a TCP connection'}` }];
    if (target.kind === 'guest' && target.guest.status !== 'running') {
      out.push({
        key: findingKey('proxy-to-stopped-guest', domain), kind: 'proxy-to-stopped-guest', severity: 'error', subject: domain,
        message: `${domain} forwards to ${guestLabel(target.guest)}, which is ${target.guest.status}`,
        evidence: [proxySays, { service: 'pve', says: `${guestLabel(target.guest)} on ${target.guest.node} is ${target.guest.status}${target.guest.onboot ? ' (onboot: 1)' : ''}` }],
        fix: `homelab pve start ${target.guest.vmid}`,
      });
      continue;
    }
    if (target.kind === 'unknown' && answered !== true) {
      // A name some record of the zone gives the address (not the app's own record): evidence, a machine of the lab or one that is gone.
      const named = target.address ? (records ?? []).filter((r) => !r.disabled && (r.type === 'A' || r.type === 'AAAA') && r.value.toLowerCase() === target.address && (!h.app || r.app !== h.app)) : [];
      const names = [...new Set(named.map((r) => r.name))];
      const fix = h.app ? `${expose({ ...h, app: h.app })} (forwards it there; for an app in lab.yaml, change its target and apply), or homelab unexpose ${h.app}`
        : managedFix(h, `proxy host ${domain}`) ?? `homelab proxy update ${shellWord(ref)} --target <host:port>, or homelab proxy delete ${shellWord(ref)}`;
      out.push({
        key: findingKey('proxy-to-missing-guest', domain), kind: 'proxy-to-missing-guest', severity: 'error', subject: domain,
        message: `${domain} forwards to ${h.forwardHost}, which no guest or known host is`,
        evidence: [proxySays, { service: 'pve', says: `no guest ${target.address ? `has ${target.address}` : `is called ${h.forwardHost}`}` },
          ...(names.length ? [{ service: 'dns', says: named.map((r) => `${r.type} ${r.name} → ${r.value}`).join('; ') }] : []), ...probeSays],
        fix: target.address ? `${fix}, or if ${target.address} is a machine of the lab that is not a guest (a NAS, a printer), add it to check.hosts in config.yaml`
          : `${fix}, or if ${h.forwardHost} is a machine of the lab that is not a guest (a NAS, a container beside the proxy), add it to check.hosts in config.yaml`,
      });
      continue;
    }
    if (answered === false) {
      const what = target.kind === 'guest' ? guestLabel(target.guest) : target.kind === 'host' ? target.name : h.forwardHost;
      out.push({
        key: findingKey('proxy-target-not-answering', domain), kind: 'proxy-target-not-answering', severity: 'error', subject: domain,
        message: `${domain} forwards to ${forward} (${what}), where nothing answers`,
        evidence: [proxySays, ...(target.kind === 'guest' ? [{ service: 'pve', says: `${guestLabel(target.guest)} is running` }] : []), ...probeSays],
        fix: `start the app on ${forward}, or ${h.app ? `${expose({ ...h, app: h.app })} (forwards it there)` : `homelab proxy update ${shellWord(ref)} --target <host:port>`}`,
      });
    }
  }
  return out;
}
