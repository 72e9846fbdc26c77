/**
 * @module services/pve/sim/routes/cluster
 * Cluster-wide and node routes: `/version`, `/nodes`, `/cluster/resources` (type filter
 * `vm`, `storage`, `node`, `sdn`), `/cluster/status` (node addresses),
 * `/nodes/{node}/status` (with the fields the handler
 * adds beyond the schema) and `/nodes/{node}/certificates/info`.
 */
import { X509Certificate } from 'node:crypto';
import { req, str, type RouteContext, type RouteTable } from '../context.js';
import { resourceEntry } from '../guest-view.js';
import { checkPrivs } from '../permissions.js';
import { nodeStats } from '../stats.js';
import type { SimNode } from '../state.js';

function nodeOf(ctx: RouteContext): SimNode {
  // The router already refused unknown nodes (hostname lookup), so this exists.
  return ctx.state.nodes.get(req(ctx, 'node')) as SimNode;
}

/** A node's name, status and (when online) load numbers, as `/nodes` and `/cluster/resources` show them. */
function nodeLine(ctx: RouteContext, n: SimNode): Record<string, unknown> {
  if (n.status === 'offline') return { node: n.name, status: 'offline' };
  const s = nodeStats(ctx.state, n, ctx.nowMs);
  return {
    node: n.name, status: n.status,
    cpu: s.cpu, maxcpu: s.maxcpu, mem: s.mem, maxmem: s.maxmem, disk: s.disk, maxdisk: s.maxdisk, uptime: s.uptime,
  };
}

function resources(ctx: RouteContext): Record<string, unknown>[] {
  const type = str(ctx, 'type');
  const out: Record<string, unknown>[] = [];
  const online = (node: string): boolean => ctx.state.nodes.get(node)?.status !== 'offline';
  if (!type || type === 'node') {
    for (const n of ctx.state.nodes.values()) out.push({ id: `node/${n.name}`, type: 'node', level: '', 'cgroup-mode': 2, ...nodeLine(ctx, n) });
  }
  if (!type || type === 'vm') {
    for (const g of [...ctx.state.guests.values()].sort((a, b) => a.vmid - b.vmid)) {
      if (checkPrivs(ctx.identity, `/vms/${g.vmid}`, ['VM.Audit'], false, true)) out.push(resourceEntry(g, ctx.nowMs, online(g.node)));
    }
  }
  if (!type || type === 'storage') {
    for (const s of ctx.state.storages) {
      for (const node of s.nodes) {
        out.push({
          id: `storage/${node}/${s.storage}`, type: 'storage', storage: s.storage, node, status: online(node) ? 'available' : 'unknown',
          content: [...s.content].sort().join(','), plugintype: s.type, shared: s.shared ? 1 : 0,
          disk: s.used[node] ?? 0, maxdisk: s.total[node] ?? 0,
        });
      }
    }
  }
  if (!type || type === 'sdn') {
    for (const n of ctx.state.nodes.values()) {
      out.push({ id: `sdn/${n.name}/localnetwork`, type: 'sdn', sdn: 'localnetwork', node: n.name, status: online(n.name) ? 'ok' : 'unknown' });
    }
  }
  return out;
}

function nodeStatus(ctx: RouteContext): Record<string, unknown> {
  const n = nodeOf(ctx);
  const s = nodeStats(ctx.state, n, ctx.nowMs);
  const { version, repoid } = ctx.state.version;
  const swapTotal = 8 * 1024 ** 3;
  return {
    cpu: s.cpu, wait: 0.0012, idle: 0, uptime: s.uptime, loadavg: s.loadavg,
    cpuinfo: { model: n.cpuModel, cores: n.cores, cpus: n.cores * 2, sockets: 1, mhz: '3400.000', hvm: '1', user_hz: 100, flags: 'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc rep_good nopl cpuid pni ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm avx2 bmi1 bmi2' },
    memory: { total: s.maxmem, used: s.mem, free: s.maxmem - s.mem, available: s.maxmem - s.mem },
    swap: { total: swapTotal, used: 0, free: swapTotal },
    ksm: { shared: 0 },
    rootfs: { total: s.maxdisk, used: s.disk, free: s.maxdisk - s.disk, avail: Math.round((s.maxdisk - s.disk) * 0.95) },
    pveversion: `pve-manager/${version}/${repoid}`,
    kversion: `Linux ${ctx.state.kernel.release} ${ctx.state.kernel.version}`,
    'current-kernel': { sysname: 'Linux', release: ctx.state.kernel.release, version: ctx.state.kernel.version, machine: 'x86_64' },
    'boot-info': { mode: 'efi', secureboot: 0 },
  };
}

function certificates(ctx: RouteContext): Record<string, unknown>[] {
  const n = nodeOf(ctx);
  const root = {
    filename: 'pve-root-ca.pem', issuer: '/CN=Proxmox Virtual Environment/OU=homelab/O=PVE Cluster Manager CA',
    subject: '/CN=Proxmox Virtual Environment/OU=homelab/O=PVE Cluster Manager CA', 'public-key-type': 'rsaEncryption',
    'public-key-bits': 4096, notbefore: n.bootedAt - 700 * 86_400, notafter: n.bootedAt + 3_000 * 86_400,
    fingerprint: '8F:3C:91:0A:5E:77:21:B4:C6:0D:E2:19:4A:83:F5:6B:2C:9E:71:D0:48:A6:3F:15:BC:E9:02:7D:64:58:A1:CE',
  };
  if (n.fingerprint !== ctx.cert.fingerprint) {
    return [root, { filename: 'pve-ssl.pem', fingerprint: n.fingerprint, subject: `/OU=PVE Cluster Node/O=Proxmox Virtual Environment/CN=${n.name}.home.lan`, issuer: root.subject, san: [`${n.name}.home.lan`, n.ip, '127.0.0.1', 'localhost'] }];
  }
  const x = new X509Certificate(ctx.cert.pem);
  const slash = (dn: string): string => `/${dn.split('\n').join('/')}`;
  const san = (x.subjectAltName ?? '').split(', ').map((e) => e.replace(/^(DNS|IP Address):/, '')).filter(Boolean);
  return [root, {
    filename: 'pve-ssl.pem', fingerprint: x.fingerprint256, subject: slash(x.subject), issuer: slash(x.issuer),
    notbefore: Math.floor(Date.parse(x.validFrom) / 1000), notafter: Math.floor(Date.parse(x.validTo) / 1000),
    san, pem: ctx.cert.pem, 'public-key-type': x.publicKey.asymmetricKeyType === 'ec' ? 'id-ecPublicKey' : 'rsaEncryption',
    'public-key-bits': x.publicKey.asymmetricKeyType === 'ec' ? 256 : 2048,
  }];
}

/** `GET /cluster/status`: the cluster entry, then one entry per node with its address (PVE sends 0/1 for the booleans). */
function clusterStatus(ctx: RouteContext): Record<string, unknown>[] {
  const nodes = [...ctx.state.nodes.values()];
  const online = nodes.filter((n) => n.status !== 'offline').length;
  return [
    { type: 'cluster', id: 'cluster', name: ctx.state.clusterName, nodes: nodes.length, quorate: online * 2 > nodes.length ? 1 : 0, version: nodes.length },
    ...nodes.map((n, i) => ({
      type: 'node', id: `node/${n.name}`, name: n.name, ip: n.ip, nodeid: i + 1, level: '',
      online: n.status === 'offline' ? 0 : 1, local: i === 0 ? 1 : 0,
    })),
  ];
}

/** The cluster and node routes. */
export const clusterRoutes: RouteTable = {
  'GET /version': (ctx) => ({ data: { ...ctx.state.version } }),
  'GET /nodes': (ctx) => ({
    data: [...ctx.state.nodes.values()].map((n) => ({ id: `node/${n.name}`, type: 'node', level: '', ssl_fingerprint: n.fingerprint, ...nodeLine(ctx, n) })),
  }),
  'GET /cluster/resources': (ctx) => ({ data: resources(ctx) }),
  'GET /cluster/status': (ctx) => ({ data: clusterStatus(ctx) }),
  'GET /nodes/{node}/status': (ctx) => ({ data: nodeStatus(ctx) }),
  'GET /nodes/{node}/certificates/info': (ctx) => ({ data: certificates(ctx) }),
};
