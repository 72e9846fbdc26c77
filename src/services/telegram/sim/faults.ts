/**
 * @module services/telegram/sim/faults
 * Fault injection for the simulated Bot API: a slow API, calls that never get an
 * answer, connections reset mid-answer, a reverse proxy's HTML error page, JSON cut
 * short, 429 Too Many Requests with a `retry_after`. Faults hit the methods named in `only` (default: every method but
 * `getUpdates`, so a running bot keeps polling); every faulted call is still logged in
 * `state.calls`, so tests can count what was sent. A revoked token is `revokeToken()`.
 */
import type { ServerResponse } from 'node:http';

/** The knobs; tests change them while the simulator runs. */
export interface TelegramFaults {
  /** Added before every answer of a faulted method. */
  latencyMs: number;
  /** The next N calls get no answer. */
  hangNext: number;
  /** The next N calls are carried out, then the connection is reset halfway through the answer. */
  resetNext: number;
  /** The next N calls are answered 502 with an HTML page (a proxy whose upstream is down), not carried out. */
  htmlErrorNext: number;
  /** The next N calls are carried out and answered with JSON cut in half. */
  badJsonNext: number;
  /** The next N calls are answered 429 Too Many Requests with `retry_after` (not carried out). */
  rateLimitNext: number;
  /** The `retry_after` of those 429s, in seconds. */
  retryAfter: number;
  /** Methods the faults apply to; default every method but `getUpdates`. */
  only?: readonly string[];
}

/** What to do with one call. */
export type FaultAction = 'none' | 'hang' | 'reset' | 'html' | 'badJson' | 'rateLimit';

/** No faults. */
export function noTelegramFaults(): TelegramFaults {
  return { latencyMs: 0, hangNext: 0, resetNext: 0, htmlErrorNext: 0, badJsonNext: 0, rateLimitNext: 0, retryAfter: 5 };
}

/** Whether faults apply to `method`. */
export function faulted(faults: TelegramFaults, method: string): boolean {
  return faults.only ? faults.only.includes(method) : method !== 'getUpdates';
}

/** Picks (and counts down) the fault for one call of `method`. */
export function takeFault(faults: TelegramFaults, method: string): FaultAction {
  if (!faulted(faults, method)) return 'none';
  if (faults.hangNext > 0) { faults.hangNext--; return 'hang'; }
  if (faults.htmlErrorNext > 0) { faults.htmlErrorNext--; return 'html'; }
  if (faults.rateLimitNext > 0) { faults.rateLimitNext--; return 'rateLimit'; }
  if (faults.resetNext > 0) { faults.resetNext--; return 'reset'; }
  if (faults.badJsonNext > 0) { faults.badJsonNext--; return 'badJson'; }
  return 'none';
}

/** A reverse proxy's 502 page, as nginx sends it. */
export const PROXY_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Sends `text` as the answer, or only the first half of it (`cut`), or resets the connection halfway (`reset`). */
export function sendFaulted(res: ServerResponse, status: number, text: string, action: 'reset' | 'badJson'): void {
  const half = text.slice(0, Math.ceil(text.length / 2));
  if (action === 'badJson') {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(half) });
    res.end(half);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.write(half, () => res.socket?.destroy());
}
