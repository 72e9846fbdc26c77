/**
 * naturalCompare sorts names as `localeCompare(b, 'en', { numeric: true })` does (checked
 * on random names over the characters host and record names use), without ICU,
 * and is a consistent comparator on any strings at all: antisymmetric, transitive, and 0
 * only for equal strings, so that `Array.prototype.sort` gives one order whatever the input order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../../src/core/natural-order.js';

const nameChars = fc.constantFrom(...'abzAZ019-_.@*'.split(''));
const name = fc.array(nameChars, { minLength: 0, maxLength: 8 }).map((cs) => cs.join(''));

/**
 * Characters that once compared inconsistently: symbols outside the punctuation list whose
 * code points are 400 apart (space and U+0340, `×` and U+0367), title-case and dotted
 * letters whose case forms differ (ǅ Ǆ ǆ, İ I i, the Kelvin sign K and k), digits and
 * a lone surrogate.
 */
const tricky = fc.constantFrom(' ', '\u0340', '×', '\u0367', 'ǅ', 'Ǆ', 'ǆ', 'İ', 'I', 'i', '\u212a', 'K', 'k', '0', '1', '9', 'a', 'A', '-', '\ud800');
/** Any string: mostly the tricky characters above, sometimes any UTF-16 code unit. */
const anyString = fc.array(fc.oneof({ arbitrary: tricky, weight: 4 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 2 }), weight: 1 }), { maxLength: 6 }).map((cs) => cs.join(''));

describe('naturalCompare', () => {
  it('orders numbers by value and punctuation before digits before letters', () => {
    expect(['web10', 'web2', 'Web3', 'web1', 'host1', 'host-1', 'host', '_dmarc', '@'].sort(naturalCompare))
      .toEqual(['_dmarc', '@', 'host', 'host-1', 'host1', 'web1', 'web2', 'Web3', 'web10']);
  });

  it('agrees with localeCompare(en, numeric) on any two names it tells apart', () => {
    // Collation calls `a01` and `a1` equal; a total order must still put one first (the shorter).
    expect(naturalCompare('a1', 'a01')).toBeLessThan(0);
    // Collation looks at case before it would at leading zeros (a counterexample fast-check found).
    expect(Math.sign(naturalCompare('9A', '09a'))).toBe(Math.sign('9A'.localeCompare('09a', 'en', { numeric: true })));
    fc.assert(fc.property(name, name, (a, b) => {
      const collation = Math.sign(a.localeCompare(b, 'en', { numeric: true }));
      if (collation !== 0) expect(Math.sign(naturalCompare(a, b))).toBe(collation);
    }), { numRuns: 5000 });
  });

  it('is antisymmetric, and 0 only for equal strings, on any strings', () => {
    expect(Math.sign(naturalCompare(' ', '\u0340'))).toBe(-Math.sign(naturalCompare('\u0340', ' ')));
    expect(Math.sign(naturalCompare('ǅ', 'Ǆ'))).toBe(-Math.sign(naturalCompare('Ǆ', 'ǅ')));
    fc.assert(fc.property(anyString, anyString, (a, b) => {
      const ab = Math.sign(naturalCompare(a, b));
      expect(ab).toBe(-Math.sign(naturalCompare(b, a)) || 0);
      expect(ab === 0).toBe(a === b);
    }), { numRuns: 20000 });
  });

  it('is transitive on any strings: a sorted list is in order pair by pair', () => {
    fc.assert(fc.property(fc.array(anyString, { minLength: 3, maxLength: 12 }), (list) => {
      const sorted = [...list].sort(naturalCompare);
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) expect(naturalCompare(sorted[i] as string, sorted[j] as string)).toBeLessThanOrEqual(0);
      }
    }), { numRuns: 5000 });
    fc.assert(fc.property(anyString, anyString, anyString, (a, b, c) => {
      if (naturalCompare(a, b) <= 0 && naturalCompare(b, c) <= 0) expect(naturalCompare(a, c)).toBeLessThanOrEqual(0);
    }), { numRuns: 20000 });
  });

  it('sorts the same list to the same order from any starting order', () => {
    fc.assert(fc.property(fc.array(anyString, { maxLength: 10 }).chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))), ([list, shuffled]) => {
      expect([...shuffled].sort(naturalCompare)).toEqual([...list].sort(naturalCompare));
    }), { numRuns: 3000 });
  });
});
