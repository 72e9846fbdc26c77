/**
 * @module core/http/server-text
 * The one place where text a server wrote (a reason phrase, an error message, an HTML
 * error page of a reverse proxy) is made fit for a terminal, a chat message or a log:
 * HTML reduced to its text, escape sequences and control characters removed, white
 * space collapsed, cut to a short excerpt. Every client builds its error messages from
 * server text through `serverText` or `statusText`, so a 200 KB page or an ESC sequence
 * never reaches the user.
 */
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

/** The readable text of an HTML page: its title, then its text without scripts, styles and tags. */
export function htmlText(html: string): string {
  const head = html.slice(0, 2_000_000);
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(head)?.[1]?.trim() ?? '';
  const body = head
    .replace(/<(script|style|head)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const text = body.replace(/\s+/g, ' ').trim();
  const rest = title && text.startsWith(title) ? text.slice(title.length).trim() : text;
  return [title, rest].filter(Boolean).join(' · ');
}

/**
 * Makes server text safe and short: no escape sequences or control characters, one
 * line, at most `max` characters (cut with `…`).
 */
export function serverText(text: string, max = MAX_SERVER_TEXT): string {
  const clean = text.slice(0, Math.max(max * 8, 4096)).replace(ESCAPES, '').replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}

/**
 * One line of server text kept as it is laid out (a task log line): escape sequences and
 * control characters removed (tabs and spacing kept), at most `max` characters.
 */
export function serverLine(text: string, max = 500): string {
  const clean = text.slice(0, max * 4).replace(ESCAPES, '').replace(/[\r\n]/g, ' ').replace(CONTROLS, '').trimEnd();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
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
