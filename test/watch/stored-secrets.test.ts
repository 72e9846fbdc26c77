/**
 * `homelab watch` hides the stored secrets as every CLI command does, from its start: a
 * credential in a service's text (a Kuma monitor named after the PVE token secret) never
 * reaches stdout (`--stdout`), the Telegram chat or the alert state, and a Bot API refusal
 * quoting the Kuma password is logged without it, whatever checks ran first. And one notice
 * is one line: a line break in a monitor's name shows as `⏎`, it cannot forge another alert.
 * The daily digest (`--digest`) likewise. The built CLI against the simulated lab and the Telegram simulator.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramSim, type TelegramSim } from '../../src/services/telegram/sim/index.js';
import { runCli } from '../helpers/cli.js';
import { writeBotToken } from '../helpers/bot-token.js';
import { useLab } from '../helpers/lab.js';
import { tempDataDir } from './helpers.js';

const OWNER = 4242;
const lab = useLab({ services: ['pve', 'kuma'] });
let tg: TelegramSim;
/** A Bot API that refuses every message as a chat it does not know, quoting `quoted` with escape codes and a line break. */
let hostile: Server;
let hostileUrl = '';
let quoted = '';

/** The secret a credentials file of the lab holds under `key`. */
function labSecret(service: string, key: string): string {
  const value = lab.current.sims.get(service)?.credentials.values[key];
  if (!value) throw new Error(`the lab has no ${service} ${key}`);
  return value;
}

beforeAll(async () => {
  tg = await startTelegramSim();
  tg.knownChats.add(OWNER);
  writeBotToken(lab.current.env.HOMELAB_CONFIG_HOME, tg.token);
  lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER }, watch: { for: '0s' } });
  hostile = createServer((req, res) => {
    req.resume();
    const description = `Bad Request: chat not found \x1b]0;PWNED\x07<b>x</b>\nFAKE LINE pw=${quoted}`;
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 400, description }));
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await tg?.close();
  await new Promise<void>((resolve) => (hostile ? hostile.close(() => resolve()) : resolve()));
});

/** The lab's environment with a fresh alert state of its own. */
function freshState(): { env: Record<string, string>; dir: string; remove(): void } {
  const data = tempDataDir();
  return { env: { ...lab.current.env, HOMELAB_DATA_HOME: data.dir }, dir: data.dir, remove: data.remove };
}

/** The bytes of every file under `dir` (the alert database, its journal), as text. */
function everyFile(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'latin1'))
    .join('\n');
}

/** Runs `body` with the Kuma monitor `media` renamed to `name`, then renames it back. */
async function withMonitorNamed(name: string, env: Record<string, string>, body: () => Promise<void>): Promise<void> {
  const renamed = await runCli(['kuma', 'edit', 'media', '--name', name, '--yes'], env);
  expect(renamed.code, renamed.stderr).toBe(0);
  try {
    await body();
  } finally {
    await runCli(['kuma', 'edit', name, '--name', 'media', '--yes'], env);
  }
}

describe('homelab watch and the stored secrets', () => {
  it('never prints, sends or stores a credential a monitor name holds', async () => {
    const secret = labSecret('pve', 'PVE_TOKEN_SECRET');
    const state = freshState();
    try {
      await withMonitorNamed(`media ${secret}`, state.env, async () => {
        const printed = await runCli(['watch', '--once', '--stdout'], state.env, { timeoutMs: 60_000 });
        expect(printed.code, printed.stderr).toBe(0);
        expect(printed.stdout).toMatch(/monitors \(critical\): media \*\*\* is down/);
        expect(printed.stdout + printed.stderr).not.toContain(secret);
        expect(everyFile(state.dir)).not.toContain(secret);
        const digest = await runCli(['watch', '--digest', '--stdout'], state.env, { timeoutMs: 60_000 });
        expect(digest.code, digest.stderr).toBe(0);
        expect(digest.stdout).toMatch(/🔴 monitors: media \*\*\* is down/);
        expect(digest.stdout + digest.stderr).not.toContain(secret);

        const other = freshState();
        try {
          const sent = await runCli(['watch', '--once'], other.env, { timeoutMs: 60_000 });
          expect(sent.code, sent.stderr).toBe(0);
          const texts = tg.messagesIn(OWNER).map((m) => m.text ?? '').join('\n');
          expect(texts).toMatch(/monitors \(critical\): media \*\*\* is down/);
          expect(texts).not.toContain(secret);
          expect(sent.stderr).not.toContain(secret);
          expect(everyFile(other.dir)).not.toContain(secret);
        } finally {
          other.remove();
        }
      });
    } finally {
      state.remove();
    }
  }, 180_000);

  it('logs a Bot API refusal without the Kuma password it quotes, on one line', async () => {
    quoted = labSecret('kuma', 'KUMA_PASSWORD');
    const state = freshState();
    lab.current.writeConfig({ telegram: { api_root: hostileUrl, owner_chat_id: 777 }, watch: { for: '0s' } });
    try {
      const r = await runCli(['watch', '--once'], state.env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(3);
      // Guests run before monitors: the Kuma password is hidden before the monitors check loads it.
      expect(r.stderr).toMatch(/^homelab watch: could not send 1 of 1 notice\(s\) of guests, will retry: telegram: cannot write to chat 777, .*pw=\*\*\*\)$/m);
      expect(r.stderr).not.toContain(quoted);
      expect(r.stderr).not.toContain(tg.token);
      expect(r.stderr).not.toMatch(/^FAKE LINE/m);
      expect(r.stderr).not.toContain('\x1b');
    } finally {
      lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER }, watch: { for: '0s' } });
      state.remove();
    }
  }, 120_000);
});

describe('homelab watch and line breaks in service text', () => {
  const forged = 'pevil\x1b]0;PWN\x07<b>bold</b>\n🔴 guests (critical): FAKE ALERT';

  it('prints one line per notice on stdout and in the Telegram message', async () => {
    const state = freshState();
    try {
      await withMonitorNamed(forged, state.env, async () => {
        const printed = await runCli(['watch', '--once', '--stdout'], state.env, { timeoutMs: 60_000 });
        expect(printed.code, printed.stderr).toBe(0);
        expect(printed.stdout).toContain('🔴 monitors (critical): pevil␛]0;PWN␇<b>bold</b>⏎🔴 guests (critical): FAKE ALERT is down');
        expect(printed.stdout).not.toMatch(/^🔴 guests \(critical\): FAKE/m);
        const digest = await runCli(['watch', '--digest', '--stdout'], state.env, { timeoutMs: 60_000 });
        expect(digest.code, digest.stderr).toBe(0);
        expect(digest.stdout).toContain('🔴 monitors: pevil␛]0;PWN␇<b>bold</b>⏎🔴 guests (critical): FAKE ALERT is down');
        expect(digest.stdout).not.toMatch(/^\s*🔴 guests \(critical\): FAKE/m);

        const other = freshState();
        try {
          const before = tg.messagesIn(OWNER).length;
          const sent = await runCli(['watch', '--once'], other.env, { timeoutMs: 60_000 });
          expect(sent.code, sent.stderr).toBe(0);
          const texts = tg.messagesIn(OWNER).slice(before).map((m) => m.text ?? '').join('\n');
          expect(texts).toContain('🔴 monitors (critical): pevil␛]0;PWN␇<b>bold</b>⏎🔴 guests (critical): FAKE ALERT is down');
          expect(texts).not.toMatch(/^🔴 guests \(critical\): FAKE/m);
          expect(texts).not.toContain('\x1b');
        } finally {
          other.remove();
        }
      });
    } finally {
      state.remove();
    }
  }, 180_000);
});
