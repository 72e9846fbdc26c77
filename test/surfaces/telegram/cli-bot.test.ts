import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/store.js';
import { startLab, type RunningLab } from '../../../src/lab/lab.js';
import { startTelegramSim, type TelegramSim } from '../../../src/services/telegram/sim/index.js';
import { startBot } from '../../../src/surfaces/telegram/bot.js';
import { createLogger } from '../../../src/surfaces/telegram/log.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { OWNER, until } from './harness.js';
import { writeBotToken } from '../../helpers/bot-token.js';

let lab: RunningLab;
let sim: TelegramSim;

function writeToken(token: string): void {
  writeBotToken(lab.env.HOMELAB_CONFIG_HOME, token);
}

beforeAll(async () => {
  [lab, sim] = await Promise.all([startLab({ services: ['pve'], taskDurationMs: 200 }), startTelegramSim()]);
  lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER] } });
  sim.knownChats.add(OWNER);
});
afterAll(async () => { await Promise.all([sim?.close(), lab?.close()]); });

describe('homelab bot', () => {
  it('runs until SIGTERM, answers commands, and logs JSON lines without the token', async () => {
    writeToken(sim.token);
    const child = spawn(process.execPath, [CLI, 'bot'], { env: { PATH: process.env.PATH ?? '', HOME: lab.dir, ...lab.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await until(() => stdout.includes('"bot started"'), `the bot to start (stderr: ${stderr})`, 20_000);
      const owner = sim.user({ userId: OWNER });
      await owner.send('/pve list');
      const reply = await owner.waitForMessage((m) => m.plain.includes('homeassistant'), 'pve list');
      expect(reply.parseMode).toBe('HTML');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const lines = stdout.trim().split('\n');
    for (const line of lines) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain(sim.token.split(':')[1]);
    }
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(expect.arrayContaining(['bot started', 'command finished', 'bot stopped']));
  });

  it('exits at once on SIGTERM while a reply waits out a 429 (no wait outlives "bot stopped")', async () => {
    writeToken(sim.token);
    const child = spawn(process.execPath, [CLI, 'bot'], { env: { PATH: process.env.PATH ?? '', HOME: lab.dir, ...lab.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await until(() => stdout.includes('"bot started"'), 'the bot to start', 20_000);
      // The reply gets a 429 asking for 20 s: the bot waits it out, until it is told to stop.
      Object.assign(sim.faults, { only: ['sendMessage'], rateLimitNext: 1, retryAfter: 20 });
      await sim.user({ userId: OWNER }).send('/pve list');
      await until(() => stdout.includes('"telegram rate limit"'), 'the rate-limit wait', 20_000);
    } finally {
      child.kill('SIGTERM');
    }
    // The interrupted reply may wait its 3 s; the 20 s wait must not keep the process.
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<string>((resolve) => { timer = setTimeout(() => resolve('still running 10 s after SIGTERM'), 10_000); })]);
    clearTimeout(timer);
    if (code === 'still running 10 s after SIGTERM') child.kill('SIGKILL');
    Object.assign(sim.faults, { only: undefined, rateLimitNext: 0 });
    expect(code).toBe(0);
    expect(stdout).toContain('"bot stopped"');
  }, 40_000);

  it('exits 5 when Telegram refuses the token', async () => {
    writeToken('123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const r = await runCli(['bot'], lab.env);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('bot token refused');
    expect(r.stdout + r.stderr).not.toContain('AAAAAAAAAAAAAAAAAAAAA');
  });

  it('exits 3 with one line when another bot polls the same token (systemd does not restart it)', async () => {
    writeToken(sim.token);
    const child = spawn(process.execPath, [CLI, 'bot'], { env: { PATH: process.env.PATH ?? '', HOME: lab.dir, ...lab.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(() => stdout.includes('"bot started"') && sim.state.calls.some((c) => c.method === 'getUpdates'), `the bot to poll (stderr: ${stderr})`, 20_000);
    const second = await startBot({ env: { ...lab.env, PATH: process.env.PATH }, logger: createLogger(() => undefined) });
    try {
      expect(await exited).toBe(3);
    } finally {
      await second.stop();
      child.kill('SIGTERM');
    }
    // The error's line and its hint, as every error is reported.
    expect(stderr.trim().split('\n')).toEqual([
      'homelab: another program is polling Telegram with this bot token (Telegram: terminated by other getUpdates request)',
      '  stop the other homelab bot, or give each bot its own token',
    ]);
    expect(stdout).toContain('"polling stopped"');
    expect(stdout).toContain('"bot stopped"');
  });

  it('exits 3 without credentials', async () => {
    const r = await runCli(['bot'], { ...lab.env, HOMELAB_CONFIG_HOME: join(lab.dir, 'empty') });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('telegram/credentials');
  });
});

describe('homelab bot --console', () => {
  it('runs the same handlers on a terminal loop without a token', async () => {
    const input = ['/pve list', '/pve start 201', 'confirm', 'remember the milk', '/telegram inbox', '/pve stop 200', 'cancel', 'exit', ''].join('\n');
    const r = await runCli(['bot', '--console'], { ...lab.env, HOMELAB_CONFIG_HOME: lab.env.HOMELAB_CONFIG_HOME }, { input, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('you> /pve list');
    expect(r.stdout).toContain('homeassistant');
    expect(r.stdout).toContain('⚠️ Confirm: Start VM 201 (media) on pve2');
    expect(r.stdout).toContain('start VM 201 (media) on pve2: OK');
    expect(r.stdout).toContain('📥 Saved to the inbox.');
    expect(r.stdout).toMatch(/@\w+: remember the milk/);
    expect(r.stdout).toContain('✖️ Cancelled: Hard-stop VM 200 (homeassistant) on pve1');
    const stops = (lab.sims.get('pve')?.requests ?? []).filter((q) => q.method === 'POST' && q.path.endsWith('/200/status/stop'));
    expect(stops).toHaveLength(0);
    // The change is audited as the local user the console names, not as Telegram user 0.
    const you = /you are (\S+)\./.exec(r.stdout)?.[1];
    expect(you).toBe(userInfo().username);
    const store = AuditStore.openForReading(lab.env.HOMELAB_DATA_HOME as string) as AuditStore;
    try {
      expect(store.list({ operation: 'pve.start' }).map((e) => [e.surface, e.actor])).toEqual([['telegram', you]]);
    } finally {
      store.close();
    }
  });

  it('shows a stored secret typed into it as ***, in its echo and its replies', async () => {
    const secret = lab.sims.get('pve')?.credentials.values.PVE_TOKEN_SECRET ?? '';
    expect(secret.length).toBeGreaterThan(8);
    const input = [`/pve status ${secret}`, `/pve snapshot 201 ${secret}`, 'cancel', 'exit', ''].join('\n');
    const r = await runCli(['bot', '--console'], { ...lab.env }, { input, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('you> /pve status ***');
    expect(r.stdout).toContain('/pve snapshot 201 ***');
    expect(r.stdout + r.stderr).not.toContain(secret.slice(0, 8));
  });
});
