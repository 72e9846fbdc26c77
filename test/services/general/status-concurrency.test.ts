/**
 * `status` asks its services at once, and each headline's independent calls at once:
 * read from the simulators' request logs (a request is logged when it arrives and gets
 * its status when answered), two calls overlapped when each arrived before the other
 * was answered. Every simulator answers 500 ms late, so calls made one after another
 * can never overlap. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { invoke } from '../../../src/core/invoke.js';
import type { LoggedRequest, SimServer } from '../../../src/lab/sim-server.js';
import type { StatusResult } from '../../../src/services/general/status.js';
import { getRegistry } from '../../../src/services/index.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns'], latencyMs: 500 });

/** When (in poll ticks) each request arrived and was answered. */
interface Seen { sim: string; req: LoggedRequest; arrived: number; answered?: number }

/** Watches the request logs of `sims` every 5 ms until `stop()`. */
function watchLogs(sims: Record<string, SimServer>): { seen: Seen[]; stop(): void } {
  const seen: Seen[] = [];
  let tick = 0;
  const poll = (): void => {
    tick++;
    for (const [sim, server] of Object.entries(sims)) {
      for (const req of server.requests) {
        let s = seen.find((x) => x.req === req);
        if (!s) seen.push((s = { sim, req, arrived: tick }));
        if (s.answered === undefined && req.status !== undefined) s.answered = tick;
      }
    }
  };
  poll();
  const timer = setInterval(poll, 5);
  return { seen, stop: () => { clearInterval(timer); poll(); } };
}

function find(seen: Seen[], sim: string, path: string | RegExp): Seen {
  const s = seen.find((x) => x.sim === sim && (typeof path === 'string' ? x.req.path === path : path.test(x.req.path)));
  if (!s) throw new Error(`${sim} never received ${String(path)}; it received ${seen.filter((x) => x.sim === sim).map((x) => x.req.path).join(', ')}`);
  return s;
}

/** Both were in flight at one moment: each arrived before the other was answered. */
function overlapped(a: Seen, b: Seen): boolean {
  return a.answered !== undefined && b.answered !== undefined && a.arrived < b.answered && b.arrived < a.answered;
}

describe('status concurrency', () => {
  it('asks every service, and the independent calls of one headline, at once', async () => {
    const { sims, env } = lab.current;
    const pve = sims.get('pve') as SimServer;
    const dns = sims.get('dns') as SimServer;
    const log = watchLogs({ pve, dns });
    let result: StatusResult;
    try {
      result = (await invoke(getRegistry().get('status') as never, { timeout: 30 }, createContext({ actor: { surface: 'cli', id: 'tester' }, env: { ...env } }))) as StatusResult;
    } finally {
      log.stop();
    }
    expect(result.services.map((s) => [s.service, s.state])).toEqual([['pve', 'up'], ['dns', 'up'], ['updates', 'up']]);
    const guests = find(log.seen, 'pve', '/api2/json/cluster/resources');
    const dnsStats = log.seen.find((x) => x.sim === 'dns') as Seen;
    const nodeList = find(log.seen, 'pve', '/api2/json/nodes');
    // Services at once: the PVE and DNS headlines.
    expect(overlapped(guests, dnsStats)).toBe(true);
    // One headline's calls at once: pve list and pve nodes.
    expect(overlapped(guests, nodeList)).toBe(true);
    // Updates of a node: its pending list and apt/versions (for a pending reboot) at once.
    const aptList = find(log.seen, 'pve', /^\/api2\/json\/nodes\/[^/]+\/apt\/update$/);
    const node = aptList.req.path.split('/')[4] as string;
    expect(overlapped(aptList, find(log.seen, 'pve', `/api2/json/nodes/${node}/apt/versions`))).toBe(true);
  });
});
