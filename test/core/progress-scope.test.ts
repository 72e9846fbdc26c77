import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ClientCache, createContext } from '../../src/core/context.js';
import { invoke } from '../../src/core/invoke.js';
import { defineOperation, type AnyOperation, type ClientFactory } from '../../src/core/operation.js';

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
