/**
 * @module services/proxy/operations-certs
 * Certificates by what they cover: `proxy cert-for <domain>` finds the certificate that
 * serves a name (exactly, or through a one-label wildcard such as `*.home.lan`), and
 * `proxy cert-request <domains>` asks NPM for a Let's Encrypt certificate (certbot runs
 * while the call waits; HTTP-01 only, so no wildcard). `proxy cert-delete <id>` removes one:
 * NPM soft-deletes it (and revokes a Let's Encrypt one) without touching the proxy,
 * redirection or 404 hosts and streams that use it, so it asks first and names them.
 */
import { z } from 'zod';
import { covers } from '../../core/cert-names.js';
import { ApiError, OperationError } from '../../core/errors.js';
import { defineOperation, type OpContext } from '../../core/operation.js';
import { fields, text } from '../../core/render.js';
import { allUses, readCertificateUses, type CertificateUses } from './cert-uses.js';
import { proxyClientFactory } from './factory.js';
import { certificateRef, daysCell, type CertificateRef } from './hosts-view.js';
import { domainsSchema, isProxyDomain, refuseWildcardForLetsEncrypt } from './inputs.js';
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
  summary: "Request a Let's Encrypt certificate through NPM (HTTP-01, so no wildcards; takes a while)",
  args: ['domains'],
  input: z.object({ domains: domainsSchema }),
  risk: 'change',
  timeoutMs: 330_000,
  examples: ['proxy cert-request wiki.home.lan'],
  confirm: (input) => `Request a Let's Encrypt certificate for ${shownDomains(input.domains)} (NPM asks Let's Encrypt; takes a while)`,
  async run(ctx, input): Promise<CertificateRef> {
    refuseWildcardForLetsEncrypt(input.domains);
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
export interface ProxyCertDeleted extends CertificateUses {
  id: number;
  name: string;
  provider: string;
  /** Let's Encrypt certificates: NPM also asks Let's Encrypt to revoke it. */
  revoked: boolean;
  deleted: true;
}

const certIdInput = z.object({ id: z.number({ error: 'id must be a certificate id (see homelab proxy certs)' }).int().min(1).describe('certificate id') });

/** The certificate and the hosts that name it, or a clear error when NPM has no such certificate. */
async function certificateAndUses(ctx: OpContext, id: number): Promise<{ cert: NpmCertificate; uses: CertificateUses; unread: string[] }> {
  const client = await ctx.client(proxyClientFactory);
  const [certs, usesOf] = await Promise.all([client.certificates(ctx.signal), readCertificateUses(client, ctx.signal)]);
  const cert = certs.find((c) => c.id === id);
  if (!cert) throw new OperationError(`NPM has no certificate #${id}`, 'homelab proxy certs lists them');
  return { cert, uses: usesOf(cert.id), unread: usesOf.unread };
}

const LEFT_AS_THEY_ARE = 'NPM leaves them as they are, still naming the deleted certificate';

/** How to move the hosts off it: `proxy update` for proxy hosts, NPM itself for the other kinds. */
function moveThem(uses: CertificateUses): string {
  const where = [
    ...(uses.usedBy.length ? ['homelab proxy update <host> --cert <id>'] : []),
    ...(uses.otherUses.length ? ['in NPM for redirection hosts, 404 hosts and streams'] : []),
  ];
  return `(${where.join('; ')})`;
}

/** `proxy cert-delete <id>`. */
export const proxyCertDelete = defineOperation({
  id: 'proxy.cert-delete',
  summary: "Delete a certificate (NPM revokes a Let's Encrypt one; hosts using it keep naming it)",
  args: ['id'],
  input: certIdInput,
  risk: 'danger',
  examples: ['proxy cert-delete 12'],
  confirm: (input) => `Delete certificate #${input.id} (NPM revokes a Let's Encrypt one; hosts using it are left naming it)`,
  async preview(ctx, input) {
    const { cert, uses, unread } = await certificateAndUses(ctx, input.id);
    const used = allUses(uses);
    return [
      `Delete certificate #${cert.id} (${certificateRef(cert).name})${cert.provider === 'letsencrypt' ? "; NPM also revokes it with Let's Encrypt" : ''}`,
      used.length ? `still used by ${used.join(', ')}: ${LEFT_AS_THEY_ARE}; move them to another certificate first ${moveThem(uses)}` : 'no host uses it',
      ...(unread.length ? [`(the NPM account may not list ${unread.join(' or ')}: their uses are not known)`] : []),
    ];
  },
  async run(ctx, input): Promise<ProxyCertDeleted> {
    const { cert, uses } = await certificateAndUses(ctx, input.id);
    const client = await ctx.client(proxyClientFactory);
    await client.deleteCertificate(cert.id, ctx.signal);
    return { id: cert.id, name: certificateRef(cert).name, provider: cert.provider, ...uses, revoked: cert.provider === 'letsencrypt', deleted: true };
  },
  render: (r) => {
    const used = allUses(r);
    return [
      text(`deleted certificate #${r.id} (${r.name})${r.revoked ? "; NPM asked Let's Encrypt to revoke it" : ''}`, 'ok'),
      ...(used.length ? [text(`still named by ${used.join(', ')}: ${LEFT_AS_THEY_ARE}; give them another certificate ${moveThem(r)}`, 'warn')] : []),
    ];
  },
});
