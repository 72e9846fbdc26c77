/**
 * @module core/http/answers
 * Whether a service answers at its URL, without asking it anything: a TCP connection for
 * http://, a completed TLS handshake for https:// (a port that accepts but never speaks TLS
 * does not answer), within a few seconds. `homelab services` and `context list` show it.
 */
import { connect } from 'node:net';
import { fetchFingerprint } from './tls.js';

/** How long a service has to answer (connect, and for https the TLS handshake). */
export const ANSWER_TIMEOUT_MS = 3000;

/** Whether `url` answers; `detail` says why not (`ECONNREFUSED`, `no TLS answer within 3 s`). */
export async function answers(url: string, timeoutMs = ANSWER_TIMEOUT_MS): Promise<{ up: boolean; detail: string | null }> {
  const u = new URL(url);
  if (u.protocol === 'https:') {
    try {
      await fetchFingerprint(url, timeoutMs);
      return { up: true, detail: null };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return { up: false, detail: e.code ?? `no TLS answer within ${timeoutMs / 1000} s` };
    }
  }
  const port = Number(u.port || 80);
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (up: boolean, detail: string | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ up, detail });
    };
    const timer = setTimeout(() => done(false, `no answer within ${timeoutMs / 1000} s`), timeoutMs);
    socket.once('connect', () => done(true, null));
    socket.once('error', (err: NodeJS.ErrnoException) => done(false, err.code ?? err.message));
  });
}
