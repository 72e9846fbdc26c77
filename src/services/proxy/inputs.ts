/**
 * @module services/proxy/inputs
 * Input schemas of the proxy operations: domain lists (`a.home.lan,b.home.lan`, a
 * leading `*.` allowed), forward targets (`host:port`, `[v6]:port`), and a host named
 * by id or by one of its domains. All checked before anything is sent.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { commaList } from '../../core/comma-list.js';
import { UsageError } from '../../core/errors.js';
import { isHostname } from '../../core/validate.js';

/** Whether `d` is a domain NPM can serve: an RFC 1123 name, optionally `*.` first. */
export function isProxyDomain(d: string): boolean {
  const name = d.startsWith('*.') ? d.slice(2) : d;
  return name.includes('.') && !name.endsWith('.') && isHostname(name);
}

/** Comma-separated domains → a lower-case, de-duplicated list (`--domains` may be repeated: core/comma-list). */
export const domainsSchema = commaList(z
  .string()
  .transform((v) => [...new Set(v.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean))])
  .refine((list) => list.length > 0 && list.length <= 100, { message: 'give 1 to 100 domains, comma-separated' })
  .refine((list) => list.every(isProxyDomain), { message: 'each domain must be a fully qualified host name like app.home.lan (a leading *. is allowed)' })
  .describe('domain names, comma-separated'));

/** A forward target. */
export interface ForwardTarget {
  host: string;
  port: number;
}

/** `host:port` (IPv6 in brackets) → `{ host, port }`. */
export const targetSchema = z
  .string()
  .transform((v, ctx): ForwardTarget => {
    const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(v.trim());
    const host = m?.[1] ?? m?.[2] ?? '';
    const port = Number(m?.[3]);
    const hostOk = m?.[1] ? isIPv6(host) : isIPv4(host) || isHostname(host);
    if (!m || !hostOk || !Number.isInteger(port) || port < 1 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: 'must be host:port, e.g. 10.5.0.12:3000 or app.lan:8080 ([v6]:port for IPv6); port 1-65535' });
      return z.NEVER;
    }
    return { host: host.toLowerCase(), port };
  })
  .describe('where to forward: host:port');

/** A proxy host by id (a number) or by one of its domains. */
export const hostRefSchema = z
  .string()
  .refine((v) => /^\d{1,9}$/.test(v) || isProxyDomain(v.toLowerCase()), { message: 'must be a proxy host id (a number) or one of its domains' })
  .describe('proxy host id or domain');

/** A certificate id. */
export const certIdSchema = z.number({ error: 'cert must be a certificate id (see homelab proxy certs)' }).int().min(1).describe('use this certificate (id from proxy certs)');

/** An access list id (0 = public). */
export const accessListIdSchema = z.number({ error: 'access-list must be an access list id' }).int().min(0).describe('restrict with this access list (id from proxy access-lists; 0 = public)');

/**
 * Refuses a wildcard before a Let's Encrypt request is sent: homelab asks for HTTP-01, and
 * Let's Encrypt issues wildcards only through DNS-01 (NPM would wait for certbot, then fail).
 */
export function refuseWildcardForLetsEncrypt(domains: readonly string[]): void {
  const wildcard = domains.find((d) => d.startsWith('*.'));
  if (wildcard) {
    throw new UsageError(`Let's Encrypt issues ${wildcard} only through a DNS challenge, and homelab requests certificates over HTTP (port 80)`,
      'use an existing wildcard certificate (homelab proxy certs, then --cert <id>), or request one in NPM with a DNS challenge');
  }
}
