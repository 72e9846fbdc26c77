/**
 * @module surfaces/cli/batch-lines
 * Reads the text of a batch into command lines: one command per line, words split as a
 * shell would (`'single'` and `"double"` quotes, a backslash escaping the next
 * character), `#` starting a comment at the beginning of a word, blank lines skipped,
 * an optional leading `homelab`. A line ending in a backslash, unquoted or inside double
 * quotes, continues on the next (the backslash and the line break are removed, as in bash;
 * inside single quotes it stays a backslash); the command then
 * goes by its first line's number. No variables, globs or pipes: what is written is what runs.
 */
import { UsageError } from '../../core/errors.js';

/** One command line of a batch. */
export interface BatchLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line as written, trimmed (comments included). */
  text: string;
  words: string[];
}

/** Splits one line into words; throws a UsageError on an unterminated quote. */
export function splitLine(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === '\\') {
      inWord = true;
      if (i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new UsageError('unterminated single quote');
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      inWord = true;
      let closed = false;
      for (i++; i < text.length; i++) {
        const d = text[i] as string;
        if (d === '"') { closed = true; break; }
        // Inside double quotes a backslash escapes only `"` and `\`, as in a shell.
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
        else word += d;
      }
      if (!closed) throw new UsageError('unterminated double quote');
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The outcome of reading one line: its words, or why they cannot be read. */
export type ReadLine = BatchLine & { error?: UsageError };

/**
 * Whether `text` ends in a backslash that escapes nothing, outside quotes or inside double
 * quotes (and outside a comment): the line continues on the next, as in a shell.
 */
export function continuesOnNextLine(text: string): boolean {
  let quote: "'" | '"' | undefined;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      // Inside double quotes a backslash before the line break continues the line too (bash
      // removes both); inside single quotes it is a backslash, and the quote is unterminated.
      else if (quote === '"' && c === '\\') {
        if (i === text.length - 1) return true;
        i++;
      }
    } else if (c === ' ' || c === '\t') {
      inWord = false;
    } else if (c === '#' && !inWord) {
      return false;
    } else if (c === '\\') {
      if (i === text.length - 1) return true;
      i++;
      inWord = true;
    } else {
      if (c === "'" || c === '"') quote = c;
      inWord = true;
    }
  }
  return false;
}

/** Every command line of a batch text, with its number; comment-only and blank lines are left out. */
export function readBatchLines(text: string): ReadLine[] {
  const out: ReadLine[] = [];
  const raws = text.split('\n').map((raw) => raw.replace(/\r$/, ''));
  for (let i = 0; i < raws.length; i++) {
    const line = i + 1;
    let joined = raws[i] as string;
    // `\` then the line break: both go, and the next line follows on (its first line's number names it).
    while (continuesOnNextLine(joined)) joined = joined.slice(0, -1) + (i + 1 < raws.length ? (raws[++i] as string) : '');
    const trimmed = joined.trim();
    if (!trimmed) continue;
    try {
      const words = splitLine(trimmed);
      if (words[0] === 'homelab') words.shift();
      if (words.length) out.push({ line, text: trimmed, words });
    } catch (err) {
      out.push({ line, text: trimmed, words: [], error: err as UsageError });
    }
  }
  return out;
}
