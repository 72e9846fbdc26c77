/**
 * @module core/natural-order
 * Natural order for names (`web2` before `web10`), as `localeCompare(b, 'en', { numeric:
 * true })` sorts host and record names, without ICU: collation loads its data on first
 * use, about 10 ms of a one-shot CLI run spent to sort a list of names.
 *
 * A consistent total order on any strings, as `Array.prototype.sort` needs: the keys are
 * compared one after the other, each a function of its string alone,
 * 1. the words: runs of digits by value, other characters by rank (punctuation, then
 *    other symbols, then digits, then letters ignoring case), a prefix first;
 * 2. case, at the first place where it differs (lower case first: `web` before `Web`);
 * 3. the lengths of the digit runs (`a1` before `a01`);
 * 4. the UTF-16 code units, so that only equal strings compare equal.
 */

/** Collation's order of punctuation; every punctuation character sorts before digits, digits before letters. */
const PUNCTUATION = '_-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';
/** Other symbols after punctuation, one rank per code unit (below 0x10000). */
const SYMBOLS = 100;
const DIGITS = 0x20000;
const LETTERS = 0x30000;

function rank(c: string): number {
  if (c >= '0' && c <= '9') return DIGITS;
  const lower = c.toLowerCase();
  if (lower !== c.toUpperCase() || (lower >= 'a' && lower <= 'z')) return LETTERS + (lower.codePointAt(0) ?? 0);
  const p = PUNCTUATION.indexOf(c);
  return p >= 0 ? p : SYMBOLS + c.charCodeAt(0);
}

/** 1 for an upper- or title-case character, 0 otherwise (lower case first, as collation does). */
const caseRank = (c: string): number => (c !== c.toLowerCase() ? 1 : 0);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function digitRun(s: string, from: number): string {
  let end = from;
  while (isDigit(s[end])) end++;
  return s.slice(from, end);
}

/** Compares two names: runs of digits by value, other characters by collation rank, then digit-run length, case and code units breaking ties. */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  let zeros = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (isDigit(x) && isDigit(y)) {
      const xr = digitRun(a, i);
      const yr = digitRun(b, j);
      const xv = xr.replace(/^0+(?=\d)/, '');
      const yv = yr.replace(/^0+(?=\d)/, '');
      const d = xv.length - yv.length || (xv < yv ? -1 : xv > yv ? 1 : 0);
      if (d !== 0) return d;
      zeros ||= xr.length - yr.length;
      i += xr.length;
      j += yr.length;
      continue;
    }
    const d = rank(x) - rank(y);
    if (d !== 0) return d;
    i++;
    j++;
  }
  const rest = (a.length - i) - (b.length - j);
  if (rest !== 0) return rest;
  // The same words: case decides where it first differs (as collation's third level does,
  // which never looks at leading zeros: `9A` after `09a`), then the digit runs' lengths.
  return caseOrder(a, b) || zeros || (a < b ? -1 : a > b ? 1 : 0);
}

/** Case at the first character (outside digit runs) where it differs; 0 when it never does. */
function caseOrder(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (isDigit(a[i]) && isDigit(b[j])) {
      i += digitRun(a, i).length;
      j += digitRun(b, j).length;
      continue;
    }
    const d = caseRank(a[i] as string) - caseRank(b[j] as string);
    if (d !== 0) return d;
    i++;
    j++;
  }
  return 0;
}
