/**
 * @module services/kuma/metrics-fetch
 * GET `/metrics` through the HTTP core (timeouts, retries, TLS pinning) with HTTP Basic
 * auth: the user name is ignored and the API key is the password; before any key exists,
 * the UI username and password work too (shared/api/uptime-kuma.md §5). An answer that
 * is not Kuma's Prometheus text (a proxy's login page, garbage, JSON, a page cut short)
 * is an error, never "no monitors".
 */
import { AuthError } from '../../core/errors.js';
import { HttpClient, statusError, statusText } from '../../core/http/index.js';
import { checkMetricsText } from './metrics.js';

/** How to reach `/metrics`. */
export interface MetricsTarget {
  url: string;
  fingerprint?: string;
  timeoutMs: number;
  /** Basic auth user and password (an API key goes in `password`). */
  user: string;
  password: string;
  /** Told when the answer is slow to come. */
  progress?: (note: string) => void;
}

/** Fetches the metrics page text. */
export async function fetchMetrics(target: MetricsTarget, signal?: AbortSignal): Promise<string> {
  const authorization = `Basic ${Buffer.from(`${target.user}:${target.password}`).toString('base64')}`;
  const http = new HttpClient({
    service: 'kuma', baseUrl: target.url, fingerprint: target.fingerprint, timeoutMs: target.timeoutMs, headers: () => ({ authorization }), progress: target.progress,
  });
  const res = await http.request({ method: 'GET', path: '/metrics', headers: { accept: 'text/plain' }, signal });
  if (res.status === 401) {
    throw new AuthError('kuma', '/metrics refused the credentials (HTTP 401)',
      'put an API key in KUMA_API_KEY (Settings → API Keys); once a key exists, /metrics accepts only keys');
  }
  if (res.status >= 400) throw statusError('kuma', res, `/metrics answered ${statusText(res)}`);
  checkMetricsText(res);
  return res.text;
}
