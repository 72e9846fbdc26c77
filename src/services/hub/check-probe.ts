/**
 * @module services/hub/check-probe
 * `check --probe`: whether something accepts a TCP connection at a proxy host's forward
 * target. Opt-in, since it sends traffic from the hub to every backend; each attempt has
 * its own short time limit and at most `concurrency` run at once. A target may be probed
 * at another address (`check.probe_map`): the lab maps its simulated guests to loopback.
 */
import { connect } from 'node:net';
import { mapLimit } from '../../core/map-limit.js';

/** Whether `host:port` accepts a TCP connection within `timeoutMs`. */
export function tcpAnswers(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      signal?.removeEventListener('abort', abort);
      resolve(ok);
    };
    const abort = (): void => done(false);
    signal?.addEventListener('abort', abort, { once: true });
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** One target to probe: where the proxy forwards (`key`), and where to connect. */
export interface ProbeTarget {
  host: string;
  port: number;
  key: string;
}

/** Probes every target (duplicates of a key once); the map is keyed by `key`. */
export async function probeAll(targets: readonly ProbeTarget[], options: { timeoutMs: number; concurrency: number; signal?: AbortSignal }): Promise<Map<string, boolean>> {
  const unique = [...new Map(targets.map((t) => [t.key, t])).values()];
  const results = await mapLimit(unique, options.concurrency, (t) => tcpAnswers(t.host.replace(/^\[|\]$/g, ''), t.port, options.timeoutMs, options.signal));
  return new Map(unique.map((t, i) => [t.key, results[i] as boolean]));
}
