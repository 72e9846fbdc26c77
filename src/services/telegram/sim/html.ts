/**
 * @module services/telegram/sim/html
 * Telegram's HTML parse mode, as the Bot API checks it
 * (core.telegram.org/bots/api#html-style): only the listed tags, every tag closed in
 * order, `<`, `>` and `&` outside tags written as entities (`&lt;`, `&gt;`, `&amp;`,
 * `&quot;` or numeric). The length limit applies to the text after parsing.
 */

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);
const ENTITY = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** The outcome of parsing: the plain text, or the Bot API's error description. */
export type HtmlParse = { ok: true; text: string } | { ok: false; error: string };

/** Parses Telegram HTML; errors read like the Bot API's (`Bad Request: can't parse entities: …`). */
export function parseTelegramHtml(html: string): HtmlParse {
  const stack: string[] = [];
  let out = '';
  const fail = (what: string, at: number): HtmlParse => ({ ok: false, error: `Bad Request: can't parse entities: ${what} at byte offset ${Buffer.byteLength(html.slice(0, at))}` });
  for (let i = 0; i < html.length; ) {
    const ch = html[i] as string;
    if (ch === '&') {
      const m = ENTITY.exec(html.slice(i, i + 12));
      if (!m) return fail('Unsupported entity or unescaped "&"', i);
      const name = m[1] as string;
      out += NAMED[name] ?? String.fromCodePoint(name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      i += m[0].length;
      continue;
    }
    if (ch === '>') return fail('Unexpected ">" outside a tag; write &gt;', i);
    if (ch !== '<') {
      out += ch;
      i++;
      continue;
    }
    const end = html.indexOf('>', i);
    if (end < 0) return fail('Unclosed start tag', i);
    const inner = html.slice(i + 1, end);
    const closing = inner.startsWith('/');
    const name = (closing ? inner.slice(1) : inner).trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (!/^[a-z][a-z-]*$/.test(name)) return fail(`Unexpected "<" (tag name "${name}" is invalid); write &lt;`, i);
    if (!TAGS.has(name)) return fail(`Unsupported ${closing ? 'end' : 'start'} tag "${name}"`, i);
    if (closing) {
      if (stack.pop() !== name) return fail(`Unmatched end tag "${name}"`, i);
    } else {
      if (inner.includes('<')) return fail('Unexpected "<" inside a tag', i);
      stack.push(name);
    }
    i = end + 1;
  }
  if (stack.length) return fail(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`, html.length);
  return { ok: true, text: out };
}
