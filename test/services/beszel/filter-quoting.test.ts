/**
 * Values quoted by the client read back as the same text through the simulator's filter
 * parser, which scans text as PocketBase's fexpr does: only `\'` is unescaped, every other
 * backslash stays, and a value ending in a backslash is refused before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { filterValue } from '../../../src/services/beszel/client.js';
import { matchesFilter, parseFilter } from '../../../src/services/beszel/sim/filter.js';

const matchName = (value: string, name: string): boolean => matchesFilter(parseFilter(`name = ${filterValue(value)}`, ['name']), { name }, 'u1');

describe('PocketBase filter quoting', () => {
  it.each([["it's"], ['back\\slash'], ['a\\\'b'], ['two\\\\x'], ['ünï cödé'], ['']])('matches %j exactly and nothing else', (value) => {
    expect(matchName(value, value)).toBe(true);
    expect(matchName(value, `${value}x`)).toBe(false);
  });

  it('escapes only the quote, as fexpr unescapes only the quote', () => {
    expect(filterValue("a\\b'c")).toBe("'a\\b\\'c'");
  });

  it('refuses a value ending in a backslash (it would escape its own closing quote)', () => {
    expect(() => filterValue('trail\\')).toThrow(UsageError);
    // Named as typed, not JSON-escaped ("trail\\").
    expect(() => filterValue('trail\\')).toThrow(/^"trail\\" ends with a backslash/);
  });

  it('keeps a backslash that is not before a quote (fexpr does not unescape \\\\)', () => {
    expect(parseFilter("name = 'a\\\\b'", ['name'])).toEqual(parseFilter(`name = ${filterValue('a\\\\b')}`, ['name']));
    expect(matchesFilter(parseFilter("name = 'a\\\\b'", ['name']), { name: 'a\\\\b' }, 'u1')).toBe(true);
  });
});
