/**
 * @module test/helpers/request-order
 * Records, from simulators' own servers, the order in which requests arrive and are
 * answered, as positions in one sequence of server events: two calls overlapped when each
 * arrived before the other was answered, and a call made after another arrived after that
 * one was answered. Tells round trips apart without timing anything (the simulators answer
 * late, so calls made one after another cannot be mistaken for overlapping).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimServer } from '../../src/lab/sim-server.js';

/** When one request arrived and was answered. */
export interface Seen { sim: string; path: string; arrived: number; answered?: number }

/** Starts recording the requests of `sims` (by name); `stop` ends it, `settled` waits for every answer's 'finish'. */
export function watchServers(sims: Record<string, SimServer>): { seen: Seen[]; stop(): void; settled(): Promise<void> } {
  const seen: Seen[] = [];
  let seq = 0;
  const off: (() => void)[] = [];
  for (const [sim, server] of Object.entries(sims)) {
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      const s: Seen = { sim, path: new URL(req.url ?? '/', 'http://sim').pathname, arrived: ++seq };
      seen.push(s);
      res.once('finish', () => { s.answered = ++seq; });
    };
    server.server.on('request', onRequest);
    off.push(() => server.server.off('request', onRequest));
  }
  return {
    seen,
    stop: () => { for (const f of off) f(); },
    // 'finish' can come a moment after the client has read the answer.
    settled: async () => {
      for (let i = 0; i < 500 && seen.some((x) => x.answered === undefined); i++) await new Promise((r) => setTimeout(r, 10));
    },
  };
}

/** The request of `sim` to `path` (first match); throws listing what `sim` received when there is none. */
export function find(seen: Seen[], sim: string, path: string | RegExp): Seen {
  const s = seen.find((x) => x.sim === sim && (typeof path === 'string' ? x.path === path : path.test(x.path)));
  if (!s) throw new Error(`${sim} never received ${String(path)}; it received ${seen.filter((x) => x.sim === sim).map((x) => x.path).join(', ')}`);
  return s;
}

/** Both were in flight at one moment: each arrived before the other was answered. */
export function overlapped(a: Seen, b: Seen): boolean {
  return a.answered !== undefined && b.answered !== undefined && a.arrived < b.answered && b.arrived < a.answered;
}

/** Whether every request in `later` arrived before any request in `first` was answered (one round trip, not two). */
export function allBeforeAnswer(first: Seen[], later: Seen[]): boolean {
  const answered = Math.min(...first.map((x) => x.answered ?? Infinity));
  return later.every((x) => x.arrived < answered);
}
