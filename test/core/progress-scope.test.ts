import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ClientCache, createContext } from '../../src/core/context.js';
import { invoke } from '../../src/core/invoke.js';
import { defineOperation, type AnyOperation, type ClientFactory } from '../../src/core/operation.js';
import { currentProgress, soloProgressScopes, withProgress } from '../../src/core/progress-scope.js';

/** A client that reports progress through the deps it was created with, as the HTTP clients do. */
interface SlowClient { wait(ms: number): Promise<void> }
const factory: ClientFactory<SlowClient> = {
  service: 'slow',
  create: ({ progress }) => ({
    async wait(ms) {
      progress('waiting for slow');
      await new Promise((r) => setTimeout(r, ms));
      progress('slow answered');
    },
  }),
};

const op = defineOperation({
  id: 'slow.wait', summary: 'wait', input: z.object({ ms: z.number() }), risk: 'read',
  run: async (ctx, input) => (await ctx.client(factory)).wait(input.ms),
}) as unknown as AnyOperation;

describe('a cached client shared by concurrent operations', () => {
  it('sends each progress note to the operation waiting now, not to the one that created the client', async () => {
    const clients = new ClientCache();
    const config = { services: {}, ssh: { targets: [], concurrency: 1, timeout_seconds: 1 }, path: '/none' };
    const notes = { first: [] as string[], second: [] as string[] };
    const ctxFor = (who: keyof typeof notes) => createContext({ actor: { surface: 'telegram', id: who }, config, clients, progress: (n) => notes[who].push(n) });
    // The first chat creates the client; the second chat's call overlaps it and outlasts it.
    await Promise.all([invoke(op, { ms: 20 }, ctxFor('first')), invoke(op, { ms: 60 }, ctxFor('second'))]);
    await invoke(op, { ms: 1 }, ctxFor('second'));
    expect(notes.first).toEqual(['waiting for slow', 'slow answered']);
    expect(notes.second).toEqual(['waiting for slow', 'slow answered', 'waiting for slow', 'slow answered']);
  });
});

const note = (label: string, log: string[]) => (text: string) => log.push(`${label}:${text}`);

/** Two operations at once, each reporting after awaits: each note must reach its own scope. */
async function twoAtOnce(log: string[]): Promise<void> {
  const report = async (text: string, wait: number): Promise<void> => {
    await sleep(wait);
    currentProgress()?.(text);
  };
  await Promise.all([
    withProgress(note('a', log), async () => {
      await report('a1', 5);
      await report('a2', 15);
    }),
    withProgress(note('b', log), async () => {
      await report('b1', 10);
      await report('b2', 1);
    }),
  ]);
}

describe('progress scopes', () => {
  it('route each concurrent operation’s notes to its own callback', async () => {
    const log: string[] = [];
    await twoAtOnce(log);
    expect(log.sort()).toEqual(['a:a1', 'a:a2', 'b:b1', 'b:b2']);
    expect(currentProgress()).toBeUndefined();
  });

  it('in a solo run: the outer scope reaches every await, nested and side-by-side scopes keep their own', async () => {
    const log: string[] = [];
    await soloProgressScopes(() =>
      withProgress(note('outer', log), async () => {
        await sleep(1);
        currentProgress()?.('before');
        await twoAtOnce(log);
        currentProgress()?.('after');
        await withProgress(note('step', log), async () => {
          await sleep(1);
          currentProgress()?.('inside');
        });
        await sleep(1);
        currentProgress()?.('last');
      }),
    );
    expect(log.filter((l) => l.startsWith('outer:') || l.startsWith('step:'))).toEqual(['outer:before', 'outer:after', 'step:inside', 'outer:last']);
    expect(log.filter((l) => /^[ab]:/.test(l)).sort()).toEqual(['a:a1', 'a:a2', 'b:b1', 'b:b2']);
    expect(currentProgress()).toBeUndefined();
  });

  it('in a solo run: a failed operation leaves no scope behind, and the next run gets its own', async () => {
    const log: string[] = [];
    await expect(soloProgressScopes(() => withProgress(note('x', log), async () => {
      await sleep(1);
      throw new Error('boom');
    }))).rejects.toThrow('boom');
    expect(currentProgress()).toBeUndefined();
    await expect(soloProgressScopes(() => withProgress(note('y', log), () => { throw new Error('sync'); }))).rejects.toThrow('sync');
    expect(currentProgress()).toBeUndefined();
    await soloProgressScopes(() => withProgress(note('z', log), async () => currentProgress()?.('ok')));
    expect(log).toEqual(['z:ok']);
  });

  it('after a solo run, scopes are async-local again (a daemon in the same process is not misrouted)', async () => {
    await soloProgressScopes(async () => undefined);
    const log: string[] = [];
    let outside: ((text: string) => void) | undefined = note('none', log);
    const running = withProgress(note('a', log), async () => {
      await sleep(10);
      currentProgress()?.('a1');
    });
    await sleep(2);
    outside = currentProgress();
    await running;
    expect(outside).toBeUndefined();
    expect(log).toEqual(['a:a1']);
  });
});
