/**
 * @module services/hub/check-sources
 * What `check` reads from each service, through `ctx.invoke` of that service's read
 * operations only, each result checked with zod (the shapes the operations document in
 * `--json`). Per-guest reads (configs, addresses of DHCP guests) are bounded-concurrent
 * inside the operations; everything is read once per run.
 */
import { z } from 'zod';
import { canonicalAddress } from '../../core/ip-address.js';
import { mapLimit } from '../../core/map-limit.js';
import type { OpContext } from '../../core/operation.js';
import { isLabRecord } from './desired-records.js';
import { configMacs, guestInterfacesSchema, learnedAddresses } from './guest-addresses.js';
import type { CertificateView, GuestView, MonitorView, ProxyHostView, RecordView, SystemView } from './check-findings/index.js';

const guestConfigsSchema = z.object({
  guests: z.array(z.object({
    vmid: z.number(), name: z.string(), type: z.enum(['qemu', 'lxc']), node: z.string(), status: z.string(), template: z.boolean(),
    onboot: z.boolean(), addresses: z.array(z.string()), gateways: z.array(z.string()), dynamic: z.boolean(), created: z.number().nullable(),
    config: z.record(z.string(), z.unknown()).optional(),
  }).loose()),
}).loose();
const clusterSchema = z.object({ nodes: z.array(z.object({ name: z.string(), ip: z.string().nullable() }).loose()) }).loose();
const coverageGuest = z.object({
  vmid: z.number(), type: z.enum(['qemu', 'lxc']), newest: z.number().nullable(), storage: z.string().nullable(),
  disabledJobs: z.array(z.string()),
}).loose();
const pbsStorageSchema = z.object({ storage: z.string(), datastore: z.string().nullable(), namespace: z.string().nullable() }).loose();
const coverageSchema = z.object({
  staleHours: z.number(), notCovered: z.array(coverageGuest), stale: z.array(coverageGuest), pbsStorages: z.array(pbsStorageSchema),
}).loose();

/** What PVE contributes: guests, node addresses and gateways, and backup coverage (with the cluster's PBS storages). */
export interface PveData {
  guests: GuestView[];
  /** Address → what it is (node pve1, gateway). */
  hosts: Map<string, string>;
  coverage: z.infer<typeof coverageSchema>;
  /** VMID → a VM's creation time (`meta: ctime`, from `pve configs`), for the VMs whose config tells. */
  created: Map<number, number>;
}

/** Guests with their addresses (static, or from `pve ip` for running DHCP guests), nodes and gateways, coverage, VM creation times. */
export async function readPve(ctx: OpContext, concurrency: number): Promise<PveData> {
  const [configs, cluster, coverage] = await Promise.all([
    ctx.invoke('pve.configs', { concurrency }).then((r) => guestConfigsSchema.parse(r)),
    ctx.invoke('pve.cluster').then((r) => clusterSchema.parse(r)),
    ctx.invoke('pve.backup-coverage').then((r) => coverageSchema.parse(r)),
  ]);
  const dynamic = configs.guests.filter((g) => g.dynamic && g.status === 'running' && !g.template);
  const learned = await mapLimit(dynamic, concurrency, (g) => ctx.invoke('pve.ip', { vmid: g.vmid })
    .then((r) => learnedAddresses(guestInterfacesSchema.parse(r).interfaces, configMacs(g.config)), () => []));
  const extra = new Map(dynamic.map((g, i) => [g.vmid, learned[i] ?? []]));
  const guests = configs.guests.map((g): GuestView => {
    const configured = [...new Set(g.addresses.map(canonicalAddress))];
    const reported = (extra.get(g.vmid) ?? []).filter((a) => !configured.includes(a));
    return {
      vmid: g.vmid, name: g.name, type: g.type, node: g.node, status: g.status, template: g.template, onboot: g.onboot,
      addresses: [...configured, ...reported], ...(reported.length ? { learned: reported } : {}),
    };
  });
  const hosts = new Map<string, string>();
  for (const n of cluster.nodes) if (n.ip) hosts.set(canonicalAddress(n.ip), `node ${n.name}`);
  for (const g of configs.guests) for (const gw of g.gateways.map(canonicalAddress)) if (!hosts.has(gw)) hosts.set(gw, 'gateway');
  const created = new Map(configs.guests.flatMap((g) => (g.created === null ? [] : [[g.vmid, g.created] as const])));
  return { guests, hosts, coverage, created };
}

const recordsSchema = z.object({
  zone: z.string(),
  records: z.array(z.object({ name: z.string(), type: z.string(), value: z.string(), disabled: z.boolean(), app: z.string().nullish(), comments: z.string().nullish() }).loose()),
}).loose();

/** The zone's A, AAAA and CNAME records. */
export async function readDns(ctx: OpContext, zone: string | undefined): Promise<{ zone: string; records: RecordView[] }> {
  const r = recordsSchema.parse(await ctx.invoke('dns.records', zone ? { zone } : {}));
  const records = r.records
    .filter((x) => x.type === 'A' || x.type === 'AAAA' || x.type === 'CNAME')
    .map((x) => ({
      name: x.name.toLowerCase().replace(/\.$/, ''), type: x.type, value: x.type === 'CNAME' ? x.value.toLowerCase() : canonicalAddress(x.value), disabled: x.disabled,
      app: x.app ?? null, labRecord: !x.app && isLabRecord(x.comments),
    }));
  return { zone: r.zone.toLowerCase(), records };
}

const hostsSchema = z.array(z.object({
  id: z.number(), domains: z.array(z.string()), forwardScheme: z.string(), forwardHost: z.string(), forwardPort: z.number(), enabled: z.boolean(), app: z.string().nullish(),
  certificate: z.object({ id: z.number(), daysLeft: z.number().nullable() }).loose().nullable().optional(),
  deletedCertificateId: z.number().nullable().optional(),
  sslForced: z.boolean().optional(), websockets: z.boolean().optional(), blockExploits: z.boolean().optional(),
}).loose());
const certsSchema = z.array(z.object({
  id: z.number(), name: z.string(), provider: z.string(), domains: z.array(z.string()), expiresOn: z.string().nullable(), daysLeft: z.number().nullable(), usedBy: z.array(z.string()),
  otherUses: z.array(z.string()),
  unknownUses: z.array(z.string()).default([]),
}).loose());

/**
 * Proxy hosts and certificates, each certificate with every host `proxy certs` counts as using
 * it: proxy hosts (`usedBy`), and redirection hosts, 404 hosts and streams (`otherUses`).
 */
export async function readProxy(ctx: OpContext): Promise<{ hosts: ProxyHostView[]; certificates: CertificateView[] }> {
  const [hosts, certs] = await Promise.all([
    ctx.invoke('proxy.list').then((r) => hostsSchema.parse(r)), ctx.invoke('proxy.certs').then((r) => certsSchema.parse(r)),
  ]);
  return {
    hosts: hosts.map((h) => ({
      id: h.id, domains: h.domains.map((d) => d.toLowerCase()), forwardScheme: h.forwardScheme, forwardHost: h.forwardHost, forwardPort: h.forwardPort, enabled: h.enabled, app: h.app ?? null,
      ...(h.certificate !== undefined ? { certificate: h.certificate && { id: h.certificate.id, daysLeft: h.certificate.daysLeft } } : {}),
      ...(h.deletedCertificateId !== undefined && h.deletedCertificateId !== null ? { deletedCertificateId: h.deletedCertificateId } : {}),
      ...(h.sslForced !== undefined ? { sslForced: h.sslForced } : {}),
      ...(h.websockets !== undefined ? { websockets: h.websockets } : {}),
      ...(h.blockExploits !== undefined ? { blockExploits: h.blockExploits } : {}),
    })),
    certificates: certs.map((c) => ({
      id: c.id, name: c.name, provider: c.provider, domains: c.domains, expiresOn: c.expiresOn, daysLeft: c.daysLeft, usedBy: c.usedBy.map((d) => d.toLowerCase()),
      otherUses: c.otherUses.map((u) => u.toLowerCase()), unknownUses: c.unknownUses,
    })),
  };
}

const listSchema = z.array(z.object({ id: z.number(), name: z.string(), type: z.string(), target: z.string(), active: z.boolean(), app: z.string().nullish() }).loose());
const statusSchema = z.object({ monitors: z.array(z.object({ id: z.number().nullable(), name: z.string(), type: z.string(), url: z.string().nullable(), hostname: z.string().nullable() }).loose()) }).loose();
const HTTP = new Set(['http', 'keyword', 'json-query', 'real-browser']);

/**
 * Every monitor, paused ones included (`kuma list`, which logs in); with only an API key
 * configured (`kuma list` refuses with a config error), the active ones from `kuma status`,
 * marked `activeOnly` (paused monitors, and monitors with no heartbeat yet, are not in it).
 */
export async function readKuma(ctx: OpContext): Promise<{ monitors: MonitorView[]; activeOnly: boolean }> {
  try {
    const monitors = listSchema.parse(await ctx.invoke('kuma.list')).map((m) => {
      const http = HTTP.has(m.type);
      return {
        id: m.id, name: m.name, type: m.type, url: http && m.target !== '-' ? m.target : null, hostname: !http && m.target !== '-' ? m.target.replace(/:\d+$/, '') : null, active: m.active,
        app: m.app ?? null,
      };
    });
    return { monitors, activeOnly: false };
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode !== 3) throw err;
    const monitors = statusSchema.parse(await ctx.invoke('kuma.status')).monitors.map((m) => ({ id: m.id, name: m.name, type: m.type, url: m.url, hostname: m.hostname, active: true }));
    return { monitors, activeOnly: true };
  }
}

const groupsSchema = z.object({ groups: z.array(z.object({ store: z.string(), ns: z.string().optional(), group: z.string(), lastBackup: z.number() }).loose()) }).loose();

/** A PBS backup group of a guest: `vm/…` (a VM) or `ct/…` (a container), with its newest snapshot. */
export interface PbsGuestGroup {
  type: 'qemu' | 'lxc';
  vmid: number;
  /** Unix time of its newest snapshot. */
  time: number;
  /** Its datastore. */
  store: string;
  /** Its namespace; empty: the root. */
  ns: string;
  where: string;
}

/** The `vm/…` and `ct/…` groups of every datastore and namespace `pbs status` reads (which count for a guest, `check-gather` decides). */
export async function readPbs(ctx: OpContext): Promise<PbsGuestGroup[]> {
  return groupsSchema.parse(await ctx.invoke('pbs.status')).groups.flatMap((g) => {
    const m = /^(vm|ct)\/(\d+)$/.exec(g.group);
    if (!m) return [];
    const where = `PBS ${g.store}${g.ns ? ` namespace ${g.ns}` : ''} (${g.group})`;
    return [{ type: m[1] === 'vm' ? 'qemu' as const : 'lxc' as const, vmid: Number(m[2]), time: g.lastBackup, store: g.store, ns: g.ns ?? '', where }];
  });
}

const systemsSchema = z.array(z.object({ name: z.string(), host: z.string(), status: z.string() }).loose());

/** Beszel's systems. */
export async function readBeszel(ctx: OpContext): Promise<SystemView[]> {
  return systemsSchema.parse(await ctx.invoke('beszel.systems')).map((s) => ({ name: s.name, host: canonicalAddress(s.host), status: s.status }));
}
