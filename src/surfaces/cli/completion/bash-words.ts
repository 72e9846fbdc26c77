/**
 * @module surfaces/cli/completion/bash-words
 * bash hands a completion function its words as typed (`COMP_WORDS`): `Home\ Assistant`,
 * `"Home As`, `'Bob'\''s'`. bash has no way to remove that quoting short of `eval`, so
 * `__complete bash` does it here before matching, and quotes the candidates back for the
 * place they go: escaped with backslashes, or, when the word under the cursor is inside an
 * open quote (`"Ho<Tab>`), written for that quote (readline replaces the text after it and
 * closes it). zsh (`${(Q)…}`) and fish (`string unescape`) remove their own quoting in their
 * scripts.
 */

/** A word with its quoting removed, and the quote still open at its end (`"`, `'`), if any. */
export interface BashWord {
  text: string;
  open?: OpenQuote;
}

/** A quote a word can end inside of: `"…`, `'…` or `$'…`. */
export type OpenQuote = '"' | "'" | "$'";

/** The characters a `$'…'` word spells with a backslash. */
const ANSI_C: Readonly<Record<string, string>> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Reads a `$'…'` body from `i` (after the quote); returns the bytes and where it ended. */
function ansiC(word: string, start: number): { bytes: number[]; end: number; closed: boolean } {
  const bytes: number[] = [];
  let i = start;
  while (i < word.length) {
    const c = String.fromCodePoint(word.codePointAt(i) as number);
    if (c === "'") return { bytes, end: i + 1, closed: true };
    if (c !== '\\' || i + 1 >= word.length) { bytes.push(...Buffer.from(c)); i += c.length; continue; }
    const next = word[i + 1] as string;
    const octal = /^[0-7]{1,3}/.exec(word.slice(i + 1));
    const hex = next === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(word.slice(i + 2)) : null;
    if (octal) { bytes.push(parseInt(octal[0], 8) & 0xff); i += 1 + octal[0].length; }
    else if (hex) { bytes.push(parseInt(hex[0], 16)); i += 2 + hex[0].length; }
    else if (ANSI_C[next] !== undefined) { bytes.push(...Buffer.from(ANSI_C[next])); i += 2; }
    else { bytes.push(...Buffer.from(`\\${next}`)); i += 2; }
  }
  return { bytes, end: i, closed: false };
}

/**
 * `word` as bash would pass it to a command: backslash escapes, `'…'`, `"…"` and `$'…'`
 * removed. A quote left open at the end (the word being typed) is allowed and reported.
 */
export function unquoteBashWord(word: string): BashWord {
  let text = '';
  let i = 0;
  while (i < word.length) {
    const c = word[i] as string;
    if (c === '\\') { text += word[i + 1] ?? ''; i += 2; continue; }
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) return { text: text + word.slice(i + 1), open: "'" };
      text += word.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '$' && word[i + 1] === "'") {
      const body = ansiC(word, i + 2);
      text += Buffer.from(body.bytes).toString('utf8');
      if (!body.closed) return { text, open: "$'" };
      i = body.end;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < word.length && word[i] !== '"') {
        // Inside double quotes a backslash escapes only $ ` " \ and a line break.
        if (word[i] === '\\' && i + 1 < word.length && '$`"\\\n'.includes(word[i + 1] as string)) { text += word[i + 1]; i += 2; }
        else { text += word[i]; i++; }
      }
      if (i >= word.length) return { text, open: '"' };
      i++;
      continue;
    }
    text += c;
    i++;
  }
  return { text };
}

/** Characters bash reads as they are outside quotes: letters and digits of any script, and these. */
const PLAIN = /[\p{L}\p{N}\p{M}_@%+=:,./-]/u;

/** `value` written for bash at the place of a word whose quote `open` is still open (none: backslashes). */
export function quoteBashWord(value: string, open?: OpenQuote): string {
  if (open === "'") return value.replace(/'/g, `'\\''`);
  if (open === "$'") return value.replace(/[\\']/g, (c) => `\\${c}`);
  if (open === '"') return value.replace(/[\\$`"]/g, (c) => `\\${c}`);
  return Array.from(value, (c) => (PLAIN.test(c) ? c : `\\${c}`)).join('');
}
