/**
 * naturalCompare sorts names exactly as `localeCompare(b, 'en', { numeric: true })` does
 * (checked on random names over the characters host and record names use), without ICU.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../../src/core/natural-order.js';

const nameChars = fc.constantFrom(...'abzAZ019-_.@*'.split(''));
const name = fc.array(nameChars, { minLength: 0, maxLength: 8 }).map((cs) => cs.join(''));

describe('naturalCompare', () => {
  it('orders numbers by value and punctuation before digits before letters', () => {
    expect(['web10', 'web2', 'Web3', 'web1', 'host1', 'host-1', 'host', '_dmarc', '@'].sort(naturalCompare))
      .toEqual(['_dmarc', '@', 'host', 'host-1', 'host1', 'web1', 'web2', 'Web3', 'web10']);
  });

  it('agrees with localeCompare(en, numeric) on any two names', () => {
    fc.assert(fc.property(name, name, (a, b) => {
      expect(Math.sign(naturalCompare(a, b))).toBe(Math.sign(a.localeCompare(b, 'en', { numeric: true })));
    }), { numRuns: 5000 });
  });
});
