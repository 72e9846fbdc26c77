/**
 * Hundreds of alerts at once (515 guests stopped): a run's notices go out as a summary past
 * 4096 characters (the most severe first, the count of the rest), every critical alert
 * listed, in as many messages as they take; each message's notices are recorded as sent
 * once it went out, so a run refused at its second message leaves only the rest due, and
 * the next run sends only those. A 429 is waited out. Against the project's Telegram
 * simulator on 127.0.0.1.
 */
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { startTelegramSim, type TelegramSim } from '../../src/services/telegram/sim/index.js';
import { defineCheck, type Finding } from '../../src/watch/check.js';
import type { Notice } from '../../src/watch/engine.js';
import { noticeLine } from '../../src/watch/messages.js';
import { notifierFromConfig, type Notifier } from '../../src/watch/notifier.js';
import { namedNotifier } from '../../src/watch/contexts.js';
import { CUT_MARK, runMessage } from '../../src/watch/run-message.js';
import { useLab } from '../helpers/lab.js';
import { FakeClock, labWatcher, RecordingNotifier, tempDataDir } from './helpers.js';
import { writeBotToken } from '../helpers/bot-token.js';

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
  writeBotToken(lab.current.env.HOMELAB_CONFIG_HOME, tg.token);
  lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER } });
});
afterAll(async () => {
  await tg?.close();
});

describe('many alerts at once', () => {
  it('sends one summary message per run when its one critical alert fits, waits out a 429, and never sends a notice twice', async () => {
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

/** `count` monitors down (critical, about 95 characters each), then `warnings` stopped guests. */
const criticalFleet = (count: number, warnings = 0): Finding[] => [
  ...Array.from({ length: count }, (_, i): Finding => ({ key: `guests:m${i}`, message: `Kuma monitor https-service-${String(i).padStart(3, '0')}.lab.example is down: connect ECONNREFUSED`, severity: 'critical' })),
  ...Array.from({ length: warnings }, (_, i): Finding => ({ key: `guests:w${i}`, message: `VM ${2000 + i} (spare-${i}) is stopped but set to start on boot`, severity: 'warning' })),
];

/** Every line of the messages naming one of the `count` monitors, by its number. */
const monitorsIn = (texts: readonly string[]): string[] => texts.flatMap((t) => t.split('\n')).flatMap((l) => /https-service-(\d{3})/.exec(l)?.[1] ?? []);

describe('many critical alerts at once', () => {
  it('sends every critical alert across messages; a refused second message leaves only the rest due, sent by the next run', async () => {
    const data = tempDataDir();
    const clock = new FakeClock();
    const real = notifierFromConfig(loadConfig(lab.current.env), lab.current.env);
    // The simulator refuses (a 429 asking for 2 minutes) the call after the `failAfter`-th message:
    // 120 monitors down take three messages, the second one refused (the third never sent).
    let failAfter = -1;
    let sends = 0;
    const notifier: Notifier = {
      gapMs: real.gapMs,
      send: (text) => {
        if (sends++ === failAfter) Object.assign(tg.faults, { rateLimitNext: 1, retryAfter: 120 });
        return real.send(text);
      },
    };
    const w = await labWatcher(lab.current, { watch: { for: '0s' }, dataDir: data.dir, clock, notifier, checks: [fleet] });
    try {
      findings = criticalFleet(120, 100);
      const before = tg.messagesIn(OWNER).length;
      failAfter = 1;
      const calls = tg.state.calls.length;
      const first = await w.runCheck('guests');
      expect(tg.state.calls.slice(calls).map((c) => c.method)).toEqual(['sendMessage', 'sendMessage']);
      expect(first.sent).toBe(false);
      expect(first.exitCode).toBe(1);
      const delivered = tg.messagesIn(OWNER).slice(before).map((m) => m.text ?? '');
      expect(delivered).toHaveLength(1);
      expect(delivered[0]?.split('\n')[0]).toBe('📣 220 alerts of guests at once (220 firing); the most severe:');
      const firstMonitors = monitorsIn(delivered);
      expect(firstMonitors.length).toBeGreaterThan(0);
      expect(firstMonitors.length).toBeLessThan(60);

      // The next run sends only what the refused messages held: every other monitor, once.
      clock.advance(5);
      failAfter = -1;
      const second = await w.runCheck('guests');
      expect(second.sent).toBe(true);
      expect(second.notices).toHaveLength(220 - firstMonitors.length);
      const rest = tg.messagesIn(OWNER).slice(before + 1).map((m) => m.text ?? '');
      expect(rest.length).toBeGreaterThan(1);
      expect(rest.every((t) => t.length <= 4096)).toBe(true);
      const all = [...firstMonitors, ...monitorsIn(rest)];
      expect(all.sort()).toEqual(Array.from({ length: 120 }, (_, i) => String(i).padStart(3, '0')));
      // Only warnings are counted, never listed critical alerts.
      const last = rest.at(-1)?.split('\n').at(-1) ?? '';
      const counted = Number(/^… and (\d+) more/.exec(last)?.[1]);
      const listedWarnings = [...delivered, ...rest].flatMap((t) => t.split('\n')).filter((l) => l.includes('set to start on boot')).length;
      expect(counted + listedWarnings).toBe(100);

      // Nothing is due any more.
      clock.advance(5);
      const third = await w.runCheck('guests');
      expect(third.notices).toEqual([]);
      expect(tg.messagesIn(OWNER).length).toBe(before + 1 + rest.length);
    } finally {
      await w.close();
      w.store.close();
      data.remove();
    }
  });

  it('keeps every message within 4096 characters with a context prefix', async () => {
    const data = tempDataDir();
    const recorder = new RecordingNotifier();
    const w = await labWatcher(lab.current, { watch: { for: '0s' }, dataDir: data.dir, clock: new FakeClock(), notifier: namedNotifier(recorder, 'office-lab'), checks: [fleet] });
    try {
      findings = criticalFleet(80);
      const outcome = await w.runCheck('guests');
      expect(outcome.sent).toBe(true);
      const texts = recorder.take();
      expect(texts.length).toBeGreaterThan(1);
      expect(texts.every((t) => t.startsWith('[office-lab] ') && t.length <= 4096)).toBe(true);
      expect(monitorsIn(texts)).toHaveLength(80);
    } finally {
      await w.close();
      w.store.close();
      data.remove();
    }
  });
});

describe('runMessage', () => {
  const notice = (i: number, kind: Notice['kind'] = 'firing'): Notice => ({ kind, key: `k${i}`, check: 'nodes', message: `node n${i} is not online`, severity: 'warning', firedAt: null });
  const critical = (i: number): Notice => ({ kind: 'firing', key: `m${i}`, check: 'kuma', message: `monitor https-service-${String(i).padStart(3, '0')}.lab.example is down: connect ECONNREFUSED 10.0.0.${i}`, severity: 'critical', firedAt: null });

  it('is the plain list while it fits one message', () => {
    const notices = [notice(1), notice(2, 'resolved')];
    expect(runMessage(notices, 0)).toEqual([{ text: '🔴 nodes: node n1 is not online\n✅ resolved nodes: node n2 is not online', notices }]);
    expect(runMessage([], 0)).toEqual([]);
  });

  it('past the limit, counts every kind and lists critical alerts first', () => {
    const notices = [notice(1, 'resolved'), notice(2, 'repeat'), ...[3, 4, 5, 6, 7, 8].map((i) => notice(i))];
    notices[4] = { ...notice(5), severity: 'critical' };
    expect(notices.map((n) => noticeLine(n, 0)).join('\n').length).toBeGreaterThan(190);
    const parts = runMessage(notices, 0, 190);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.text.length).toBeLessThanOrEqual(190);
    expect(parts[0]?.text.split('\n')).toEqual([
      '📣 8 alerts of nodes at once (6 firing, 1 still firing, 1 resolved); the most severe:',
      '🔴 nodes (critical): node n5 is not online',
      '… and 7 more: homelab watch status lists every alert',
    ]);
    expect(parts[0]?.notices).toHaveLength(8);
  });

  it('sends all of 80 critical alerts across messages, counting only the rest', () => {
    const criticals = Array.from({ length: 80 }, (_, i) => critical(i));
    const others = [notice(0, 'resolved'), ...Array.from({ length: 100 }, (_, i) => notice(i + 1))];
    const notices = [others[0] as Notice, ...criticals.slice(0, 40), ...others.slice(1), ...criticals.slice(40)];
    const parts = runMessage(notices, 0);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.text.length <= 4096)).toBe(true);
    const lines = parts.flatMap((p) => p.text.split('\n'));
    for (const n of criticals) expect(lines.filter((l) => l.includes(n.message))).toHaveLength(1);
    // Each notice is carried by exactly one message, and each message lists its own critical alerts.
    expect(parts.flatMap((p) => p.notices.map((n) => n.key)).sort()).toEqual(notices.map((n) => n.key).sort());
    for (const p of parts) for (const n of p.notices.filter((c) => c.severity === 'critical')) expect(p.text).toContain(n.message);
    // The last line counts only the warnings and resolutions not listed.
    const counted = Number(/^… and (\d+) more: homelab watch status lists every alert$/.exec(lines.at(-1) ?? '')?.[1]);
    expect(counted).toBeGreaterThan(0);
    expect(counted + lines.filter((l) => / node n\d+ is not online$/.test(l)).length).toBe(others.length);
  });

  it('cuts a notice longer than one message instead of dropping it', () => {
    const huge: Notice = { ...critical(1), message: `backup failed: ${'x'.repeat(6000)}` };
    const parts = runMessage([huge], 0);
    expect(parts).toHaveLength(1);
    const text = parts[0]?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text.length).toBeGreaterThan(4000);
    expect(text.startsWith('🔴 kuma (critical): backup failed: xxx')).toBe(true);
    expect(text.endsWith(` ${CUT_MARK}`)).toBe(true);
    expect(parts[0]?.notices).toEqual([huge]);

    // Cut in a summary too, still listed whole with its header and the count of the rest.
    const many = [huge, ...Array.from({ length: 200 }, (_, i) => notice(i))];
    const summary = runMessage(many, 0);
    expect(summary.every((p) => p.text.length <= 4096)).toBe(true);
    const summaryLines = summary.flatMap((p) => p.text.split('\n'));
    expect(summaryLines[1]?.startsWith('🔴 kuma (critical): backup failed: xxx')).toBe(true);
    expect(summaryLines[1]?.endsWith(CUT_MARK)).toBe(true);
    expect(summaryLines.at(-1)).toBe('… and 200 more: homelab watch status lists every alert');
  });
});
