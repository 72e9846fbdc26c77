/**
 * @module services/hub/check-findings/certificates
 * Certificates of the reverse proxy: expiring within `certWarnDays` (warning), within
 * `certErrorDays` or already expired (error). The fix depends on who issued it: NPM
 * requests a new Let's Encrypt certificate itself; a custom one must be uploaded. A
 * certificate no proxy host uses serves nothing: it is a warning whatever its days, and its
 * fix is to delete it (a new certificate would leave it there, and the finding with it).
 */
import { expiryWords } from '../../../core/cert-expiry.js';
import { findingKey, type CertificateView, type CheckFinding, type CheckThresholds } from './types.js';

/** Certificates expired or expiring within the warning window. */
export function expiringCertificates(certs: readonly CertificateView[], t: CheckThresholds): CheckFinding[] {
  return certs
    .filter((c) => c.daysLeft !== null && c.daysLeft <= t.certWarnDays)
    .map((c) => {
      const days = c.daysLeft as number;
      const domain = c.domains[0] ?? c.name;
      const used = c.usedBy.length ? `, used by ${c.usedBy.join(', ')}` : ', used by no proxy host';
      const unused = c.usedBy.length === 0;
      return {
        key: findingKey('certificate-expiring', c.id), kind: 'certificate-expiring' as const,
        severity: days <= t.certErrorDays && !unused ? 'error' as const : 'warning' as const, subject: c.name,
        message: `certificate ${c.name} ${expiryWords(days)}${unused ? ', and no proxy host uses it' : ''}`,
        evidence: [{ service: 'proxy', says: `certificate #${c.id} (${c.provider}) for ${c.domains.join(', ')} ${expiryWords(days)}${c.expiresOn ? ` (${c.expiresOn.slice(0, 10)})` : ''}${used}` }],
        fix: unused
          ? `homelab proxy cert-delete ${c.id} (no proxy host uses it; a redirection host that does would lose TLS)`
          : c.provider === 'letsencrypt'
            ? `homelab proxy update ${c.usedBy[0] ?? domain} --new-cert (NPM renews Let's Encrypt certificates itself: see why it did not)`
            : `upload a renewed certificate for ${c.domains.join(', ')} in Nginx Proxy Manager`,
      };
    });
}
