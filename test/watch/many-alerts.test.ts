/**
 * Hundreds of alerts at once (515 guests stopped): a run's notices go out as one Telegram
 * message, a summary past 4096 characters (the most severe first, the count of the rest),
 * so a run that is refused or rate-limited never leaves some parts sent and the rest due;
 * a 429 is waited out. Against the project's Telegram simulator on 127.0.0.1.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { startTelegramSim, type TelegramSim } from '../../src/services/telegram/sim/index.js';
import { defineCheck, type Finding } from '../../src/watch/check.js';
import type { Notice } from '../../src/watch/engine.js';
import { noticesMessage } from '../../src/watch/messages.js';
import { notifierFromConfig } from '../../src/watch/notifier.js';
import { runMessage } from '../../src/watch/run-message.js';
import { useLab } from '../helpers/lab.js';
import { FakeClock, labWatcher, tempDataDir } from './helpers.js';

const OWNER = 4343;
const lab = useLab({ services: ['pve'] });
let tg: TelegramSim;
let findings: Finding[] = [];

/** 515 stopped guests, one of them critical, each message about 120 characters. */
const many = (): Finding[] => Array.from({ length: 515 }, (_, i) => ({
  key: `guests:${1000 + i}`,
  message: `VM ${1000 + i} (worker-${String(i).padStart(3, '0')}) on pve${(i % 3) + 1} is stopped but set to start on boot ${'·'.repeat(30)}`,
  severity: i === 400 ? 'critical' : 'warning',
}));

const fleet = defineCheck({
  name: 'guests', summary: 'test fleet', operations: [], services: [], schedule: '*/5 * * * *', options: z.object({}),
  evaluate: () => Promise.resolve(findings),
});

beforeAll(async () => {
  tg = await startTelegramSim();
  tg.knownChats.add(OWNER);
  const dir = join(lab.current.env.HOMELAB_CONFIG_HOME, 'telegram');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'credentials'), `TELEGRAM_BOT_TOKEN=${tg.token}\n`, { mode: 0o600 });
  chmodSync(join(dir, 'credentials'), 0o600);
  lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER } });
});
afterAll(async () => {
  await tg?.close();
});

describe('many alerts at once', () => {
  it('sends one summary message per run, waits out a 429, and never sends a notice twice', async () => {
    const data = tempDataDir();
    const clock = new FakeClock();
    const notifier = notifierFromConfig(loadConfig(lab.current.env), lab.current.env);
    const w = await labWatcher(lab.current, { watch: { for: '0s' }, dataDir: data.dir, clock, notifier, checks: [fleet] });
    try {
      findings = many();
      // Refused outright (a wait past 30 s is not waited out): nothing reaches the owner, all stays due.
      Object.assign(tg.faults, { rateLimitNext: 1, retryAfter: 120 });
      const refused = await w.runCheck('guests');
      expect(refused.sent).toBe(false);
      expect(tg.messagesIn(OWNER)).toEqual([]);

      // Next run, rate-limited once for a second: waited out, then one message with everything.
      clock.advance(5);
      Object.assign(tg.faults, { rateLimitNext: 1, retryAfter: 1 });
      const calls = tg.state.calls.length;
      const outcome = await w.runCheck('guests');
      expect(outcome.sent).toBe(true);
      expect(outcome.notices).toHaveLength(515);
      expect(tg.state.calls.slice(calls).map((c) => c.method)).toEqual(['sendMessage', 'sendMessage']);
      const sent = tg.messagesIn(OWNER).map((m) => m.text ?? '');
      expect(sent).toHaveLength(1);
      const text = sent[0] ?? '';
      expect(text.length).toBeLessThanOrEqual(4096);
      const lines = text.split('\n');
      expect(lines[0]).toBe('📣 515 alerts of guests at once (515 firing); the most severe:');
      expect(lines[1]).toContain('guests (critical): VM 1400 (worker-400)');
      expect(lines.at(-1)).toBe(`… and ${515 - (lines.length - 2)} more: homelab watch status lists every alert`);

      // Nothing is due any more: the next run sends nothing.
      clock.advance(5);
      const again = await w.runCheck('guests');
      expect(again.notices).toEqual([]);
      expect(tg.messagesIn(OWNER)).toHaveLength(1);
    } finally {
      await w.close();
      w.store.close();
      data.remove();
    }
  });
});

describe('runMessage', () => {
  const notice = (i: number, kind: Notice['kind'] = 'firing'): Notice => ({ kind, key: `k${i}`, check: 'nodes', message: `node n${i} is not online`, severity: 'warning', firedAt: null });

  it('is the plain list while it fits one message', () => {
    const notices = [notice(1), notice(2, 'resolved')];
    expect(runMessage(notices, 0)).toBe(noticesMessage(notices, 0));
  });

  it('past the limit, counts every kind and lists critical alerts first', () => {
    const notices = [notice(1, 'resolved'), notice(2, 'repeat'), ...[3, 4, 5, 6, 7, 8].map((i) => notice(i))];
    notices[4] = { ...notice(5), severity: 'critical' };
    expect(noticesMessage(notices, 0).length).toBeGreaterThan(190);
    const text = runMessage(notices, 0, 190);
    expect(text.length).toBeLessThanOrEqual(190);
    expect(text.split('\n')).toEqual([
      '📣 8 alerts of nodes at once (6 firing, 1 still firing, 1 resolved); the most severe:',
      '🔴 nodes (critical): node n5 is not online',
      '… and 7 more: homelab watch status lists every alert',
    ]);
  });
});
