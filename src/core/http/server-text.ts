/**
 * @module core/http/server-text
 * The one place where text a server wrote (a reason phrase, an error message, an HTML
 * error page of a reverse proxy) is made fit for a terminal, a chat message or a log:
 * HTML reduced to its text, escape sequences and control characters removed, white
 * space collapsed, secrets redacted, cut to a short excerpt. Every client builds its error
 * messages from server text through `serverText` or `statusText`, so a 200 KB page, an ESC
 * sequence or a token the server echoed never reaches the user. Secrets are redacted before
 * any cut (a cut secret would no longer match), and every pattern here runs in linear time:
 * a hostile page full of `<` must not burn CPU past the request's deadline.
 */
import { redact, secretSafeCut } from '../redact.js';
import { textHead } from '../text-head.js';
import type { HttpResponse } from './client.js';

/** Longest server message kept in an error (characters). */
export const MAX_SERVER_TEXT = 200;

// ANSI/VT escape sequences (CSI, OSC, single-character escapes), then every other C0/C1
// control character and the Unicode bidi and zero-width controls that reorder or hide text.
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Whether a body looks like HTML (by content type or by its first character). */
export function looksLikeHtml(text: string, contentType = ''): boolean {
  return /html/i.test(contentType) || /^\s*</.test(text);
}

/** How much of an HTML page is read at all (its title, its script, style and head blocks skipped). */
export const HTML_READ = 1024 * 1024;
/** How much of a page's visible part (scripts, styles and head gone) is reduced to text; only a short excerpt is ever kept. */
export const HTML_WINDOW = 64 * 1024;

/** The first `limit` characters of `text` or fewer, never ending inside a secret nor between the two halves of an emoji. */
function head(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const end = secretSafeCut(text, limit);
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/** Where `html`'s title ends up: the text between the first `<title …>` and its `</title>`. */
function titleOf(html: string): string {
  const open = /<title\b[^<>]*>/i.exec(html);
  if (!open) return '';
  const rest = html.slice(open.index + open[0].length);
  const close = rest.search(/<\/title\s*>/i);
  return close === -1 ? '' : rest.slice(0, close).trim();
}

/**
 * The readable text of an HTML page: its title, then its text without scripts, styles and
 * tags. Two linear passes over at most `HTML_READ` characters find the title and skip the
 * blocks that hold no text (a proxy's page may carry 100 KB of inline style before its
 * message); the tag pass sees at most `HTML_WINDOW` characters of what is left.
 */
export function htmlText(html: string): string {
  const page = head(html, HTML_READ);
  const title = titleOf(page);
  const visible = page.replace(/<(script|style|head)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ');
  const window = visible.length > HTML_WINDOW ? head(visible, HTML_WINDOW).replace(/<[^<>]*$/, '') : visible;
  const body = window
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const text = body.replace(/\s+/g, ' ').trim();
  const rest = title && text.startsWith(title) ? text.slice(title.length).trim() : text;
  return [title, rest].filter(Boolean).join(' · ');
}

/**
 * Makes server text safe and short: secrets redacted, no escape sequences or control
 * characters, one line, at most `max` characters (cut with `…`, after redaction).
 */
export function serverText(text: string, max = MAX_SERVER_TEXT): string {
  const clean = redact(redact(head(text, Math.max(max * 8, 4096))).replace(ESCAPES, '').replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim());
  return clean.length > max ? `${textHead(clean, max - 1).trimEnd()}…` : clean;
}

/**
 * One line of server text kept as it is laid out (a task log line): secrets redacted,
 * escape sequences and control characters removed (tabs and spacing kept), at most `max`
 * characters (cut after redaction).
 */
export function serverLine(text: string, max = 500): string {
  const clean = redact(redact(head(text, max * 4)).replace(ESCAPES, '').replace(/[\r\n]/g, ' ').replace(CONTROLS, '').trimEnd());
  return clean.length > max ? `${textHead(clean, max - 1)}…` : clean;
}

/** A short excerpt of an answer's body (the text of an HTML page), or '' when it has none. */
export function bodyExcerpt(res: Pick<HttpResponse, 'text' | 'headers'>, max = 120): string {
  const type = String(res.headers['content-type'] ?? '');
  return serverText(looksLikeHtml(res.text, type) ? htmlText(res.text) : res.text, max);
}

/**
 * `HTTP 502 Bad Gateway: <excerpt>` for an answer whose body is not the service's own
 * error format (a reverse proxy's page, an empty body): the status and a short excerpt.
 */
export function statusText(res: Pick<HttpResponse, 'status' | 'statusText' | 'text' | 'headers'>): string {
  const reason = serverText(res.statusText, 60);
  const head = `HTTP ${res.status}${reason ? ` ${reason}` : ''}`;
  const excerpt = bodyExcerpt(res);
  return excerpt && !head.includes(excerpt) ? `${head}: ${excerpt}` : head;
}
