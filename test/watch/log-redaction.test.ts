/**
 * The watch daemon's log never shows a registered secret: an error a log line carries is
 * redacted first, whether the scheduler logs it (a check or the digest that failed on its
 * schedule, the first round at start) or `homelab watch --digest` does (the Bot API
 * refusing the digest with a description that echoes the bot token).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { z } from 'zod';
import { configSchema } from '../../src/core/config.js';
import { registerSecret } from '../../src/core/redact.js';
import { getRegistry } from '../../src/services/index.js';
import { defineCheck, type AnyCheck } from '../../src/watch/check.js';
import { watchCommand } from '../../src/watch/command.js';
import { runFirstRound, startSchedules } from '../../src/watch/scheduler.js';
import { WatchStore } from '../../src/watch/state.js';
import { Watcher, type CheckOutcome } from '../../src/watch/watcher.js';
import { RecordingNotifier, tempDataDir } from './helpers.js';

const SECRET = 'watch-log-secret-7c1e9a';
registerSecret(SECRET);

/** A check with nothing to configure, scheduled every second. */
const everySecond = defineCheck({
  name: 'probe', summary: 'a check for this test', operations: [], services: [], schedule: '* * * * * *', options: z.object({}),
  evaluate: async () => [],
}) as unknown as AnyCheck;

/** A watcher whose checks and digest fail with an error that carries the secret. */
class FailingWatcher extends Watcher {
  override async runCheck(name: string): Promise<CheckOutcome> {
    throw new Error(`${name} could not run: the server said ${SECRET}`);
  }
  override async sendDigest(): Promise<string> {
    throw new Error(`the Bot API said ${SECRET}`);
  }
}

/** Resolves once `done()` holds, checking every 50 ms; rejects after `ms`. */
async function until(done: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !done(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > end) throw new Error('gave up waiting');
  }
}

describe('watch log lines', () => {
  it('redact the errors of scheduled runs, the digest and the first round', async () => {
    const data = tempDataDir();
    const config = { ...configSchema.parse({ services: {}, watch: { timezone: 'UTC', digest: { schedule: '* * * * * *' } } }), path: join(data.dir, 'config.yaml') };
    const watcher = new FailingWatcher({ registry: getRegistry(), config, env: { HOMELAB_DATA_HOME: data.dir }, notifier: new RecordingNotifier(), store: await WatchStore.open(data.dir), checks: [everySecond] });
    const lines: string[] = [];
    const schedules = await startSchedules(watcher, (line) => lines.push(line));
    try {
      await runFirstRound(watcher, (line) => lines.push(line));
      await until(() => lines.some((l) => l.startsWith('probe: ')) && lines.some((l) => l.startsWith('digest not sent: ')), 10_000);
    } finally {
      schedules.stop();
      watcher.store.close();
      data.remove();
    }
    expect(lines).toContain('first run failed: probe could not run: the server said ***');
    expect(lines).toContain('probe: probe could not run: the server said ***');
    expect(lines).toContain('digest not sent: the Bot API said ***');
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  describe('of homelab watch --digest', () => {
    const token = '123456:telegram-token-0b5d8e3f';
    let server: Server;
    const data = tempDataDir();
    const env = { HOMELAB_CONFIG_HOME: join(data.dir, 'config'), HOMELAB_DATA_HOME: join(data.dir, 'data') };

    beforeAll(async () => {
      // A Bot API that refuses the message and echoes the token from the path it was sent to
      // (bare, so only its registration can hide it: no secret pattern matches it).
      server = createServer((req, res) => {
        req.resume();
        const body = JSON.stringify({ ok: false, error_code: 400, description: `Bad Request: chat not found for ${decodeURIComponent(req.url ?? '').split('/')[1]?.replace(/^bot/, '') ?? ''}` });
        res.writeHead(400, { 'content-type': 'application/json' }).end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
      mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'telegram'), { recursive: true, mode: 0o700 });
      writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), stringify({ services: {}, telegram: { api_root: `http://127.0.0.1:${port}`, owner_chat_id: 42 } }));
      const creds = join(env.HOMELAB_CONFIG_HOME, 'telegram', 'credentials');
      writeFileSync(creds, `TELEGRAM_BOT_TOKEN=${token}\n`, { mode: 0o600 });
      chmodSync(creds, 0o600);
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      data.remove();
    });

    it('redacts the refusal it logs', async () => {
      const written: string[] = [];
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
      let failure: unknown;
      try {
        await watchCommand(['--digest'], env).catch((err: unknown) => { failure = err; });
      } finally {
        spy.mockRestore();
      }
      // A chat Telegram does not know is a config problem (exit 3), naming the setting.
      expect(failure).toMatchObject({ exitCode: 3, message: 'watch --digest: the digest could not be sent' });
      const log = written.join('');
      expect(log).toContain('homelab watch: digest not sent: telegram: cannot write to chat 42, set in telegram.owner_chat_id (Bad Request: chat not found for ***)');
      expect(log).not.toContain('telegram-token-0b5d8e3f');
    });
  });
});
