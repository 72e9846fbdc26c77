/**
 * Bounded concurrency (core/map-limit), which every fan-out uses (updates check and
 * doctor over the SSH targets, configs over guests): order kept, never more than the
 * limit in flight, the first rejection stops the items not started yet, and
 * `settleLimit` runs every item whatever happens to the others.
 */
import { describe, expect, it } from 'vitest';
import { mapLimit, settleLimit } from '../../src/core/map-limit.js';

/** Resolves after `ms` on the timer queue, so items overlap. */
const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapLimit', () => {
  it('keeps the input order with never more than the limit in flight', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([30, 5, 20, 1, 10, 2], 3, async (ms, i) => {
      running++;
      most = Math.max(most, running);
      await later(ms);
      running--;
      return `${i}:${ms}`;
    });
    expect(out).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:2']);
    expect(most).toBe(3);
  });

  it('rejects with the first failure and starts no item after it', async () => {
    const started: number[] = [];
    const run = mapLimit([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await later(n === 1 ? 1 : 20);
      if (n === 1) throw new Error('item 1 failed');
      return n;
    });
    await expect(run).rejects.toThrow('item 1 failed');
    await later(50);
    expect(started).toEqual([0, 1]);
  });

  it('runs one at a time for an empty list or a limit of 0', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    expect(await mapLimit([1, 2], 0, async (n) => n * 2)).toEqual([2, 4]);
  });
});

describe('settleLimit', () => {
  it('runs every item and settles each, failures included', async () => {
    const settled = await settleLimit([1, 2, 3, 4], 2, async (n) => {
      await later(5);
      if (n % 2 === 0) throw new Error(`item ${n} failed`);
      return n;
    });
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([1, 'item 2 failed', 3, 'item 4 failed']);
  });
});
