/**
 * @module services/proxy/operations-certs
 * Certificates by what they cover: `proxy cert-for <domain>` finds the certificate that
 * serves a name (exactly, or through a one-label wildcard such as `*.home.lan`), and
 * `proxy cert-request <domains>` asks NPM for a Let's Encrypt certificate (certbot runs
 * while the call waits). `proxy cert-delete <id>` removes one (hosts using it lose TLS,
 * so it asks first and names them).
 */
import { z } from 'zod';
import { covers } from '../../core/cert-names.js';
import { ApiError, OperationError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { fields, text } from '../../core/render.js';
import { proxyClientFactory } from './factory.js';
import { certificateRef, daysCell, type CertificateRef } from './hosts-view.js';
import { domainsSchema, isProxyDomain } from './inputs.js';
import { shownDomains } from './operations-hosts.js';
import type { NpmCertificate } from './schemas.js';

/** The certificate to use for `domain`: covering it, not expired, expiring last (an exact name wins a tie). */
export function bestCertificate(certs: readonly NpmCertificate[], domain: string, now = Date.now()): CertificateRef | null {
  const candidates = certs
    .filter((c) => c.domain_names.some((n) => covers(n, domain)))
    .map((c) => ({ ref: certificateRef(c, now), exact: c.domain_names.some((n) => n.toLowerCase() === domain.toLowerCase()) }))
    .filter((c) => c.ref.daysLeft === null || c.ref.daysLeft > 0)
    .sort((a, b) => (b.ref.daysLeft ?? 0) - (a.ref.daysLeft ?? 0) || Number(b.exact) - Number(a.exact));
  return candidates[0]?.ref ?? null;
}

/** JSON shape of `proxy cert-for`. */
export interface ProxyCertFor {
  domain: string;
  /** The certificate that covers it (null: none does). */
  certificate: CertificateRef | null;
}

const domainSchema = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => isProxyDomain(v) && !v.startsWith('*.'), { message: 'must be a fully qualified host name like wiki.home.lan' })
  .describe('host name to find a certificate for');

/** `proxy cert-for <domain>`. */
export const proxyCertFor = defineOperation({
  id: 'proxy.cert-for',
  summary: 'Find the certificate that covers a name (exactly or by wildcard), expiring last',
  args: ['domain'],
  input: z.object({ domain: domainSchema }),
  risk: 'read',
  examples: ['proxy cert-for wiki.home.lan', 'proxy cert-for git.home.lan --json'],
  async run(ctx, input): Promise<ProxyCertFor> {
    const client = await ctx.client(proxyClientFactory);
    return { domain: input.domain, certificate: bestCertificate(await client.certificates(ctx.signal), input.domain) };
  },
  render: (r) => [r.certificate
    ? fields([['domain', r.domain], ['certificate', `${r.certificate.name} (#${r.certificate.id}, ${r.certificate.provider})`], ['expires', daysCell(r.certificate.daysLeft)]])
    : text(`no certificate covers ${r.domain}`, 'dim')],
});

/** `proxy cert-request <domains>`. */
export const proxyCertRequest = defineOperation({
  id: 'proxy.cert-request',
  summary: "Request a Let's Encrypt certificate through NPM (HTTP-01; takes a while)",
  args: ['domains'],
  input: z.object({ domains: domainsSchema }),
  risk: 'change',
  timeoutMs: 330_000,
  examples: ['proxy cert-request wiki.home.lan'],
  confirm: (input) => `Request a Let's Encrypt certificate for ${shownDomains(input.domains)} (NPM asks Let's Encrypt; takes a while)`,
  async run(ctx, input): Promise<CertificateRef> {
    const client = await ctx.client(proxyClientFactory);
    ctx.progress("requesting a Let's Encrypt certificate");
    try {
      return certificateRef(await client.requestCertificate(input.domains, ctx.signal));
    } catch (err) {
      if (err instanceof ApiError && err.status === 500) {
        throw new OperationError("Let's Encrypt did not issue a certificate (NPM answered 500; nothing was stored)",
          'the domains must resolve publicly to this NPM with port 80 reachable; or use an existing certificate (homelab proxy certs)');
      }
      throw err;
    }
  },
  render: (c) => [text(`certificate #${c.id} issued for ${c.name}`, 'ok'), fields([['expires', daysCell(c.daysLeft)]])],
});

/** JSON shape of `proxy cert-delete`. */
export interface ProxyCertDeleted {
  id: number;
  name: string;
  /** Domains of the proxy hosts that used it (they now have no TLS). */
  usedBy: string[];
  deleted: true;
}

/** `proxy cert-delete <id>`. */
export const proxyCertDelete = defineOperation({
  id: 'proxy.cert-delete',
  summary: 'Delete a certificate (hosts using it lose TLS)',
  args: ['id'],
  input: z.object({ id: z.number({ error: 'id must be a certificate id (see homelab proxy certs)' }).int().min(1).describe('certificate id') }),
  risk: 'danger',
  examples: ['proxy cert-delete 12'],
  confirm: (input) => `Delete certificate #${input.id} (proxy hosts using it lose TLS)`,
  async run(ctx, input): Promise<ProxyCertDeleted> {
    const client = await ctx.client(proxyClientFactory);
    const [certs, hosts] = await Promise.all([client.certificates(ctx.signal), client.proxyHosts(ctx.signal)]);
    const cert = certs.find((c) => c.id === input.id);
    if (!cert) throw new OperationError(`NPM has no certificate #${input.id}`, 'homelab proxy certs lists them');
    await client.deleteCertificate(cert.id, ctx.signal);
    const usedBy = hosts.filter((h) => Number(h.certificate_id) === cert.id).map((h) => h.domain_names[0] ?? String(h.id));
    return { id: cert.id, name: certificateRef(cert).name, usedBy, deleted: true };
  },
  render: (r) => [text(`deleted certificate #${r.id} (${r.name})${r.usedBy.length ? `; no TLS now on ${r.usedBy.join(', ')}` : ''}`, 'ok')],
});
