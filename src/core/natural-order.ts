/**
 * @module core/natural-order
 * Natural order for names (`web2` before `web10`), as `localeCompare(b, 'en', { numeric:
 * true })` sorts host and record names, without ICU: collation loads its data on first
 * use, about 10 ms of a one-shot CLI run spent to sort a list of names.
 */

/** Collation's order of punctuation; every punctuation character sorts before digits, digits before letters. */
const PUNCTUATION = '_-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';

function rank(c: string): number {
  if (c >= '0' && c <= '9') return 1000;
  const lower = c.toLowerCase();
  if (lower !== c.toUpperCase() || (lower >= 'a' && lower <= 'z')) return 2000 + (lower.codePointAt(0) ?? 0);
  const p = PUNCTUATION.indexOf(c);
  return p >= 0 ? p : 500 + (c.codePointAt(0) ?? 0) % 400;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function digitRun(s: string, from: number): string {
  let end = from;
  while (isDigit(s[end])) end++;
  return s.slice(from, end);
}

/** Compares two names: runs of digits by value, other characters by collation rank, case only breaking ties (lower first). */
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
  if (zeros !== 0) return zeros;
  // Equal but for case: the lower-case letter first, as collation does.
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    if (a[k] !== b[k]) return a[k] === (a[k] as string).toLowerCase() ? -1 : 1;
  }
  return 0;
}
