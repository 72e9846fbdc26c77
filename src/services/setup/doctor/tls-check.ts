/**
 * @module services/setup/doctor/tls-check
 * The TLS line of an https service: the server's certificate fingerprint (SHA-256),
 * compared with the pin in config, or — without a pin — whether the system CAs trust
 * it. The fingerprint is always printed, so it can be pinned.
 */
import { connect } from 'node:tls';
import { ExitCode } from '../../../core/errors.js';
import { fetchFingerprint, normaliseFingerprint } from '../../../core/http/tls.js';
import { check, type DoctorCheck } from './check.js';

/** `5 s`, `1.5 s`. */
const formatSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

/** The longest the TLS line waits for an answer: a doctor answers quickly, whatever a service's `timeout_seconds`. */
export const TLS_TIMEOUT_MS = 5000;

/** The TLS line's wait for one service: its `timeout_seconds` when shorter than `TLS_TIMEOUT_MS`. */
export function tlsTimeoutMs(section: { timeout_seconds?: number }): number {
  return Math.min(TLS_TIMEOUT_MS, (section.timeout_seconds ?? Infinity) * 1000);
}

/** Whether a normal, verifying TLS connection to `url` succeeds. */
function trustedBySystem(url: string, timeoutMs: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 443), servername: /^[\d.]+$/.test(hostname) ? undefined : hostname, rejectUnauthorized: false });
    const timer = setTimeout(() => { socket.destroy(); resolve(false); }, timeoutMs);
    socket.once('secureConnect', () => { clearTimeout(timer); resolve(socket.authorized); socket.end(); });
    socket.once('error', () => { clearTimeout(timer); resolve(false); });
  });
}

/**
 * The TLS check of `area` at `url`, waiting `timeoutMs` for each answer (`tlsTimeoutMs`);
 * null for plain http.
 */
export async function tlsCheck(area: string, key: string, url: string, pin: string | undefined, timeoutMs = TLS_TIMEOUT_MS): Promise<DoctorCheck | null> {
  if (!url.startsWith('https:')) return null;
  let actual: string;
  try {
    actual = await fetchFingerprint(url, timeoutMs);
  } catch (err) {
    // A socket error has a code (ECONNREFUSED); the wait running out has none, and its own message repeats the URL.
    const why = (err as NodeJS.ErrnoException).code ? `: ${(err as Error).message}` : ` within ${formatSeconds(timeoutMs)}`;
    return check(area, 'tls', 'fail', `no TLS answer from ${new URL(url).host}${why}`, null, ExitCode.unreachable);
  }
  if (pin) {
    if (normaliseFingerprint(pin) === actual) return check(area, 'tls', 'pass', `certificate matches the pinned fingerprint ${actual}`);
    return check(area, 'tls', 'fail', `certificate fingerprint ${actual} does not match the pinned ${normaliseFingerprint(pin)}`,
      `if the certificate was renewed on purpose, set services.${key}.fingerprint: "${actual}"`, ExitCode.unreachable);
  }
  if (await trustedBySystem(url, timeoutMs)) return check(area, 'tls', 'pass', `certificate trusted by the system CAs (fingerprint ${actual})`);
  return check(area, 'tls', 'fail', `self-signed or untrusted certificate and no fingerprint pinned; the server's is ${actual}`,
    `after checking it on the server, pin it: services.${key}.fingerprint: "${actual}"`, ExitCode.unreachable);
}
