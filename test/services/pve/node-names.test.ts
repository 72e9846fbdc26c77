/**
 * A cold run asks the cluster's nodes in the same round trip as the node list: the node
 * names are remembered between runs in the user's cache (`services/pve/node-names.ts`),
 * so `homelab status` (its PVE and updates lines), `pve nodes` and a bot's first command
 * start the per-node reads beside `GET /nodes`; `pbs status` reads the configured datastore
 * beside the usage list. Read from the simulators' servers (the order in which requests
 * arrive and are answered), every simulator answering 300 ms late. No timing is asserted.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClientCache, createContext } from '../../../src/core/context.js';
import { invoke } from '../../../src/core/invoke.js';
import type { SimServer } from '../../../src/lab/sim-server.js';
import { getRegistry } from '../../../src/services/index.js';
import { NODE_NAMES_CACHE } from '../../../src/services/pve/node-names.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { allBeforeAnswer, find, watchServers, type Seen } from '../../helpers/request-order.js';

const lab = useLab({ services: ['pve', 'pbs'], latencyMs: 300 });
const cache = mkdtempSync(join(tmpdir(), 'homelab-node-names-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const env = (): Record<string, string> => ({ ...lab.current.env, XDG_CACHE_HOME: cache });
const sim = (name: string): SimServer => lab.current.sims.get(name) as SimServer;
const cacheFile = join(cache, 'homelab', NODE_NAMES_CACHE);
const perNode = (seen: Seen[], what: RegExp): Seen[] => seen.filter((x) => x.sim === 'pve' && what.test(x.path));
const nodeLists = (seen: Seen[]): Seen[] => seen.filter((x) => x.sim === 'pve' && x.path === '/api2/json/nodes');

/** Runs `homelab ...args` while recording the order of the PVE and PBS requests. */
async function recorded(args: string[]): Promise<{ code: number | null; stdout: string; seen: Seen[] }> {
  const log = watchServers({ pve: sim('pve'), pbs: sim('pbs') });
  try {
    const r = await runCli(args, env());
    await log.settled();
    return { code: r.code, stdout: r.stdout, seen: log.seen };
  } finally {
    log.stop();
  }
}

describe('cold runs in one round trip', () => {
  it('homelab status, run again in a new process: every node is asked before GET /nodes answers, the datastore before the usage list', async () => {
    const first = await recorded(['status', '--json']);
    expect(first.code, first.stdout).toBe(0);
    const stat = statSync(cacheFile);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(statSync(join(cache, 'homelab')).mode & 0o077).toBe(0);

    const again = await recorded(['status', '--json']);
    expect(again.code).toBe(0);
    const services = (JSON.parse(again.stdout) as { services: { service: string; state: string }[] }).services;
    expect(services.map((s) => [s.service, s.state])).toEqual([['pve', 'up'], ['pbs', 'up'], ['updates', 'up']]);
    const nodes = perNode(again.seen, /^\/api2\/json\/nodes\/[^/]+\/(status|apt\/update)$/);
    expect(nodes.map((x) => x.path).sort()).toEqual(['pve1', 'pve2'].flatMap((n) => [`/api2/json/nodes/${n}/apt/update`, `/api2/json/nodes/${n}/status`]));
    expect(allBeforeAnswer(nodeLists(again.seen), nodes)).toBe(true);
    const usage = find(again.seen, 'pbs', '/api2/json/status/datastore-usage');
    const store = [find(again.seen, 'pbs', /^\/api2\/json\/admin\/datastore\/[^/]+\/gc$/), find(again.seen, 'pbs', /^\/api2\/json\/admin\/datastore\/[^/]+\/snapshots$/)];
    expect(allBeforeAnswer([usage], store)).toBe(true);
  });

  it('a new process\'s clients (a bot\'s first command) start the nodes\' reads beside GET /nodes', async () => {
    const clients = new ClientCache();
    const log = watchServers({ pve: sim('pve') });
    try {
      await invoke(getRegistry().get('pve.nodes') as never, {}, createContext({ actor: { surface: 'telegram', id: 'tester' }, env: env(), clients, operations: getRegistry() }));
      await log.settled();
    } finally {
      log.stop();
      await clients.closeAll();
    }
    const nodes = perNode(log.seen, /^\/api2\/json\/nodes\/[^/]+\/status$/);
    expect(nodes).toHaveLength(2);
    expect(allBeforeAnswer(nodeLists(log.seen), nodes)).toBe(true);
  });

  it('follows the fresh node list: a node gone offline is forgotten and not asked; a damaged file costs only the round trip', async () => {
    const pve2 = (lab.current.sims.get('pve') as unknown as PveSim).state.nodes.get('pve2');
    if (!pve2) throw new Error('no pve2 node');
    pve2.status = 'offline';
    try {
      expect((await runCli(['pve', 'nodes', '--json'], env())).code).toBe(0);
      const stored = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, { names: string[] }>;
      expect(Object.values(stored).map((c) => c.names)).toContainEqual(['pve1']);
      const next = await recorded(['pve', 'nodes', '--json']);
      expect(next.seen.map((x) => x.path).filter((p) => p.startsWith('/api2/json/nodes/pve2'))).toEqual([]);
      expect(allBeforeAnswer(nodeLists(next.seen), perNode(next.seen, /^\/api2\/json\/nodes\/pve1\/status$/))).toBe(true);
    } finally {
      pve2.status = 'online';
    }
    writeFileSync(cacheFile, '{ not json');
    chmodSync(cacheFile, 0o600);
    const damaged = await recorded(['pve', 'nodes', '--json']);
    expect(damaged.code).toBe(0);
    expect((JSON.parse(damaged.stdout) as { node: string }[]).map((n) => n.node)).toEqual(['pve1', 'pve2']);
    expect(Object.values(JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, { names: string[] }>).map((c) => c.names)).toContainEqual(['pve1', 'pve2']);
  });
});
