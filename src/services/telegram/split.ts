/**
 * @module services/telegram/split
 * Telegram refuses messages over 4096 characters. Long text is split into chunks at
 * line boundaries, so nothing is ever truncated: the chunks joined with newlines are
 * the original text. A single line longer than the limit is cut (never inside a
 * surrogate pair); only there a chunk boundary is not a line boundary. Chunks of only
 * blank lines are dropped (Telegram refuses empty messages).
 */

/** Telegram's limit on the text of one message, in characters after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Splits `text` into chunks of at most `limit` characters, preferring line boundaries. */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  if (limit < 1) throw new RangeError('limit must be positive');
  const chunks: string[] = [];
  let current: string[] = [];
  let length = -1;
  const flush = (): void => {
    if (current.length) chunks.push(current.join('\n'));
    current = [];
    length = -1;
  };
  for (const line of text.split('\n')) {
    if (length + 1 + line.length <= limit) {
      current.push(line);
      length += 1 + line.length;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > limit) {
      const code = rest.charCodeAt(limit - 1);
      const cut = code >= 0xd800 && code <= 0xdbff && limit > 1 ? limit - 1 : limit;
      chunks.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = [rest];
    length = rest.length;
  }
  flush();
  const kept = chunks.filter((c) => c.trim() !== '');
  return kept.length ? kept : [''];
}
