/**
 * One spelling of an address for comparing (core/ip-address): IPv6 written long or short,
 * upper or lower case, in brackets or not, is one address; IPv4 and names only lose case.
 */
import { describe, expect, it } from 'vitest';
import { canonicalAddress, sameAddress } from '../../src/core/ip-address.js';

describe('canonicalAddress', () => {
  it('writes IPv6 in its canonical form, whatever the spelling', () => {
    expect(['fd00:0:0:0::50', 'FD00::50', '[fd00:0000::0050]', 'fd00:0:0:0:0:0:0:50'].map(canonicalAddress)).toEqual(['fd00::50', 'fd00::50', 'fd00::50', 'fd00::50']);
    expect(canonicalAddress('::FFFF:1.2.3.4')).toBe('::ffff:102:304');
  });

  it('leaves IPv4, names and zone ids as written, lower-cased, and never throws', () => {
    expect(['10.5.0.50', 'NAS.home.lan', 'fe80::1%eth0', ''].map(canonicalAddress)).toEqual(['10.5.0.50', 'nas.home.lan', 'fe80::1%eth0', '']);
  });

  it('compares two spellings as one address', () => {
    expect(sameAddress('fd00:0:0:0::50', 'fd00::50')).toBe(true);
    expect(sameAddress('fd00::50', 'fd00::51')).toBe(false);
  });
});
