/**
 * The words for a certificate's remaining life, shared by `check` findings and `watch`
 * alerts (core/cert-expiry): singular and plural, today, and already expired.
 */
import { describe, expect, it } from 'vitest';
import { expiryWords } from '../../src/core/cert-expiry.js';
import { expiringCertificates } from '../../src/services/hub/check-findings/certificates.js';

describe('expiryWords', () => {
  it('words days left, today and days since expiry', () => {
    expect([30, 1, 0, -1, -12].map(expiryWords)).toEqual([
      'expires in 30 days', 'expires in 1 day', 'expires today', 'expired 1 day ago', 'expired 12 days ago',
    ]);
  });

  it('is what a check finding of an expiring certificate says', () => {
    const cert = { id: 7, name: 'git.home.lan', provider: 'letsencrypt', expiresOn: '2026-03-01T00:00:00Z', daysLeft: -2, domains: ['git.home.lan'], usedBy: ['git.home.lan'], otherUses: [] };
    const [finding] = expiringCertificates([cert], { certWarnDays: 14, certErrorDays: 3 });
    expect(finding?.message).toBe(`certificate git.home.lan ${expiryWords(-2)}`);
  });
});
