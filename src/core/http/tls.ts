/**
 * @module core/http/tls
 * TLS for self-signed homelab services without turning verification off: when a
 * fingerprint is pinned, the chain is not checked but the leaf certificate's SHA-256
 * must equal the pin, and the connection is dropped before any byte (and so any
 * credential) is sent. Without a pin, normal verification applies.
 */
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import { TlsError } from '../errors.js';

/** Normalises a fingerprint to upper-case colon-separated hex. */
export function normaliseFingerprint(fp: string): string {
  return fp.replace(/[^A-Fa-f0-9]/g, '').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/**
 * The error of a certificate that does not match the pin, or undefined when it matches.
 * Called on 'secureConnect', before any byte (and so any credential) is written.
 */
export function pinMismatch(service: string, socket: TLSSocket, pin: string): TlsError | undefined {
  const expected = normaliseFingerprint(pin);
  const raw = socket.getPeerCertificate().fingerprint256;
  const actual = raw ? normaliseFingerprint(raw) : undefined;
  if (actual === expected) return undefined;
  return new TlsError(
    service,
    `TLS certificate fingerprint ${actual ?? '(none)'} does not match the pinned ${expected}; credentials were not sent`,
    actual,
    `if the certificate was renewed on purpose, set services.${service}.fingerprint: "${actual ?? ''}"`,
  );
}

/** The host `net.connect`/`tls.connect` take for a URL's hostname: an IPv6 address without its brackets (`[::1]` → `::1`). */
export function connectHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The `tls.connect` options of a connection to `host`: verification on, or off with a pin (checked by `pinMismatch`). */
export function tlsOptions(host: string, pin: string | undefined): { servername?: string; rejectUnauthorized: boolean } {
  return { servername: isIP(host) ? undefined : host, rejectUnauthorized: !pin };
}

/**
 * An undici connector that enforces `pin` (when given) on every TLS connection, gives
 * up connecting after `timeoutMs`, and lets `destroyAll` drop connects still pending.
 * `build` is undici's `buildConnector`, passed in so undici loads only when a request is made.
 */
export function pinnedConnector(
  service: string, pin: string | undefined, build: typeof buildConnector, timeoutMs: number,
): { connect: buildConnector.connector; destroyAll(): void } {
  // Session resumption hides the peer certificate on resumed connections: every
  // connection of a pinned service does a full handshake so the pin is always checked.
  const base = build(pin ? { rejectUnauthorized: false, maxCachedSessions: 0, timeout: timeoutMs } : { timeout: timeoutMs });
  const pending = new Set<Socket>();
  const connect: buildConnector.connector = (options, callback) => {
    const socket = base(options, (err, connected) => {
      pending.delete(socket as Socket);
      if (err || !connected) return callback(err ?? new Error('no socket'), null);
      if (!pin || options.protocol !== 'https:') return callback(null, connected);
      const mismatch = pinMismatch(service, connected as TLSSocket, pin);
      if (mismatch) {
        connected.destroy();
        return callback(mismatch, null);
      }
      callback(null, connected);
    }) as Socket | undefined;
    if (socket) pending.add(socket);
  };
  // Destroyed with an error, so undici's own connect callback fires (and clears its timer) at once.
  const destroyAll = (): void => {
    for (const s of pending) s.destroy(Object.assign(new Error('connect aborted'), { code: 'ECONNABORTED' }));
    pending.clear();
  };
  return { connect, destroyAll };
}

/** Connects once without verification and returns the server's certificate fingerprint (for doctor and init). */
export function fetchFingerprint(url: string, timeoutMs = 5000): Promise<string> {
  const parsed = new URL(url);
  const host = connectHost(parsed.hostname);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port: Number(parsed.port || 443), rejectUnauthorized: false, servername: isIP(host) ? undefined : host });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no TLS answer from ${url} within ${timeoutMs} ms`)); }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(normaliseFingerprint(fp));
    });
    socket.once('error', (err) => { clearTimeout(timer); reject(err); });
  });
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_NOT_YET_VALID',
]);

/** Whether an error code is a certificate verification failure. */
export function isTlsVerifyCode(code: string | undefined): boolean {
  return code !== undefined && TLS_CODES.has(code);
}
