/**
 * @module services/kuma/socket-calls
 * The two socket-level waits of a Kuma session: for the connection (socket.io-client
 * retries with backoff; a refused port or a refused certificate pin ends it early) and for
 * the answer of one event within a time limit, telling a dropped connection (sent or not)
 * from a call nobody answered, and a connection dropped for a message over the size cap;
 * and what a call cut off with its connection (`lostCall`), or a change left without an
 * answer (`unansweredChange`), is to the user.
 */
import type { Socket } from 'socket.io-client';
import { HomelabError, TlsError, UnreachableError } from '../../core/errors.js';
import { expectShape, serverText } from '../../core/http/index.js';
import { ackSchema, type Ack } from './messages.js';
import { handshakeRedirect, socketRedirectError } from './socket-redirect.js';

/** The connection dropped; `sent` tells whether the call had gone out. */
export class ConnectionLost extends Error {
  constructor(readonly sent: boolean) {
    super('connection lost');
  }
}

/** A call got no answer in time. */
export class NoAnswer extends Error {}

/** Refused connections in a row after which a connect gives up, like an HTTP read's three attempts. */
const REFUSED_ATTEMPTS = 3;

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/**
 * Resolves once `s` is connected. Connection errors are retried by socket.io-client (backoff
 * from 100 ms, doubling) until `timeoutMs`, so a server that is slow to accept comes
 * back; a port that refuses the connection `REFUSED_ATTEMPTS` times in a row ends it
 * then, as the HTTP reads give up on a refused port, and a refused certificate pin or a
 * handshake answered with a redirect (exit 3, as over HTTP: socket-redirect.ts) at once.
 */
export function waitConnected(s: Socket, url: string, timeoutMs: number, fingerprint?: string): Promise<void> {
  if (s.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let last = '';
    let refused = 0;
    const timer = setTimeout(() => done(new UnreachableError('kuma',
      `cannot connect to ${url} (Socket.IO): ${last || 'no connection'} within ${formatSeconds(timeoutMs)}`)), timeoutMs);
    const onConnect = (): void => done();
    const onError = (err: Error & { description?: unknown }): void => {
      // engine.io wraps the transport's error: an Error, or ws's ErrorEvent carrying it in `error`.
      const described = err.description as { error?: unknown } | undefined;
      const cause = described instanceof Error ? described : described?.error instanceof Error ? described.error : err;
      if (cause instanceof TlsError) return done(cause);
      const redirect = handshakeRedirect(cause.message);
      if (redirect !== undefined) {
        // No waiting out the retries: a redirect stays one. The error names where it points.
        s.off('connect_error', onError);
        void socketRedirectError(url, redirect, timeoutMs, fingerprint).then(done);
        return;
      }
      last = (cause as { code?: string }).code ?? serverText(cause.message, 80);
      refused = last === 'ECONNREFUSED' ? refused + 1 : 0;
      if (refused >= REFUSED_ATTEMPTS) {
        done(new UnreachableError('kuma', `cannot connect to ${url} (Socket.IO): ECONNREFUSED after ${refused} attempts`));
      }
    };
    const done = (err?: Error): void => {
      clearTimeout(timer);
      s.off('connect', onConnect);
      s.off('connect_error', onError);
      if (err) reject(err);
      else resolve();
    };
    s.on('connect', onConnect);
    s.on('connect_error', onError);
  });
}

/**
 * Emits `event` and resolves with its checked answer; rejects with `ConnectionLost` when
 * not connected or cut off before the answer, `NoAnswer` after `ms` without one.
 */
export function emitAck(s: Socket, event: string, args: unknown[], ms: number): Promise<Ack> {
  return new Promise((resolve, reject) => {
    if (!s.connected) return reject(new ConnectionLost(false));
    const onDisconnect = (): void => { s.off('disconnect', onDisconnect); reject(new ConnectionLost(true)); };
    s.on('disconnect', onDisconnect);
    s.timeout(ms).emit(event, ...args, (err: Error | null, value: unknown) => {
      s.off('disconnect', onDisconnect);
      if (err) return reject(new NoAnswer(event));
      try {
        // Every callback answers one object (shared/api/uptime-kuma.md §1): `null` or nothing is an unexpected answer, not a refusal.
        resolve(expectShape('kuma', event, ackSchema, value));
      } catch (shapeErr) {
        reject(shapeErr);
      }
    });
  });
}

/**
 * Whether a disconnect's details say a message was over `maxPayload`: ws fails the
 * connection with `WS_ERR_UNSUPPORTED_MESSAGE_LENGTH` (close code 1009), which engine.io
 * wraps in its transport error (`description`, ws's ErrorEvent with the error in `error`).
 */
export function overCap(details: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [details];
  while (queue.length) {
    const x = queue.shift();
    if (!x || typeof x !== 'object' || seen.has(x)) continue;
    seen.add(x);
    const o = x as { code?: unknown; description?: unknown; error?: unknown; context?: unknown };
    if (o.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || o.code === 1009) return true;
    queue.push(o.description, o.error, o.context);
  }
  return false;
}

/**
 * The error of a call cut off with its connection (`cause`: the session's failure, such as a
 * message over the size cap, when that is why). A change that went out may or may not have
 * been done (exit 4), whatever the cause, which is added; a read, or a change never sent,
 * fails with the cause itself when there is one, else cannot reach.
 */
export function lostCall(url: string, event: string, idempotent: boolean, sent: boolean, cause?: Error): HomelabError {
  if (!idempotent && sent) {
    const why = cause ? ` (${cause.message.replace(/^unexpected answer from kuma: /, 'the server sent ')})` : '';
    return new UnreachableError('kuma', `the connection dropped during ${event}${why}; it may or may not have been done`, 'check with: homelab kuma list');
  }
  if (cause instanceof HomelabError) return cause;
  return new UnreachableError('kuma', `cannot reach ${url} (connection dropped during ${event})`);
}

/**
 * The error of a change that went out and got no answer within `ms` (a server that just
 * started, 1.23 and a 2.x-only call form: shared/api/uptime-kuma.md "Observed"): it may have
 * been carried out all the same, as when the connection drops (`lostCall`), so it says so
 * and how to check. Exit 4.
 */
export function unansweredChange(event: string, ms: number): UnreachableError {
  return new UnreachableError('kuma', `no answer to ${event} within ${formatSeconds(ms)}; it may or may not have been done`, 'check with: homelab kuma list');
}
