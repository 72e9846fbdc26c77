/**
 * A long-running client (the bot, the MCP server) reads its own Kuma changes right after
 * making them. Kuma pushes the monitor list before it answers `add`, `editMonitor`,
 * `pauseMonitor` and `resumeMonitor`, but answers `deleteMonitor` first and pushes the list
 * after (here 400 ms after, as a busy server does): the operations wait until the pushed
 * list shows the change, so the next read in the same session never sees a stale list.
 * Operations through one context (one shared client), against the lab's Kuma simulator.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ClientCache, createContext } from '../../../src/core/context.js';
import type { OpContext } from '../../../src/core/operation.js';
import { getRegistry } from '../../../src/services/index.js';
import type { KumaSim } from '../../../src/services/kuma/sim/index.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['kuma'] });
const kuma = (): KumaSim => lab.current.sims.get('kuma') as KumaSim;
let ctx: OpContext | undefined;
const clients = new ClientCache();
afterAll(async () => { await clients.closeAll(); });

type Listed = { id: number; name: string; active: boolean; target: string };

describe('reading its own Kuma changes', () => {
  it('the list right after add, edit, pause, resume and delete shows each change', async () => {
    const registry = getRegistry();
    ctx = createContext({ actor: { surface: 'telegram', id: 'test' }, env: { ...lab.current.env }, clients, operations: { find: (id) => registry.get(id) } });
    kuma().kumaFaults.listPushLagMs = 400;
    try {
      const list = async (): Promise<Listed[]> => await ctx!.invoke<Listed[]>('kuma.list', {});
      expect((await list()).map((m) => m.name)).not.toContain('own');
      const added = await ctx.invoke<{ id: number }>('kuma.add.http', { name: 'own', url: 'https://own.home.lan' });
      expect((await list()).find((m) => m.id === added.id)).toMatchObject({ name: 'own', active: true });
      await ctx.invoke('kuma.edit', { monitor: 'own', url: 'https://own2.home.lan' });
      expect((await list()).find((m) => m.id === added.id)?.target).toBe('https://own2.home.lan');
      await ctx.invoke('kuma.pause', { monitor: 'own' });
      expect((await list()).find((m) => m.id === added.id)?.active).toBe(false);
      await ctx.invoke('kuma.resume', { monitor: 'own' });
      expect((await list()).find((m) => m.id === added.id)?.active).toBe(true);
      await ctx.invoke('kuma.delete', { monitor: 'own' });
      expect((await list()).map((m) => m.id)).not.toContain(added.id);
      // A paused monitor can be created as such (a rollback re-creating one).
      const paused = await ctx.invoke<{ id: number }>('kuma.add.http', { name: 'own-paused', url: 'https://own.home.lan', paused: true });
      expect((await list()).find((m) => m.id === paused.id)?.active).toBe(false);
      expect([...kuma().state.monitors.values()].find((m) => m.name === 'own-paused')?.active).toBe(false);
      await ctx.invoke('kuma.delete', { monitor: 'own-paused' });
    } finally {
      kuma().kumaFaults.listPushLagMs = 0;
    }
  });
});
