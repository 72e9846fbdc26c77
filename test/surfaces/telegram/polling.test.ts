import { afterEach, describe, expect, it } from 'vitest';
import { HomelabError } from '../../../src/core/errors.js';
import { startBot } from '../../../src/surfaces/telegram/bot.js';
import { createLogger } from '../../../src/surfaces/telegram/log.js';
import { OWNER, records, sendAsOwner, startHarness, until, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const polls = (harness: Harness) => harness.sim.state.calls.filter((c) => c.method === 'getUpdates');

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

  it('comes back within its cap after an outage, however long the outage was', async () => {
    h = await startHarness({ pollRetryMaxMs: 400 });
    const harness = h;
    await sendAsOwner(harness, '/pve list', (m) => m.plain.includes('homeassistant'), 'pve list');
    // From now on every poll fails (a proxy answering 502), until eight of them did.
    const start = polls(harness).length;
    Object.assign(harness.sim.faults, { only: ['getUpdates'], htmlErrorNext: 8 });
    // The poll waiting now ends with the next update; the ones after it fail.
    await sendAsOwner(harness, '/pve status 100', (m) => m.plain.includes('100'), 'pve status');
    await until(() => harness.sim.faults.htmlErrorNext === 0, 'eight failed polls', 20_000);
    await sendAsOwner(harness, '/pve list', (m) => m.plain.includes('homeassistant'), 'pve list after the outage');
    const times = polls(harness).slice(start).map((c) => c.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // Doubling without a cap, the eighth retry alone would wait 12.8 s.
    expect(Math.max(...gaps)).toBeLessThan(2000);
    expect(records(harness.logs).some((r) => r.msg === 'polling again' && (r.failures as number) >= 8)).toBe(true);
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
