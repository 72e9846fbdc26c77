/**
 * @module core/http/header-safe
 * What may go into an HTTP header. A login token a server hands out goes into every later
 * request's `Authorization` (or cookie) header and is cached between runs, so it must be
 * printable ASCII without spaces (`HEADER_SAFE_TOKEN`): a token holding a newline or an
 * escape sequence is an unexpected answer, never cached, and one found in a cache is dropped.
 * A header value Node would refuse to send is caught before sending (`badHeaderName`), so it
 * is never reported as "cannot reach".
 */
import { z } from 'zod';
import { OperationError } from '../errors.js';
import { serverText } from './server-text.js';

/** A token fit for a header: printable ASCII, no spaces or control characters. */
export const HEADER_SAFE_TOKEN = /^[\x21-\x7e]+$/;

/** Whether `token` can be sent in a header as it is. */
export function isHeaderSafe(token: string): boolean {
  return HEADER_SAFE_TOKEN.test(token);
}

/** A login answer's token: non-empty and header-safe (use it in every login answer schema). */
export const headerSafeToken = z.string()
  .min(1, 'the token is empty')
  .regex(HEADER_SAFE_TOKEN, 'the token holds characters a header cannot carry');

// Node's own rule for a header value (tab, printable ASCII, and bytes 0x80–0xff).
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const TOKEN_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The name of the first header that cannot be sent as it is, if any (its value is never shown: it may be a secret). */
export function badHeaderName(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN_NAME.test(name) || INVALID_VALUE.test(value)) return name;
  }
  return undefined;
}

/** Node's codes for a header it refuses to send. */
const HEADER_CODES = new Set(['ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN', 'ERR_HTTP_INVALID_HEADER_VALUE']);

/**
 * Whether a transport's raw error says a header could not be built (nothing went out):
 * Node's codes, undici's invalid argument about a header, or a `TypeError` about one (`new Headers()`).
 */
export function isHeaderFailure(err: unknown, code: string | undefined): boolean {
  if (code !== undefined && HEADER_CODES.has(code)) return true;
  const message = err instanceof Error ? err.message : '';
  return (code === 'UND_ERR_INVALID_ARG' || err instanceof TypeError) && /header/i.test(message);
}

/**
 * The error of a request whose header cannot be sent: exit 1, a local fault (never "cannot
 * reach"), naming the header but never its value.
 */
export function headerError(service: string, what: string, name?: string): OperationError {
  const which = name === undefined ? 'a header' : `header ${serverText(name, 40)}`;
  return new OperationError(`${service}: cannot send ${what}: ${which} holds a character HTTP does not allow`,
    `check the ${service} credentials file (a cached login token that is not header-safe is dropped on the next run)`);
}
