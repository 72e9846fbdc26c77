/**
 * The bot's fair limiter: a few commands at once, chats in turn, and a command that
 * runs long gives its place back so it never holds up the others.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FairLimiter } from '../../../src/surfaces/telegram/fair-limiter.js';

/** A piece of work the test finishes by hand. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

const flush = async (): Promise<void> => { for (let i = 0; i < 10; i++) await Promise.resolve(); };

afterEach(() => { vi.useRealTimers(); });

describe('FairLimiter', () => {
  it('runs at most `limit` at once and starts the next as one ends', async () => {
    const limiter = new FairLimiter(2, 60_000);
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) => limiter.run(i, async () => { started.push(i); await g.promise; return i; }));
    await flush();
    expect(started).toEqual([0, 1]);
    expect(limiter.waiting).toBe(1);
    gates[0]?.open();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[1]?.open();
    gates[2]?.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
  });

  it('takes waiting chats in turn, so one chat\'s pile does not starve the others', async () => {
    const limiter = new FairLimiter(1, 60_000);
    const first = gate();
    const order: string[] = [];
    const runs = [limiter.run(1, async () => { order.push('a0'); await first.promise; })];
    for (let i = 1; i <= 3; i++) runs.push(limiter.run(1, async () => { order.push(`a${i}`); }));
    runs.push(limiter.run(2, async () => { order.push('b0'); }));
    runs.push(limiter.run(3, async () => { order.push('c0'); }));
    first.open();
    await Promise.all(runs);
    expect(order).toEqual(['a0', 'a1', 'b0', 'c0', 'a2', 'a3']);
  });

  it('gives the place of a command running longer than holdMs to the next one', async () => {
    vi.useFakeTimers();
    const limiter = new FairLimiter(1, 2000);
    const slow = gate();
    const started: string[] = [];
    const hanging = limiter.run(1, async () => { started.push('slow'); await slow.promise; });
    const quick = limiter.run(2, async () => { started.push('quick'); });
    await flush();
    expect(started).toEqual(['slow']);
    await vi.advanceTimersByTimeAsync(2000);
    await quick;
    expect(started).toEqual(['slow', 'quick']);
    slow.open();
    await hanging;
    // Its place was given back once: the limit still holds afterwards.
    const a = gate();
    const later: string[] = [];
    const runs = [limiter.run(3, async () => { later.push('a'); await a.promise; }), limiter.run(4, async () => { later.push('b'); })];
    await flush();
    expect(later).toEqual(['a']);
    a.open();
    await Promise.all(runs);
    expect(later).toEqual(['a', 'b']);
  });

  it('settles as the work does, failures included, and frees the place', async () => {
    const limiter = new FairLimiter(1, 60_000);
    await expect(limiter.run(1, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await limiter.run(1, async () => 'next')).toBe('next');
  });
});
