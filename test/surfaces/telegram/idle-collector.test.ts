/**
 * The bot's idle collector: one collection after a quiet period that followed work that
 * grew the heap, never while updates keep coming; at once when a burst grows it a lot;
 * and V8's own `gc` is found without --expose-gc.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdleCollector } from '../../../src/surfaces/telegram/idle-collector.js';

const MiB = 1024 * 1024;

afterEach(() => { vi.useRealTimers(); });

/** A collector over a pretend heap of `heap.size` bytes; collecting brings it back to 30 MiB. */
function pretend(options: { idleMs?: number } = {}): { collector: IdleCollector; heap: { size: number }; collections: () => number } {
  const heap = { size: 30 * MiB };
  let n = 0;
  const collector = new IdleCollector({ ...options, heapSize: () => heap.size, collect: () => { n++; heap.size = 30 * MiB; }, now: () => Date.now() });
  return { collector, heap, collections: () => n };
}

describe('IdleCollector', () => {
  it('collects once after the quiet period that follows work, and not while updates keep coming', async () => {
    vi.useFakeTimers();
    const { collector, heap, collections } = pretend({ idleMs: 10_000 });
    for (let i = 0; i < 5; i++) {
      collector.begin();
      heap.size += 5 * MiB;
      await vi.advanceTimersByTimeAsync(6_000);
      collector.end();
    }
    expect(collections()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(collections()).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(collections()).toBe(1);
  });

  it('does not collect when the heap has not grown', async () => {
    vi.useFakeTimers();
    const { collector, heap, collections } = pretend({ idleMs: 1_000 });
    collector.begin();
    heap.size += 2 * MiB;
    collector.end();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(collections()).toBe(0);
  });

  it('collects at once when a burst grows the heap by 40 MiB, at most every 3 s', async () => {
    vi.useFakeTimers();
    const { collector, heap, collections } = pretend({ idleMs: 60_000 });
    collector.begin();
    heap.size += 45 * MiB;
    collector.end();
    expect(collections()).toBe(1);
    heap.size += 45 * MiB;
    collector.end();
    expect(collections()).toBe(1);
    await vi.advanceTimersByTimeAsync(3_000);
    collector.end();
    expect(collections()).toBe(2);
    collector.stop();
  });

  it('finds V8\'s gc without --expose-gc, and it frees garbage', async () => {
    const { getHeapStatistics } = await import('node:v8');
    const collector = new IdleCollector({ idleMs: 1, minGrowthBytes: 1, busyGrowthBytes: Number.MAX_SAFE_INTEGER });
    let junk: number[][] | undefined = Array.from({ length: 400 }, () => new Array<number>(16_384).fill(2.5));
    const grown = getHeapStatistics().used_heap_size;
    expect(junk.length).toBe(400);
    junk = undefined;
    collector.begin();
    collector.end();
    await new Promise((r) => setTimeout(r, 50));
    expect(getHeapStatistics().used_heap_size).toBeLessThan(grown - 20 * MiB);
  });
});
