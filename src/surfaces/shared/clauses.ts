/**
 * @module surfaces/shared/clauses
 * A description split into sentences and clauses, outside parentheses, for the parts of it
 * that only the command line has to be left out (`exit-code-words.ts`: exit codes, on MCP and
 * the dashboard; `mcp/stdin-inputs.ts`: stdin) without taking the rest of the sentence with them.
 */

/** Splits where `sep` (the length of the separator at `i`, or 0) says, outside parentheses. */
export function splitOutside(text: string, sep: (text: string, i: number) => number): string[] {
  return pieces(text, sep).map((p) => p.text);
}

/** One piece of a split, with the separator before it (empty for the first). */
export interface Piece {
  sep: string;
  text: string;
}

/** Splits as `splitOutside` does, keeping each piece's separator. */
export function pieces(text: string, sep: (text: string, i: number) => number): Piece[] {
  const parts: Piece[] = [];
  let depth = 0;
  let start = 0;
  let before = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    const length = depth === 0 ? sep(text, i) : 0;
    if (length > 0) {
      parts.push({ sep: before, text: text.slice(start, i) });
      before = text.slice(i, i + length);
      start = i + length;
      i = start - 1;
    }
  }
  return [...parts, { sep: before, text: text.slice(start) }];
}

/** "; " between clauses. */
export const CLAUSE = (text: string, i: number): number => (text.startsWith('; ', i) ? 2 : 0);
/** "; " or ", " between clauses. */
export const CLAUSE_OR_COMMA = (text: string, i: number): number => (text.startsWith('; ', i) || text.startsWith(', ', i) ? 2 : 0);
/** The spaces after a full stop, between sentences. */
export const SENTENCE = (text: string, i: number): number => (text[i] === ' ' && text[i - 1] === '.' ? /^ +/.exec(text.slice(i))?.[0].length ?? 0 : 0);
