/**
 * Which names a certificate covers (core/cert-names), the one rule `proxy cert-for` and
 * `expose --cert <id>` both apply: exact names, one-label wildcards, case and a trailing
 * dot ignored.
 */
import { describe, expect, it } from 'vitest';
import { covers } from '../../src/core/cert-names.js';
import { bestCertificate } from '../../src/services/proxy/operations-certs.js';
import { certificateSchema, type NpmCertificate } from '../../src/services/proxy/schemas.js';

describe('certificate names', () => {
  it('an exact name covers itself, whatever its case or a trailing dot', () => {
    expect(covers('wiki.home.lan', 'wiki.home.lan')).toBe(true);
    expect(covers('Wiki.Home.LAN.', 'wiki.home.lan')).toBe(true);
    expect(covers('wiki.home.lan', 'WIKI.home.lan.')).toBe(true);
    expect(covers('wiki.home.lan', 'git.home.lan')).toBe(false);
  });

  it('a wildcard covers one label below it, not the name itself nor deeper names', () => {
    expect(covers('*.home.lan', 'wiki.home.lan')).toBe(true);
    expect(covers('*.HOME.lan.', 'Wiki.home.lan')).toBe(true);
    expect(covers('*.home.lan', 'home.lan')).toBe(false);
    expect(covers('*.home.lan', 'a.wiki.home.lan')).toBe(false);
    expect(covers('*.home.lan', '.home.lan')).toBe(false);
  });

  it('is the rule proxy cert-for picks a certificate by', () => {
    const cert = (id: number, names: string[]): NpmCertificate => certificateSchema.parse({ id, provider: 'letsencrypt', nice_name: names[0] ?? '', domain_names: names, expires_on: '2999-01-01 00:00:00' });
    expect(bestCertificate([cert(1, ['git.home.lan']), cert(2, ['*.HOME.lan.'])], 'wiki.home.lan')?.id).toBe(2);
    expect(bestCertificate([cert(1, ['git.home.lan'])], 'wiki.home.lan')).toBeNull();
  });
});
