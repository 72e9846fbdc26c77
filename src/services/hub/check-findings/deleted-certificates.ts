/**
 * @module services/hub/check-findings/deleted-certificates
 * Proxy hosts that still name a certificate NPM deleted (`proxy cert-delete` leaves the hosts
 * using one as they are, as NPM does): `proxy list` shows `#6 deleted` in red and `proxy show`
 * says to give the host a certificate. nginx keeps serving the old config until the host is
 * next saved, then serves it without TLS. With HTTPS forced, every visitor is sent to HTTPS
 * on a certificate that is gone (and revoked, for a Let's Encrypt one): an error; otherwise a
 * warning. Only enabled hosts count (a disabled one serves nothing). The fix gives the host a
 * certificate that covers its names (the one expiring last), or a new one; for an exposed app,
 * `expose` with its options as they are and `--cert auto`.
 */
import { covers } from '../../../core/cert-names.js';
import { exposeLine, type ExposeFacts } from './expose-fix.js';
import { probeKey } from './proxy.js';
import { findingKey, type CertificateView, type CheckFinding, type ProxyHostView } from './types.js';
import { shellWord } from '../../../core/shell-word.js';

/** The certificate to give a host: one covering all its names, not expired, expiring last; null when none does. */
export function certificateFor(h: ProxyHostView, certificates: readonly CertificateView[]): CertificateView | null {
  const fitting = certificates
    .filter((c) => c.daysLeft === null || c.daysLeft > 0)
    .filter((c) => h.domains.length > 0 && h.domains.every((d) => c.domains.some((n) => covers(n, d))))
    .sort((a, b) => (b.daysLeft ?? 0) - (a.daysLeft ?? 0));
  return fitting[0] ?? null;
}

/** Enabled proxy hosts naming a certificate NPM deleted: an error with HTTPS forced, else a warning. */
export function hostsWithDeletedCertificate(
  hosts: readonly ProxyHostView[], certificates: readonly CertificateView[] | undefined, facts: ExposeFacts,
): CheckFinding[] {
  return hosts.filter((h) => h.enabled && h.deletedCertificateId !== undefined).map((h) => {
    const domain = h.domains[0] ?? `#${h.id}`;
    const id = h.deletedCertificateId as number;
    const forced = h.sslForced === true;
    const other = certificates ? certificateFor(h, certificates) : null;
    const give = other ? `--cert ${other.id}` : '--new-cert';
    const fix = h.app
      ? `${exposeLine({ ...h, app: h.app }, probeKey(h.forwardHost, h.forwardPort), facts)} (gives it a certificate that covers the name, the app's other options as they are)`
      : `homelab proxy update ${shellWord(domain)} ${give} (${other ? `certificate #${other.id}, ${other.name}, covers it; or --new-cert` : 'a new Let\'s Encrypt certificate; or --cert <id>'}, or --cert 0 for none)`;
    return {
      key: findingKey('proxy-certificate-deleted', domain), kind: 'proxy-certificate-deleted' as const, severity: forced ? 'error' as const : 'warning' as const, subject: domain,
      message: `${domain} still names certificate #${id}, which was deleted in NPM${forced ? ', with HTTPS forced' : ''}`,
      evidence: [{
        service: 'proxy',
        says: `proxy host #${h.id} (${h.domains.join(', ')}) names certificate #${id}, which NPM no longer has${forced ? '; HTTPS is forced' : ''}: NPM rewrites its nginx config, without TLS, only when the host is next saved`,
      }],
      fix,
    };
  });
}
