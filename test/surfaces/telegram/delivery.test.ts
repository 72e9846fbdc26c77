import type { Transformer } from 'grammy';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiTransformer } from '../../../src/surfaces/telegram/grammy-transport.js';
import { createLogger } from '../../../src/surfaces/telegram/log.js';
import { OWNER, records, startHarness, until, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.stop(); });

describe('a result Telegram will not take', () => {
  it('is a delivery problem of a command that succeeded, not a failed command', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    // The result's message gets 429 with a wait longer than the bot waits (25 s in all).
    Object.assign(h.sim.faults, { only: ['sendMessage'], rateLimitNext: 1, retryAfter: 61 });
    await owner.send('/pve status 100');
    const notice = await owner.waitForMessage(() => true, 'the notice', before);
    expect(notice.plain).toBe('✓ /pve status 100 finished, but its result could not be sent.\n⚠️ telegram: sendMessage: Too Many Requests: retry after 61');
    await until(() => records(h.logs).some((r) => r.msg === 'reply not delivered'), 'the delivery log line');
    const logged = records(h.logs);
    expect(logged.some((r) => r.msg === 'command failed')).toBe(false);
    expect(logged.find((r) => r.msg === 'command finished' && r.op === 'pve.status')).toMatchObject({ delivery: 'failed' });
  });
});

describe('apiTransformer', () => {
  afterEach(() => { vi.useRealTimers(); });

  const tooMany = (retryAfter: number) => ({ ok: false as const, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });

  it('waits out retry_afters adding up to 25 s, 3 tries at most', async () => {
    vi.useFakeTimers();
    const answers = [tooMany(10), tooMany(15), { ok: true as const, result: true }];
    const prev = vi.fn(async () => answers.shift() as never);
    const call = apiTransformer(createLogger(() => undefined)) as Transformer;
    const result = call(prev as never, 'sendMessage', { chat_id: 1, text: 'x' } as never);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(prev).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(16_000);
    expect(await result).toEqual({ ok: true, result: true });
    expect(prev).toHaveBeenCalledTimes(3);
    const three = vi.fn(async () => tooMany(5) as never);
    const given = call(three as never, 'sendMessage', {} as never);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await given).toMatchObject({ error_code: 429 });
    expect(three).toHaveBeenCalledTimes(3);
  });

  it('never waits past the unit\'s TimeoutStopSec: a retry_after over what is left of 25 s is given up at once', async () => {
    vi.useFakeTimers();
    const call = apiTransformer(createLogger(() => undefined)) as Transformer;
    const long = vi.fn(async () => tooMany(26) as never);
    expect(await call(long as never, 'sendMessage', {} as never)).toMatchObject({ error_code: 429 });
    expect(long).toHaveBeenCalledTimes(1);
    const answers = [tooMany(20), tooMany(10)];
    const twice = vi.fn(async () => answers.shift() as never);
    const result = call(twice as never, 'sendMessage', {} as never);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await result).toMatchObject({ error_code: 429, parameters: { retry_after: 10 } });
    expect(twice).toHaveBeenCalledTimes(2);
  });

  it('ends a wait at once when the bot stops, leaving no timer behind', async () => {
    vi.useFakeTimers();
    const stopping = new AbortController();
    const call = apiTransformer(createLogger(() => undefined), stopping.signal) as Transformer;
    const prev = vi.fn(async () => tooMany(20) as never);
    const result = call(prev as never, 'sendMessage', {} as never);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(vi.getTimerCount()).toBe(1);
    stopping.abort();
    expect(await result).toMatchObject({ error_code: 429 });
    expect(prev).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    // A call once the bot stopped is aborted too (grammY clears its own time limit then).
    const seen = vi.fn(async (_m: string, _p: unknown, signal?: AbortSignal) => ({ ok: true as const, result: signal?.aborted }) as never);
    expect(await call(seen as never, 'sendMessage', {} as never)).toEqual({ ok: true, result: true });
  });
});
