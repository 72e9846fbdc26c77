/**
 * @module surfaces/web/origin-check
 * Whether a request's `Origin` is this dashboard's own, scheme included (a form's check,
 * security `csrfCheck`), and the refusal's words when it is not. The scheme is the one the
 * browser used: this server's own (plain HTTP), or, from a `--trust-proxy` peer, what the
 * proxy's `X-Forwarded-Proto` says. So behind a TLS proxy the browser's `https` Origin
 * matches only when the proxy is named and sends that header; when nothing but the scheme
 * differs, the refusal says which of the two is missing.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { WebEnv, WebState } from './state.js';

/** Whether the peer is a proxy named with `--trust-proxy`. */
function fromTrustedProxy(c: Context<WebEnv>, state: WebState): boolean {
  return state.trusted.has(getConnInfo(c).remote.address ?? '');
}

/** The scheme the browser reached this server with (`http:` or `https:`). */
function browserScheme(c: Context<WebEnv>, state: WebState): string {
  const own = new URL(c.req.url).protocol;
  if (!fromTrustedProxy(c, state)) return own;
  const said = (c.req.header('x-forwarded-proto') ?? '').split(',')[0]?.trim().toLowerCase();
  return said === 'https' || said === 'http' ? `${said}:` : own;
}

/** The request's Origin as a URL, or undefined when it is missing, `null` or not a URL. */
function originOf(c: Context<WebEnv>): URL | undefined {
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return undefined;
  try {
    return new URL(origin);
  } catch {
    return undefined;
  }
}

/** Whether the request's Origin is this server's own: scheme, host and port. */
export function sameOrigin(c: Context<WebEnv>, state: WebState): boolean {
  const url = originOf(c);
  const host = c.req.header('host');
  return url !== undefined && host !== undefined && url.host === host && url.protocol === browserScheme(c, state);
}

/**
 * Why the request's Origin was refused, in one line. When only the scheme differs (a TLS
 * proxy's browser meets a plain-HTTP request) it says what the proxy lacks: naming with
 * `--trust-proxy`, sending `X-Forwarded-Proto`, or both.
 */
export function originRefusal(c: Context<WebEnv>, state: WebState): string {
  const line = 'Refused: the request does not come from this dashboard (Origin).';
  const url = originOf(c);
  if (!url || url.host !== c.req.header('host')) return line;
  const trusted = fromTrustedProxy(c, state);
  const sends = c.req.header('x-forwarded-proto') !== undefined;
  if (trusted && sends) return line;
  if (sends) return `${line} Behind a TLS reverse proxy, name it with --trust-proxy.`;
  return `${line} Behind a TLS reverse proxy, have the proxy send X-Forwarded-Proto${trusted ? '' : ' (and name it with --trust-proxy)'}.`;
}
