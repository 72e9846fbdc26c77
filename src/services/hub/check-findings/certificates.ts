/**
 * @module services/hub/check-findings/certificates
 * Certificates of the reverse proxy: expiring within `certWarnDays` (warning), within
 * `certErrorDays` or already expired (error). The fix depends on who issued it: NPM
 * requests a new Let's Encrypt certificate itself; a custom one must be uploaded. A
 * certificate no host uses (no proxy, redirection or 404 host, no stream: every use `proxy certs`
 * counts) serves nothing: it is a warning whatever its days, and its fix is to delete it (a new
 * certificate would leave it there, and the finding with it). One a redirection or 404 host or
 * a stream uses is renewed in NPM, in place (homelab's `proxy update --new-cert` gives one
 * proxy host a new one). The fix for one only proxy hosts use gives each of them a new one,
 * then deletes the old one, in one line.
 */
import { expiryWords } from '../../../core/cert-expiry.js';
import { findingKey, type CertificateView, type CheckFinding, type CheckThresholds } from './types.js';
import { shellWord } from '../../../core/shell-word.js';

/** Certificates expired or expiring within the warning window. */
export function expiringCertificates(certs: readonly CertificateView[], t: CheckThresholds): CheckFinding[] {
  return certs
    .filter((c) => c.daysLeft !== null && c.daysLeft <= t.certWarnDays)
    .map((c) => {
      const days = c.daysLeft as number;
      const uses = [...c.usedBy, ...c.otherUses];
      // Host types homelab's NPM account may not list: a certificate none of the others use may still be theirs, so it is never called unused.
      const hidden = c.unknownUses ?? [];
      const used = uses.length ? `, used by ${uses.join(', ')}` : hidden.length ? `, used by no host homelab can see (its NPM account may not list ${hidden.join(' or ')})` : ', used by no host';
      const unused = uses.length === 0 && hidden.length === 0;
      const users = uses.length ? `${uses.join(', ')} ${uses.length === 1 ? 'uses' : 'use'} it` : `${hidden.join(' or ')} that homelab's NPM account may not list may use it`;
      // A new certificate for one proxy host leaves the others on the old one: with a redirection or 404 host or a stream among them (or maybe among them), NPM renews it in place.
      // Each proxy host gets its own new certificate; the old one, then used by no host, is deleted in the same line (else its finding stays).
      const renew = c.otherUses.length === 0 && hidden.length === 0 ? `${c.usedBy.map((h) => `homelab proxy update ${shellWord(h)} --new-cert`).join(' && ')} && homelab proxy cert-delete ${c.id} (NPM renews Let's Encrypt certificates itself: see why it did not)`
        : `renew it in Nginx Proxy Manager: SSL Certificates, Renew Now (${users}; NPM renews Let's Encrypt certificates itself: see why it did not)`;
      return {
        key: findingKey('certificate-expiring', c.id), kind: 'certificate-expiring' as const,
        severity: days <= t.certErrorDays && !unused ? 'error' as const : 'warning' as const, subject: c.name,
        message: `certificate ${c.name} ${expiryWords(days)}${unused ? ', and no host uses it' : ''}`,
        evidence: [{ service: 'proxy', says: `certificate #${c.id} (${c.provider}) for ${c.domains.join(', ')} ${expiryWords(days)}${c.expiresOn ? ` (${c.expiresOn.slice(0, 10)})` : ''}${used}` }],
        fix: unused
          ? `homelab proxy cert-delete ${c.id} (no proxy, redirection or 404 host or stream uses it)`
          : c.provider === 'letsencrypt'
            ? renew
            : `upload a renewed certificate for ${c.domains.join(', ')} in Nginx Proxy Manager`,
      };
    });
}
