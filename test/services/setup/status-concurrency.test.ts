/**
 * `status` asks its services at once, and each headline's independent calls at once:
 * read from the simulators' servers (the order in which requests arrive and are
 * answered), two calls overlapped when each arrived before the other was answered.
 * Every simulator answers 500 ms late, so that calls made one after another cannot be
 * mistaken for overlapping. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { ClientCache, createContext } from '../../../src/core/context.js';
import { invoke } from '../../../src/core/invoke.js';
import type { SimServer } from '../../../src/lab/sim-server.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { StatusResult } from '../../../src/services/hub/status.js';
import { getRegistry } from '../../../src/services/index.js';
import { useLab } from '../../helpers/lab.js';
import { find, overlapped, watchServers, type Seen } from '../../helpers/request-order.js';

const lab = useLab({ services: ['pve', 'dns'], latencyMs: 500 });

describe('status concurrency', () => {
  it('asks every service, and the independent calls of one headline, at once', async () => {
    const { sims, env } = lab.current;
    const pve = sims.get('pve') as SimServer;
    const dns = sims.get('dns') as SimServer;
    const log = watchServers({ pve, dns });
    let result: StatusResult;
    try {
      result = (await invoke(getRegistry().get('status') as never, { timeout: 30 }, createContext({ actor: { surface: 'cli', id: 'tester' }, env: { ...env }, operations: getRegistry() }))) as StatusResult;
    } finally {
      log.stop();
    }
    // 'finish' can come a moment after the client has read the answer.
    for (let i = 0; i < 500 && log.seen.some((x) => x.answered === undefined); i++) await new Promise((r) => setTimeout(r, 10));
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
    const node = aptList.path.split('/')[4] as string;
    expect(overlapped(aptList, find(log.seen, 'pve', `/api2/json/nodes/${node}/apt/versions`))).toBe(true);
  });

  it('with the node names known from an earlier call (the bot keeps its clients), asks the nodes beside GET /nodes', async () => {
    const { sims, env } = lab.current;
    const pve = sims.get('pve') as SimServer;
    const clients = new ClientCache();
    const ctx = (): ReturnType<typeof createContext> => createContext({ actor: { surface: 'telegram', id: 'tester' }, env: { ...env }, clients, operations: getRegistry() });
    const status = getRegistry().get('status') as never;
    try {
      await invoke(status, { timeout: 30 }, ctx());
      const log = watchServers({ pve });
      let result: StatusResult;
      try {
        result = (await invoke(status, { timeout: 30 }, ctx())) as StatusResult;
      } finally {
        log.stop();
      }
      for (let i = 0; i < 500 && log.seen.some((x) => x.answered === undefined); i++) await new Promise((r) => setTimeout(r, 10));
      expect(result.services.map((s) => [s.service, s.state])).toEqual([['pve', 'up'], ['dns', 'up'], ['updates', 'up']]);
      const nodeLists = log.seen.filter((x) => x.path === '/api2/json/nodes');
      const firstAnswered = Math.min(...nodeLists.map((x) => x.answered ?? Infinity));
      // Every node's status and pending list went out before any GET /nodes was answered: one round trip, not two.
      const perNode = log.seen.filter((x) => /^\/api2\/json\/nodes\/[^/]+\/(status|apt\/update)$/.test(x.path));
      expect(perNode.map((x) => x.path).sort()).toEqual(['pve1', 'pve2'].flatMap((n) => [`/api2/json/nodes/${n}/apt/update`, `/api2/json/nodes/${n}/status`]));
      for (const x of perNode) expect(x.arrived, x.path).toBeLessThan(firstAnswered);
    } finally {
      await clients.closeAll();
    }
  });

  it('never asks a node that was offline in the last GET /nodes before the fresh list says it is back', async () => {
    const { sims, env } = lab.current;
    const pve = sims.get('pve') as SimServer;
    const pve2 = (sims.get('pve') as unknown as PveSim).state.nodes.get('pve2');
    if (!pve2) throw new Error('no pve2 node');
    const clients = new ClientCache();
    const ctx = (): ReturnType<typeof createContext> => createContext({ actor: { surface: 'telegram', id: 'tester' }, env: { ...env }, clients, operations: getRegistry() });
    const nodes = getRegistry().get('pve.nodes') as never;
    pve2.status = 'offline';
    try {
      await invoke(nodes, {}, ctx());
      const log = watchServers({ pve });
      try {
        await invoke(nodes, {}, ctx());
      } finally {
        log.stop();
      }
      expect(log.seen.map((x) => x.path).filter((p) => p.startsWith('/api2/json/nodes/pve2'))).toEqual([]);
      expect(log.seen.map((x) => x.path)).toContain('/api2/json/nodes/pve1/status');
    } finally {
      pve2.status = 'online';
      await clients.closeAll();
    }
  });
});
