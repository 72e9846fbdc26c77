import type { Transformer } from 'grammy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HomelabError } from '../../../src/core/errors.js';
import { startBot } from '../../../src/surfaces/telegram/bot.js';
import { pollRetry } from '../../../src/surfaces/telegram/grammy-transport.js';
import { createLogger } from '../../../src/surfaces/telegram/log.js';
import { OWNER, records, sendAsOwner, startHarness, until, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('long polling', () => {
  it('removes a webhook left on the token before polling, keeping pending updates', async () => {
    h = await startHarness({ beforeStart: (sim) => { sim.state.webhookUrl = 'https://hooks.example.invalid/telegram'; } });
    const reply = await sendAsOwner(h, '/pve list', (m) => m.plain.includes('homeassistant'), 'pve list');
    expect(reply.chatId).toBe(OWNER);
    expect(h.sim.state.webhookUrl).toBe('');
    const deleted = h.sim.state.calls.filter((c) => c.method === 'deleteWebhook');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]?.body.drop_pending_updates).toBe(false);
  });

  it('polls again after an outage, and says so', async () => {
    h = await startHarness({ pollRetryMaxMs: 400 });
    const harness = h;
    await sendAsOwner(harness, '/pve list', (m) => m.plain.includes('homeassistant'), 'pve list');
    // From now on every poll fails (a proxy answering 502), until eight of them did.
    Object.assign(harness.sim.faults, { only: ['getUpdates'], htmlErrorNext: 8 });
    // The poll waiting now ends with the next update; the ones after it fail.
    await sendAsOwner(harness, '/pve status 100', (m) => m.plain.includes('100'), 'pve status');
    await until(() => harness.sim.faults.htmlErrorNext === 0, 'eight failed polls', 20_000);
    await sendAsOwner(harness, '/pve list', (m) => m.plain.includes('homeassistant'), 'pve list after the outage');
    expect(records(harness.logs).some((r) => r.msg === 'polling again' && (r.failures as number) >= 8)).toBe(true);
  }, 40_000);

  it('gives up a poll that never answers 10 s after its timeout, and polls again', async () => {
    h = await startHarness({ pollTimeoutSeconds: 1 });
    const harness = h;
    await sendAsOwner(harness, '/pve list', (m) => m.plain.includes('homeassistant'), 'pve list');
    // The next poll is taken in and never answered (a connection the network dropped silently).
    Object.assign(harness.sim.faults, { only: ['getUpdates'], hangNext: 1 });
    await until(() => harness.sim.faults.hangNext === 0, 'a hung poll', 5_000);
    // grammY's own limit is 500 s: without one of the bot's, this would wait that long.
    await sendAsOwner(harness, '/pve status 100', (m) => m.plain.includes('100'), 'pve status after the hung poll');
    expect(records(harness.logs).find((r) => r.msg === 'poll timed out')).toMatchObject({ level: 'warn', afterMs: 11_000 });
    expect(records(harness.logs).some((r) => r.msg === 'polling again' && r.failures === 1)).toBe(true);
  }, 40_000);

  it('stops with one clear exit-3 error when another bot polls the same token', async () => {
    h = await startHarness();
    const harness = h;
    const second = await startBot({ env: { ...harness.lab.env, PATH: process.env.PATH }, logger: createLogger(() => undefined) });
    try {
      const err = await harness.bot.done.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(HomelabError);
      expect((err as HomelabError).exitCode).toBe(3);
      expect((err as Error).message).toBe('another program is polling Telegram with this bot token (Telegram: terminated by other getUpdates request)');
      expect(records(harness.logs).some((r) => r.msg === 'polling stopped')).toBe(true);
      // The second bot polls on and answers.
      await sendAsOwner(harness, '/pve list', (m) => m.plain.includes('homeassistant'), 'pve list from the second bot');
    } finally {
      await second.stop();
    }
  });
});

describe('pollRetry', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('waits 100 ms after a failed poll, doubling up to its cap, whatever the outage\'s length', async () => {
    vi.useFakeTimers();
    const at: number[] = [];
    let failures = 8;
    const prev = vi.fn(async () => {
      at.push(Date.now());
      if (failures-- > 0) throw new Error('network down');
      return { ok: true as const, result: [] };
    });
    const logs: string[] = [];
    const poll = pollRetry(createLogger((l) => logs.push(l)), 400) as Transformer;
    const result = poll(prev as never, 'getUpdates', { timeout: 30 } as never);
    await vi.advanceTimersByTimeAsync(100 + 200 + 400 * 6 - 1);
    expect(prev).toHaveBeenCalledTimes(8);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toEqual({ ok: true, result: [] });
    expect(at.slice(1).map((t, i) => t - (at[i] as number))).toEqual([100, 200, 400, 400, 400, 400, 400, 400]);
    expect(records(logs).find((r) => r.msg === 'polling again')).toMatchObject({ failures: 8 });
  });

  it('retries a 5xx answer the same way; a 4xx is the runner\'s', async () => {
    vi.useFakeTimers();
    const answers = [{ ok: false as const, error_code: 502, description: 'Bad Gateway' }, { ok: false as const, error_code: 409, description: 'Conflict' }];
    const prev = vi.fn(async () => answers.shift() as never);
    const poll = pollRetry(createLogger(() => undefined), 400) as Transformer;
    const result = poll(prev as never, 'getUpdates', {} as never);
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toMatchObject({ error_code: 409 });
    expect(prev).toHaveBeenCalledTimes(2);
  });

  it('stops waiting when the runner stops, with the last failure', async () => {
    vi.useFakeTimers();
    const runner = new AbortController();
    const prev = vi.fn(async () => { throw new Error('network down'); });
    const poll = pollRetry(createLogger(() => undefined), 10_000) as Transformer;
    const result = poll(prev as never, 'getUpdates', {} as never, runner.signal as never).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    runner.abort();
    expect(await result).toMatchObject({ message: 'network down' });
    expect(vi.getTimerCount()).toBe(0);
  });
});
