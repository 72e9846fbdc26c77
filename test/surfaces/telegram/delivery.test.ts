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
    // The result's message gets 429 with a wait longer than the bot waits (60 s).
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

  it('tries once more after a retry_after of up to 60 s', async () => {
    vi.useFakeTimers();
    const answers = [tooMany(45), { ok: true as const, result: true }];
    const prev = vi.fn(async () => answers.shift() as never);
    const call = apiTransformer(createLogger(() => undefined)) as Transformer;
    const result = call(prev as never, 'sendMessage', { chat_id: 1, text: 'x' } as never);
    await vi.advanceTimersByTimeAsync(44_000);
    expect(prev).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toEqual({ ok: true, result: true });
    expect(prev).toHaveBeenCalledTimes(2);
  });

  it('gives up at once on a retry_after over 60 s, and after one retry of a long one', async () => {
    vi.useFakeTimers();
    const call = apiTransformer(createLogger(() => undefined)) as Transformer;
    const never = vi.fn(async () => tooMany(61) as never);
    expect(await call(never as never, 'sendMessage', {} as never)).toMatchObject({ error_code: 429 });
    expect(never).toHaveBeenCalledTimes(1);
    const twice = vi.fn(async () => tooMany(45) as never);
    const result = call(twice as never, 'sendMessage', {} as never);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(await result).toMatchObject({ error_code: 429 });
    expect(twice).toHaveBeenCalledTimes(2);
  });
});
