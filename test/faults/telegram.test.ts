/**
 * Fault suite, Telegram Bot API client (`homelab telegram send`, what cron jobs use):
 * each fault injected by the Bot API simulator, through the built CLI, with the exit
 * code, the one error line, never the bot token, and from the simulator's call log that
 * a message is never sent twice.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramSim, type TelegramSim } from '../../src/services/telegram/sim/index.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { closedPort } from './ports.js';
import { cellText, faultRecorder } from './record.js';
import { runInTerminal } from './terminal.js';

const record = faultRecorder('telegram');
const OWNER = 1001;

let sim: TelegramSim;
const dirs: string[] = [];
afterAll(async () => {
  await sim.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeAll(async () => {
  sim = await startTelegramSim();
  sim.knownChats.add(OWNER);
});
afterEach(() => {
  Object.assign(sim.faults, { latencyMs: 0, hangNext: 0, resetNext: 0, htmlErrorNext: 0, badJsonNext: 0 });
});

/** A config home whose `telegram:` section points at `apiRoot`. */
function home(apiRoot: string, token: string, telegram: Record<string, unknown> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'telegram-faults-'));
  dirs.push(dir);
  const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'telegram'), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'),
    stringify({ services: {}, telegram: { api_root: apiRoot, owner_chat_id: OWNER, allowed_users: [OWNER], timeout_seconds: 1, ...telegram } }));
  const creds = join(env.HOMELAB_CONFIG_HOME, 'telegram', 'credentials');
  writeFileSync(creds, `TELEGRAM_BOT_TOKEN=${token}\n`, { mode: 0o600 });
  chmodSync(creds, 0o600);
  return env;
}

/** The error line of a failed run: one `homelab:` line (hints indented), no stack, no token. */
function errorLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines[0]).toMatch(/^homelab: /);
  expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
  expect(result.stderr).not.toMatch(/\n\s+at |<html|<body/i);
  expect(result.stderr + result.stdout).not.toContain(sim.token.split(':')[1] as string);
  return (lines[0] as string).replace(/^homelab: /, '');
}

const sends = (): number => sim.state.calls.filter((c) => c.method === 'sendMessage').length;
const delivered = (): number => sim.messagesIn(OWNER).length;

/** Sends `text` and returns the run with how many sendMessage calls and delivered messages it caused. */
async function send(env: Record<string, string>, text: string): Promise<{ result: CliResult; calls: number; messages: number }> {
  const [calls, messages] = [sends(), delivered()];
  const result = await runCli(['telegram', 'send', text], env);
  return { result, calls: sends() - calls, messages: delivered() - messages };
}

describe('telegram send under faults', () => {
  it('timeout: an API that never answers is exit 4 naming telegram and the limit', async () => {
    sim.faults.hangNext = 1;
    const { result, calls } = await send(home(sim.url, sim.token), 'hang');
    expect(result.code).toBe(4);
    const line = errorLine(result);
    // Sent, so the server may have delivered it: said so, not "timed out" as if nothing happened.
    expect(line).toBe('telegram: no answer to POST /sendMessage within 1 s: it may have been applied; check before retrying');
    expect(calls).toBe(1);
    record({ column: 'telegram', fault: 'timeout', outcome: cellText(`exit 4 · "${line}", sent once`) });
  });

  it('refused: exit 4', async () => {
    const port = await closedPort();
    const { result } = await send(home(`http://127.0.0.1:${port}`, sim.token), 'refused');
    expect(result.code).toBe(4);
    const line = errorLine(result);
    expect(line).toBe(`telegram: cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
    record({ column: 'telegram', fault: 'refused', outcome: cellText('exit 4 · "telegram: cannot reach <api_root>: ECONNREFUSED"') });
  });

  it('reset: an answer cut off mid-body is exit 4, and the message is not sent again', async () => {
    sim.faults.resetNext = 1;
    const { result, calls, messages } = await send(home(sim.url, sim.token), 'reset');
    expect(result.code).toBe(4);
    const line = errorLine(result);
    expect(line).toBe('telegram: no answer to POST /sendMessage (ECONNRESET): it may have been applied; check before retrying');
    expect([calls, messages]).toEqual([1, 1]);
    record({ column: 'telegram', fault: 'reset', outcome: cellText('exit 4 · sendMessage sent once, delivered once, not retried (every call sends: no read to retry)') });
  });

  it('html-5xx: a proxy error page is exit 1 with the status and a short excerpt', async () => {
    sim.faults.htmlErrorNext = 1;
    const { result, calls } = await send(home(sim.url, sim.token), 'html');
    expect(result.code).toBe(1);
    const line = errorLine(result);
    expect(line).toBe('telegram: HTTP 502 Bad Gateway: 502 Bad Gateway · nginx');
    expect(calls).toBe(1);
    record({ column: 'telegram', fault: 'html-5xx', outcome: cellText(`exit 1 · "${line}"`) });
  });

  it('bad-json: a truncated answer is exit 1 "unexpected answer from telegram", not sent again', async () => {
    sim.faults.badJsonNext = 1;
    const { result, calls, messages } = await send(home(sim.url, sim.token), 'cut');
    expect(result.code).toBe(1);
    const line = errorLine(result);
    expect(line).toMatch(/^unexpected answer from telegram: malformed or truncated JSON \(HTTP 200, \d+ bytes\)$/);
    expect([calls, messages]).toEqual([1, 1]);
    record({ column: 'telegram', fault: 'bad-json', outcome: cellText(`exit 1 · "${line.replace(/\d+ bytes/, 'N bytes')}"`) });
  });

  it('token-expired: a revoked bot token is exit 5 (no other login exists), the token never shown', async () => {
    const revoked = await startTelegramSim();
    revoked.knownChats.add(OWNER);
    try {
      revoked.revokeToken();
      const result = await runCli(['telegram', 'send', 'revoked'], home(revoked.url, revoked.token));
      expect(result.code).toBe(5);
      const lines = result.stderr.split('\n').filter(Boolean);
      expect(lines[0]).toBe('homelab: telegram: bot token refused (Unauthorized)');
      expect(result.stderr).not.toContain(revoked.token.split(':')[1] as string);
      expect(revoked.messagesIn(OWNER)).toHaveLength(0);
      record({ column: 'telegram', fault: 'token-expired', outcome: cellText('exit 5 · "telegram: bot token refused (Unauthorized)" (a bot token cannot re-login)') });
    } finally {
      await revoked.close();
    }
  });

  it('tls-mismatch: no pin for the Bot API (CA-verified); an untrusted certificate is refused before any request (exit 4)', async () => {
    const tls = await startTelegramSim({ tls: true });
    try {
      const result = await runCli(['telegram', 'send', 'tls'], home(tls.url, tls.token));
      expect(result.code).toBe(4);
      const lines = result.stderr.split('\n').filter(Boolean);
      expect(lines[0]).toMatch(/^homelab: telegram: TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
      expect(tls.state.calls).toHaveLength(0);
      record({
        column: 'telegram', fault: 'tls-mismatch',
        outcome: cellText('n/a: no pin (CA-verified API); an untrusted certificate: exit 4 before any request'),
      });
    } finally {
      await tls.close();
    }
  });

  it('slow: every answer 2 s late is still correct, with progress on a terminal', async () => {
    sim.faults.latencyMs = 2000;
    const [calls, messages] = [sends(), delivered()];
    const run = await runInTerminal(['telegram', 'send', 'slow but sure'], home(sim.url, sim.token, { timeout_seconds: 10 }));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`sent to chat ${OWNER}`);
    expect(run.stderr).toContain('waiting for telegram (POST /sendMessage)…');
    expect([sends() - calls, delivered() - messages]).toEqual([1, 1]);
    expect(sim.messagesIn(OWNER).at(-1)?.plain).toBe('slow but sure');
    record({ column: 'telegram', fault: 'slow', outcome: cellText('exit 0, delivered once · TTY: "waiting for telegram (POST /sendMessage)…"') });
  });
});
