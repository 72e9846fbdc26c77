/**
 * @module services/kuma/sim/faults
 * Fault knobs of the simulated Uptime Kuma beyond the HTTP ones every simulator has
 * (`faults`: latency, hangs, resets, 5xx): a slow or silent Socket.IO server, a
 * connection dropped after an event was carried out but before its answer, malformed
 * answers (or any answer a test gives), pushes of the wrong shape or size, `/metrics` cut off mid-body, and whatever else can answer `/metrics` in
 * Kuma's place (a reverse proxy's login or error page, garbage, `null`, JSON).
 */

/** One `/metrics` answer put in place of the real one. */
export interface MetricsAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** A countdown on one Socket.IO event: the next `count` of them are affected. */
export interface EventFault {
  event: string;
  count: number;
}

/** The Kuma-specific faults; tests change them while the simulator runs. */
export interface KumaFaults {
  /** Every Socket.IO answer (and the after-login pushes) waits this long. */
  eventLatencyMs: number;
  /** These events get no answer at all. */
  hang?: EventFault;
  /** These events are carried out, then the connection drops before the answer. */
  dropAfter?: EventFault;
  /** These events are carried out, then a push over the client's 32 MiB cap comes in place of the answer. */
  oversizedAfter?: EventFault;
  /** These events are answered with something that is not a callback object. */
  badAnswer?: EventFault;
  /** These events are refused, `{ ok: false, msg }`, without being carried out (a server-side error such as a full disk). */
  refuse?: EventFault & { msg: string };
  /** These events are answered `value` (`null`, a login's `{ ok: true, token: "a\nb" }`), without being carried out. */
  answer?: EventFault & { value: unknown };
  /** While set, every `monitorList` push carries this instead of the monitor map (entries of the wrong shape, 40 MB of them). */
  monitorListPush?: unknown;
  /** While set, every `heartbeatList` push carries this instead of the monitor's rows. */
  heartbeatListPush?: unknown;
  /** While set, the `heartbeatList` push of this one monitor carries `value` instead of its rows. */
  heartbeatListPushOf?: { monitorId: number; value: unknown };
  /** These events are answered a bare `{ ok: true }`, without being carried out (a broken build, or something else in Kuma's place). */
  bareOk?: EventFault;
  /** The next N `/metrics` answers send their headers and half the body, then reset the connection. */
  metricsResetMidBody: number;
  /** While set, `/metrics` answers this instead (after auth, like a proxy in front of Kuma would not). */
  metrics?: MetricsAnswer;
  /**
   * How long after `deleteMonitor`'s answer the list push follows (Kuma answers first, then
   * reads the list from its database and pushes it; a busy server takes a while). Default 0:
   * the push still comes after the answer.
   */
  listPushLagMs?: number;
}

/** No faults. */
export function noKumaFaults(): KumaFaults {
  return { eventLatencyMs: 0, metricsResetMidBody: 0 };
}

/** Whether `fault` applies to `event` now; counts it down when it does. */
export function takeFault(fault: EventFault | undefined, event: string): boolean {
  if (!fault || fault.count <= 0 || (fault.event !== '*' && fault.event !== event)) return false;
  fault.count--;
  return true;
}

/** What answers `/metrics` when something else stands in Kuma's place. */
export const METRICS_IMPOSTORS = {
  /** A reverse proxy's (or Kuma 2.x setup's) HTML login page, 200 OK. */
  loginPage: {
    status: 200, contentType: 'text/html; charset=utf-8',
    body: '<!DOCTYPE html>\n<html lang="en"><head><title>Sign in</title></head><body><form method="post" action="/login"><input name="username"><input type="password" name="password"><button>Sign in</button></form></body></html>\n',
  },
  /** Bytes that are not text. */
  garbage: { status: 200, contentType: 'application/octet-stream', body: '\u0000\u0013\u00ff garbage \u001b[31m \u00fe\u00fd' },
  /** A JSON `null`. */
  null: { status: 200, contentType: 'application/json', body: 'null' },
  /** Some JSON API's answer. */
  json: { status: 200, contentType: 'application/json', body: '{"ok":true,"monitors":[]}' },
  /** A reverse proxy's error page: the upstream is down. */
  proxy502: {
    status: 502, contentType: 'text/html',
    body: `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n${'<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n'.repeat(6)}</body>\r\n</html>\r\n`,
  },
} satisfies Record<string, MetricsAnswer>;
