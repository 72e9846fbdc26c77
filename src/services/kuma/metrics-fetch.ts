/**
 * @module services/kuma/metrics-fetch
 * GET `/metrics` through the HTTP core (timeouts, retries, TLS pinning) with HTTP Basic
 * auth: the user name is ignored and the API key is the password; before any key exists,
 * the UI username and password work too (shared/api/uptime-kuma.md §5).
 */
import { AuthError } from '../../core/errors.js';
import { HttpClient, statusError } from '../../core/http/index.js';

/** How to reach `/metrics`. */
export interface MetricsTarget {
  url: string;
  fingerprint?: string;
  timeoutMs: number;
  /** Basic auth user and password (an API key goes in `password`). */
  user: string;
  password: string;
}

/** Fetches the metrics page text. */
export async function fetchMetrics(target: MetricsTarget, signal?: AbortSignal): Promise<string> {
  const authorization = `Basic ${Buffer.from(`${target.user}:${target.password}`).toString('base64')}`;
  const http = new HttpClient({ service: 'kuma', baseUrl: target.url, fingerprint: target.fingerprint, timeoutMs: target.timeoutMs, headers: () => ({ authorization }) });
  const res = await http.request({ method: 'GET', path: '/metrics', headers: { accept: 'text/plain' }, signal });
  if (res.status === 401) {
    throw new AuthError('kuma', '/metrics refused the credentials (HTTP 401)',
      'put an API key in KUMA_API_KEY (Settings → API Keys); once a key exists, /metrics accepts only keys');
  }
  if (res.status >= 400) throw statusError('kuma', res, `/metrics answered HTTP ${res.status}`);
  return res.text;
}
