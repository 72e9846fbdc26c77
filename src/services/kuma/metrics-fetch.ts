/**
 * @module services/kuma/metrics-fetch
 * GET `/metrics` with HTTP Basic auth (username ignored, the API key as the password;
 * before any key exists, the UI username and password). It lives at the root of the
 * server, so it is fetched here with undici and the core's pinned TLS connector rather
 * than through `HttpClient`, whose paths are relative to an API prefix. Timeouts and
 * network failures become the project's typed errors; network failures are retried twice.
 */
import { Agent } from 'undici';
import { AuthError, CancelledError, HomelabError, TimeoutError, UnreachableError, ApiError } from '../../core/errors.js';
import { isTlsVerifyCode, pinnedConnector } from '../../core/http/index.js';
import { redact } from '../../core/redact.js';

/** How to reach `/metrics`. */
export interface MetricsTarget {
  url: string;
  fingerprint?: string;
  timeoutMs: number;
  /** Basic auth user and password (an API key goes in `password`). */
  user: string;
  password: string;
}

const RETRY = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Fetches the metrics page text. */
export async function fetchMetrics(target: MetricsTarget, signal?: AbortSignal): Promise<string> {
  const base = new URL(target.url);
  const path = `${base.pathname.replace(/\/+$/, '')}/metrics`;
  const dispatcher = new Agent({ connect: pinnedConnector('kuma', target.fingerprint) });
  const authorization = `Basic ${Buffer.from(`${target.user}:${target.password}`).toString('base64')}`;
  try {
    for (let attempt = 1; ; attempt++) {
      const timeout = AbortSignal.timeout(target.timeoutMs);
      try {
        const res = await dispatcher.request({
          origin: base.origin, path, method: 'GET', headers: { authorization, accept: 'text/plain' },
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        const text = await res.body.text();
        if (res.statusCode === 401) {
          throw new AuthError('kuma', '/metrics refused the credentials (HTTP 401)',
            'put an API key in KUMA_API_KEY (Settings → API Keys); once a key exists, /metrics accepts only keys');
        }
        if (res.statusCode >= 400) throw new ApiError('kuma', res.statusCode, `/metrics answered HTTP ${res.statusCode}`);
        return text;
      } catch (err) {
        if (err instanceof HomelabError) throw err;
        if (signal?.aborted) throw new CancelledError();
        if (timeout.aborted) throw new TimeoutError('kuma', target.timeoutMs, 'GET /metrics');
        const e = err as { code?: string; message?: string; cause?: unknown };
        if (e.cause instanceof HomelabError) throw e.cause;
        const code = (e.cause as { code?: string } | undefined)?.code ?? e.code;
        if (attempt < 3 && code && RETRY.has(code)) continue;
        if (isTlsVerifyCode(code)) {
          throw new UnreachableError('kuma', `TLS certificate of ${base.origin} is not trusted (${code})`, 'pin it with services.kuma.fingerprint');
        }
        throw new UnreachableError('kuma', `cannot reach ${base.origin}: ${code ?? redact(e.message ?? String(err))}`);
      }
    }
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}
