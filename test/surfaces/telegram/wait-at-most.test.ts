import { afterEach, describe, expect, it, vi } from 'vitest';
import { untilAborted, waitAtMost } from '../../../src/surfaces/telegram/wait-at-most.js';

afterEach(() => { vi.useRealTimers(); });

describe('waitAtMost', () => {
  it('is true as soon as the work settles (failed work too), leaving no timer', async () => {
    vi.useFakeTimers();
    expect(await waitAtMost(Promise.resolve(), 3000)).toBe(true);
    expect(await waitAtMost(Promise.reject(new Error('x')), 3000)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives up after its bound on work that never settles', async () => {
    vi.useFakeTimers();
    const waited = waitAtMost(new Promise(() => undefined), 3000);
    await vi.advanceTimersByTimeAsync(2999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waited).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('untilAborted', () => {
  it('rejects with the reason as soon as the signal aborts, and settles with the work otherwise', async () => {
    const controller = new AbortController();
    const stopped = untilAborted(new Promise(() => undefined), controller.signal);
    controller.abort(new Error('timed out after 30 s'));
    await expect(stopped).rejects.toThrow('timed out after 30 s');
    expect(await untilAborted(Promise.resolve(5), new AbortController().signal)).toBe(5);
  });
});
