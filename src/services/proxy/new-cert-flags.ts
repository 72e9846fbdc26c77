/**
 * @module services/proxy/new-cert-flags
 * What NPM drops on a create with `certificate_id: "new"`. It stores the host before certbot
 * runs, with no certificate yet, so it turns `ssl_forced`, `http2_support` and HSTS off; once
 * the certificate is issued it sets only `certificate_id`, and the flags stay off (upstream
 * issues #516, #3737, #3956; the fact sheet does not say so). An update with `"new"` keeps them:
 * NPM sets the certificate before it checks them. After such a create this compares the host
 * NPM returned with what was asked and sends one update with the flags it lost.
 */
import { HomelabError, OperationError, type ExitCodeValue } from '../../core/errors.js';
import type { NpmClient, ProxyHostBody } from './client.js';
import type { NpmProxyHost } from './schemas.js';

const TLS_FLAGS = [
  ['ssl_forced', 'forced HTTPS', '--force-ssl'],
  ['http2_support', 'HTTP/2', '--http2'],
  ['hsts_enabled', 'HSTS', null],
  ['hsts_subdomains', 'HSTS for subdomains', null],
] as const;

/** The asked-for TLS flags a created host does not have: the body of the update that sets them, or null when none is missing. */
export function lostTlsFlags(asked: ProxyHostBody, host: NpmProxyHost): ProxyHostBody | null {
  const lost: ProxyHostBody = {};
  for (const [field] of TLS_FLAGS) {
    const want = asked[field];
    if (want !== undefined && Boolean(host[field]) !== want) lost[field] = want;
  }
  return Object.keys(lost).length ? lost : null;
}

/**
 * After `createProxyHost(asked)`: when `asked` requested a new certificate and NPM left off a
 * TLS flag it was given, sets the flags with one update and returns the updated host. When that
 * update fails, the error names the host (which exists, with its certificate) and the command
 * that sets the flags, with the failure's exit code.
 */
export async function restoreTlsFlags(client: NpmClient, asked: ProxyHostBody, created: NpmProxyHost, signal: AbortSignal): Promise<NpmProxyHost> {
  if (asked.certificate_id !== 'new') return created;
  const lost = lostTlsFlags(asked, created);
  if (!lost) return created;
  try {
    return await client.updateProxyHost(created.id, lost, signal);
  } catch (err) {
    const names = TLS_FLAGS.filter(([field]) => field in lost).map(([, name]) => name);
    const options = TLS_FLAGS.filter(([field]) => lost[field] === true).map(([, , option]) => option).filter((o) => o !== null);
    const why = err instanceof Error ? err.message : String(err);
    const code: ExitCodeValue | undefined = err instanceof HomelabError ? err.exitCode : undefined;
    throw new OperationError(
      `NPM created proxy host #${created.id} for ${created.domain_names.join(', ')} with its new certificate but without ${names.join(', ')} (NPM turns these off on a create with a new certificate), and setting them failed: ${why}`,
      `set them: homelab proxy update ${created.id} ${options.join(' ')}`.trimEnd(), undefined, undefined, code);
  }
}
