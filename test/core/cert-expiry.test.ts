/**
 * The words for a certificate's remaining life, shared by `check` findings and `watch`
 * alerts (core/cert-expiry): singular and plural, today, and already expired.
 */
import { describe, expect, it } from 'vitest';
import { expiryWords } from '../../src/core/cert-expiry.js';
import { expiringCertificates } from '../../src/services/hub/check-findings/certificates.js';

describe('expiryWords', () => {
  it('words days left (rounded up, as proxy certs counts them) and days since expiry', () => {
    expect([30, 1, -1, -12].map((d) => expiryWords(d))).toEqual([
      'expires in 30 days', 'expires in 1 day', 'expired 1 day ago', 'expired 12 days ago',
    ]);
  });

  it('a certificate that expired hours ago (0 or -0 days, rounded up) expired today: it never "expires today"', () => {
    const hoursAgo = Math.ceil((Date.parse('2027-01-23T00:38:42Z') - Date.parse('2027-01-23T20:00:00Z')) / 86_400_000);
    expect(Object.is(hoursAgo, -0)).toBe(true);
    expect([hoursAgo, 0].map((d) => expiryWords(d))).toEqual(['expired today', 'expired today']);
    const [finding] = expiringCertificates([{ id: 6, name: 'dockge.home.lan', provider: 'letsencrypt', expiresOn: '2027-01-23T00:38:42Z', daysLeft: hoursAgo, domains: ['dockge.home.lan'], usedBy: ['dockge.home.lan'], otherUses: [] }],
      { certWarnDays: 14, certErrorDays: 3 });
    expect(finding?.message).toBe('certificate dockge.home.lan expired today');
    expect(finding?.evidence[0]?.says).toContain('expired today (2027-01-23)');
  });

  it('with a count rounded to the nearest day (Uptime Kuma), 0 is expired only when said so', () => {
    expect(expiryWords(0, false)).toBe('expires today');
    expect(expiryWords(0, true)).toBe('expired today');
    expect(expiryWords(-2, true)).toBe('expired 2 days ago');
  });

  it('is what a check finding of an expiring certificate says', () => {
    const cert = { id: 7, name: 'git.home.lan', provider: 'letsencrypt', expiresOn: '2026-03-01T00:00:00Z', daysLeft: -2, domains: ['git.home.lan'], usedBy: ['git.home.lan'], otherUses: [] };
    const [finding] = expiringCertificates([cert], { certWarnDays: 14, certErrorDays: 3 });
    expect(finding?.message).toBe(`certificate git.home.lan ${expiryWords(-2)}`);
  });
});
