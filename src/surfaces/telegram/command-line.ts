/**
 * @module surfaces/telegram/command-line
 * Reads a command message: `/pve@homelab_bot start 105 --no-wait` → name `pve`, the
 * bot it is addressed to, and the words. Words may be quoted ("…", '…', or the curly
 * “…” and ‘…’ that phone keyboards type); the long dash phones put in place of `--` is
 * read as `--` at the start of an unquoted word. A quote opens only at the start of a
 * word and groups up to its closing quote; an unclosed quote is part of the word.
 */

/** A parsed command message. */
export interface CommandLine {
  /** Lower-case command name without the slash. */
  name: string;
  /** `@bot` suffix, when the command was addressed to a bot by name. */
  bot?: string;
  words: string[];
}

/** Opening quote → its closing quote. */
const QUOTES: ReadonlyMap<string, string> = new Map([['"', '"'], ["'", "'"], ['\u201c', '\u201d'], ['\u2018', '\u2019']]);
const SPACE = /\s/;

/** Splits text into words; quotes group words, and are removed. Linear in the text's length. */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  // Where each closing quote last occurs: past it, an opening quote has no partner.
  const lastClose = new Map([...QUOTES.values()].map((q) => [q, text.lastIndexOf(q)]));
  let i = 0;
  while (i < text.length) {
    if (SPACE.test(text[i] as string)) { i++; continue; }
    const close = QUOTES.get(text[i] as string);
    if (close !== undefined && (lastClose.get(close) ?? -1) > i) {
      const end = text.indexOf(close, i + 1);
      words.push(text.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let end = i + 1;
    while (end < text.length && !SPACE.test(text[end] as string)) end++;
    words.push(text.slice(i, end).replace(/^[\u2014\u2013]/, '--'));
    i = end;
  }
  return words;
}

/** Parses a command message; undefined when the text is not a command. */
export function parseCommandLine(text: string): CommandLine | undefined {
  const m = /^\/([A-Za-z0-9_-]{1,64})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return undefined;
  const line: CommandLine = { name: (m[1] as string).toLowerCase(), words: tokenize(m[3] ?? '') };
  if (m[2]) line.bot = m[2];
  return line;
}
