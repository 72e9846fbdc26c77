/**
 * Alert delivery over the Bot API, against the project's Telegram simulator on
 * 127.0.0.1: `sendMessage` to the owner's chat with the token from
 * telegram/credentials, long texts split at line boundaries, a refused send reported
 * without the token, and a watch alert arriving end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { ApiError, CancelledError, ConfigError } from '../../src/core/errors.js';
import { startTelegramSim, type TelegramSim } from '../../src/services/telegram/sim/index.js';
import { guestsCheck } from '../../src/watch/checks/guests.js';
import { notifierFromConfig, splitMessage, telegramNotifier } from '../../src/watch/notifier.js';
import { useLab } from '../helpers/lab.js';
import { FakeClock, labWatcher, tempDataDir } from './helpers.js';
import { writeBotToken } from '../helpers/bot-token.js';
import { until } from '../surfaces/telegram/harness.js';

const OWNER = 4242;
const lab = useLab({ services: ['pve'] });
let tg: TelegramSim;

beforeAll(async () => {
  tg = await startTelegramSim();
  tg.knownChats.add(OWNER);
  writeBotToken(lab.current.env.HOMELAB_CONFIG_HOME, tg.token);
  lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER } });
});
afterAll(async () => {
  await tg?.close();
});

describe('telegram notifier', () => {
  it('sends to the owner chat, splitting a long text at line boundaries', async () => {
    const notifier = notifierFromConfig(loadConfig(lab.current.env), lab.current.env);
    const before = tg.messagesIn(OWNER).length;
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(60)}`);
    await notifier.send(lines.join('\n'));
    const sent = tg.messagesIn(OWNER).slice(before);
    expect(sent).toHaveLength(2);
    expect(sent.every((m) => (m.text ?? '').length <= 4096)).toBe(true);
    expect(sent.map((m) => m.text).join('\n')).toBe(lines.join('\n'));
  });

  it('reports a chat Telegram does not know as a config error naming the setting, without the token', async () => {
    const notifier = telegramNotifier({ apiRoot: tg.url, token: tg.token, chatId: 999_999 });
    const error = await notifier.send('hello').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(3);
    expect((error as Error).message).toBe('telegram: cannot write to chat 999999, set in telegram.owner_chat_id (Bad Request: chat not found)');
    expect((error as Error).message).not.toContain(tg.token);
  });

  it('names watch.chat_id when that is the chat Telegram does not know', async () => {
    const config = { ...loadConfig(lab.current.env), watch: { chat_id: 999_998 } };
    const notifier = notifierFromConfig(config, lab.current.env, 999_998);
    await expect(notifier.send('hello')).rejects.toThrow('telegram: cannot write to chat 999998, set in watch.chat_id (Bad Request: chat not found)');
  });

  it('gives up a send Telegram does not answer once its signal aborts (the daemon stopping), delivering nothing', async () => {
    const notifier = notifierFromConfig(loadConfig(lab.current.env), lab.current.env);
    const before = tg.messagesIn(OWNER).length;
    const calls = tg.state.calls.length;
    tg.faults.hangNext = 1;
    const stop = new AbortController();
    const sending = notifier.send('never answered', stop.signal).then(() => undefined, (e: unknown) => e);
    await until(() => tg.state.calls.length > calls, 'the send to reach Telegram');
    stop.abort(new CancelledError('stopping'));
    expect(await sending).toMatchObject({ message: 'stopping with no answer to POST /sendMessage: it may have been applied; check before retrying' });
    expect(tg.messagesIn(OWNER).slice(before)).toEqual([]);
  });

  it('gives up waiting out a 429 once its signal aborts', async () => {
    const notifier = notifierFromConfig(loadConfig(lab.current.env), lab.current.env);
    const before = tg.messagesIn(OWNER).length;
    const calls = tg.state.calls.length;
    Object.assign(tg.faults, { rateLimitNext: 1, retryAfter: 30 });
    const stop = new AbortController();
    const sending = notifier.send('rate limited, then stopped', stop.signal).then(() => undefined, (e: unknown) => e);
    await until(() => tg.state.calls.length > calls, 'the 429');
    stop.abort(new Error('stopping'));
    expect(await sending).toMatchObject({ message: 'stopping' });
    expect(tg.state.calls.length).toBe(calls + 1);
    expect(tg.messagesIn(OWNER).slice(before)).toEqual([]);
  });

  it('waits out a 429 and sends the message once', async () => {
    const notifier = notifierFromConfig(loadConfig(lab.current.env), lab.current.env);
    const before = tg.messagesIn(OWNER).length;
    const calls = tg.state.calls.length;
    Object.assign(tg.faults, { rateLimitNext: 1, retryAfter: 1 });
    await notifier.send('rate limited, then through');
    expect(tg.messagesIn(OWNER).slice(before).map((m) => m.text)).toEqual(['rate limited, then through']);
    expect(tg.state.calls.slice(calls).map((c) => c.method)).toEqual(['sendMessage', 'sendMessage']);
  });

  it('gives up on a 429 asking for a wait past 30 s, sending nothing', async () => {
    const notifier = notifierFromConfig(loadConfig(lab.current.env), lab.current.env);
    const before = tg.messagesIn(OWNER).length;
    Object.assign(tg.faults, { rateLimitNext: 1, retryAfter: 60 });
    const error = await notifier.send('later').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect(tg.messagesIn(OWNER).slice(before)).toEqual([]);
  });

  it('delivers a watch alert end to end', async () => {
    const data = tempDataDir();
    const config = loadConfig(lab.current.env);
    const w = await labWatcher(lab.current, { watch: { for: '0s' }, dataDir: data.dir, clock: new FakeClock(), notifier: notifierFromConfig(config, lab.current.env), checks: [guestsCheck] });
    try {
      const before = tg.messagesIn(OWNER).length;
      const outcome = await w.runCheck('guests');
      expect(outcome.sent).toBe(true);
      const sent = tg.messagesIn(OWNER).slice(before);
      expect(sent.map((m) => m.text)).toEqual(['🔴 guests (critical): VM 201 (media) on pve2 is stopped but set to start on boot']);
    } finally {
      await w.close();
      w.store.close();
      data.remove();
    }
  });

  it('splits a single over-long line into pieces', () => {
    const parts = splitMessage('a'.repeat(9000));
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 808]);
  });
});
