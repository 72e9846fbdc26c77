/**
 * @module services/kuma/socket-redirect
 * The error of a Socket.IO handshake answered with a redirect (ws reports only
 * "Unexpected server response: 301"): a redirect is never followed, and the fix is the
 * configured URL, so it is the same exit-3 `RedirectError` as over HTTP, at once rather
 * than retried. To name where it points, the handshake's address is asked once more over
 * plain HTTP (no credentials; the pinned fingerprint holds), whose redirect carries the
 * Location that ws drops.
 */
import { HttpClient, RedirectError } from '../../core/http/index.js';
import { isRedirect, redirectError } from '../../core/http/redirect.js';

/** The redirect status in a ws handshake failure's message, when it is one (not 304). */
export function handshakeRedirect(message: string): number | undefined {
  const status = Number(/^Unexpected server response: (\d{3})$/.exec(message)?.[1]);
  return Number.isInteger(status) && isRedirect(status) ? status : undefined;
}

/** The `RedirectError` of a handshake to `url` answered with `status`, naming where it points when the server says. */
export async function socketRedirectError(url: string, status: number, timeoutMs: number, fingerprint?: string): Promise<RedirectError> {
  const origin = new URL(url).origin;
  const path = '/socket.io/?EIO=4&transport=websocket';
  try {
    const http = new HttpClient({ service: 'kuma', baseUrl: origin, fingerprint, timeoutMs, retries: 0 });
    await http.request({ method: 'GET', path });
  } catch (err) {
    if (err instanceof RedirectError) return err;
  }
  return redirectError('kuma', { status, headers: {} }, `${origin}${path}`);
}
