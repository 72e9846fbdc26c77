/**
 * @module surfaces/telegram/html
 * Telegram HTML for replies: escaping (`&`, `<`, `>` and quotes), monospace blocks,
 * and the reverse (tags stripped, entities decoded) for the terminal console.
 */

/** Escapes text for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Text in a monospace block. */
export function pre(text: string): string {
  return `<pre>${escapeHtml(text)}</pre>`;
}

/** Inline monospace. */
export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** Bold. */
export function bold(text: string): string {
  return `<b>${escapeHtml(text)}</b>`;
}

/** Plain text of Telegram HTML (tags removed, entities decoded), for the console. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&(lt|gt|quot|amp|#\d+);/g, (_m, e: string) => (e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'amp' ? '&' : String.fromCodePoint(Number(e.slice(1)))));
}
