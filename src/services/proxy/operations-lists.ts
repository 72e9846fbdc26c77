/**
 * @module services/proxy/operations-lists
 * Listings: `proxy certs` (sorted by expiry, never `meta`, which holds private keys; each
 * with the proxy, redirection and 404 hosts and streams that use it),
 * `proxy redirects`, `proxy streams`, `proxy dead-hosts`, `proxy access-lists`.
 */
import { z } from 'zod';
import { defineChartedOperation } from '../../core/chart.js';
import { defineOperation } from '../../core/operation.js';
import { table, toned } from '../../core/render.js';
import { certificateTimeline } from './cert-timeline.js';
import { allUses, readCertificateUses, type CertificateUses } from './cert-uses.js';
import { proxyClientFactory } from './factory.js';
import { certificateRef, daysCell, onlineCell, type CertificateRef } from './hosts-view.js';

/** JSON shape of one `proxy certs` entry. */
export interface ProxyCertificate extends CertificateRef, CertificateUses {
  domains: string[];
  /** Host types the NPM account may not list (`streams`, …): their uses of it are unknown. */
  unknownUses: string[];
}

/** `proxy certs`. */
export const proxyCerts = defineChartedOperation({
  id: 'proxy.certs',
  summary: 'List certificates with provider, domains and days to expiry, soonest first',
  input: z.object({}),
  risk: 'read',
  pages: true,
  examples: ['proxy certs', 'proxy certs --json'],
  async run(ctx): Promise<ProxyCertificate[]> {
    const client = await ctx.client(proxyClientFactory);
    const [certs, usesOf] = await Promise.all([client.certificates(ctx.signal), readCertificateUses(client, ctx.signal)]);
    const now = Date.now();
    return certs
      .map((c) => ({ ...certificateRef(c, now), domains: c.domain_names, ...usesOf(c.id), unknownUses: [...usesOf.unread] }))
      .sort((a, b) => (a.expiresOn ?? '9999').localeCompare(b.expiresOn ?? '9999'));
  },
  chart: (certs) => certificateTimeline(certs),
  overview: {},
  render: (certs) => [
    table(['id>', 'name', 'provider', 'expires', 'left>', 'used by'], certs.map((c) => [
      c.id, c.name, c.provider, c.expiresOn?.slice(0, 10) ?? '-', daysCell(c.daysLeft), allUses(c).join(', ') || (c.unknownUses.length ? toned(`none seen (${c.unknownUses.join(', ')} not readable)`, 'warn') : toned('unused', 'dim')),
    ]), { empty: 'no certificates' }),
  ],
});

/** JSON shape of one `proxy redirects` entry. */
export interface ProxyRedirect {
  id: number;
  domains: string[];
  /** `auto`, `http` or `https`. */
  forwardScheme: string;
  forwardDomain: string;
  httpCode: number;
  preservePath: boolean;
  /** Its certificate's id (0: none). */
  certificateId: number;
  enabled: boolean;
  online: boolean | null;
}

/** `proxy redirects`. */
export const proxyRedirects = defineOperation({
  id: 'proxy.redirects',
  summary: 'List redirection hosts',
  input: z.object({}),
  risk: 'read',
  examples: ['proxy redirects', 'proxy redirects --json'],
  pages: true,
  async run(ctx): Promise<ProxyRedirect[]> {
    const client = await ctx.client(proxyClientFactory);
    return (await client.redirectionHosts(ctx.signal)).map((r) => ({
      id: r.id, domains: r.domain_names, forwardScheme: r.forward_scheme, forwardDomain: r.forward_domain_name, httpCode: r.forward_http_code,
      preservePath: Boolean(r.preserve_path), certificateId: Number(r.certificate_id ?? 0), enabled: r.enabled, online: r.meta?.nginx_online ?? null,
    }));
  },
  render: (list) => [table(['id>', 'domains', 'to', 'code>', 'state'], list.map((r) => [
    r.id, r.domains.join(', '), `${r.forwardScheme === 'auto' ? '' : `${r.forwardScheme}://`}${r.forwardDomain}${r.preservePath ? '/…' : ''}`, r.httpCode, onlineCell(r),
  ]), { empty: 'no redirection hosts' })],
});

/** JSON shape of one `proxy streams` entry. */
export interface ProxyStream {
  id: number;
  incomingPort: number;
  forwardingHost: string;
  forwardingPort: number;
  tcp: boolean;
  udp: boolean;
  enabled: boolean;
  online: boolean | null;
}

/** `proxy streams`. */
export const proxyStreams = defineOperation({
  id: 'proxy.streams',
  summary: 'List TCP/UDP streams',
  input: z.object({}),
  risk: 'read',
  examples: ['proxy streams', 'proxy streams --json'],
  pages: true,
  async run(ctx): Promise<ProxyStream[]> {
    const client = await ctx.client(proxyClientFactory);
    return (await client.streams(ctx.signal)).map((s) => ({
      id: s.id, incomingPort: s.incoming_port, forwardingHost: s.forwarding_host, forwardingPort: s.forwarding_port,
      tcp: Boolean(s.tcp_forwarding), udp: Boolean(s.udp_forwarding), enabled: s.enabled, online: s.meta?.nginx_online ?? null,
    }));
  },
  render: (list) => [table(['id>', 'port>', 'to', 'protocols', 'state'], list.map((s) => [
    s.id, s.incomingPort, `${s.forwardingHost}:${s.forwardingPort}`, [s.tcp && 'tcp', s.udp && 'udp'].filter(Boolean).join('+') || '-', onlineCell(s),
  ]), { empty: 'no streams' })],
});

/** JSON shape of one `proxy dead-hosts` entry. */
export interface ProxyDeadHost {
  id: number;
  domains: string[];
  certificateId: number;
  enabled: boolean;
  online: boolean | null;
}

/** `proxy dead-hosts`. */
export const proxyDeadHosts = defineOperation({
  id: 'proxy.dead-hosts',
  summary: 'List 404 hosts',
  input: z.object({}),
  risk: 'read',
  examples: ['proxy dead-hosts', 'proxy dead-hosts --json'],
  pages: true,
  async run(ctx): Promise<ProxyDeadHost[]> {
    const client = await ctx.client(proxyClientFactory);
    return (await client.deadHosts(ctx.signal)).map((d) => ({
      id: d.id, domains: d.domain_names, certificateId: Number(d.certificate_id ?? 0), enabled: d.enabled, online: d.meta?.nginx_online ?? null,
    }));
  },
  render: (list) => [table(['id>', 'domains', 'state'], list.map((d) => [d.id, d.domains.join(', '), onlineCell(d)]), { empty: 'no 404 hosts' })],
});

/** JSON shape of one `proxy access-lists` entry (user names only, never passwords or hints). */
export interface ProxyAccessList {
  id: number;
  name: string;
  satisfyAny: boolean;
  passAuth: boolean;
  users: string[];
  clients: { address: string; directive: string }[];
  proxyHostCount: number | null;
}

/** `proxy access-lists`. */
export const proxyAccessLists = defineOperation({
  id: 'proxy.access-lists',
  summary: 'List access lists with their users and client rules',
  input: z.object({}),
  risk: 'read',
  examples: ['proxy access-lists', 'proxy access-lists --json'],
  pages: true,
  async run(ctx): Promise<ProxyAccessList[]> {
    const client = await ctx.client(proxyClientFactory);
    return (await client.accessLists(ctx.signal)).map((a) => ({
      id: a.id, name: a.name, satisfyAny: Boolean(a.satisfy_any), passAuth: Boolean(a.pass_auth),
      users: (a.items ?? []).map((i) => i.username), clients: a.clients ?? [], proxyHostCount: a.proxy_host_count ?? null,
    }));
  },
  render: (list) => [table(['id>', 'name', 'users', 'clients', 'satisfy', 'hosts>'], list.map((a) => [
    a.id, a.name, a.users.join(', ') || '-', a.clients.map((c) => `${c.directive} ${c.address}`).join(', ') || '-', a.satisfyAny ? 'any' : 'all', a.proxyHostCount ?? '-',
  ]), { empty: 'no access lists' })],
});
