/**
 * `homelab watch --once` for cron, the built CLI against the simulated lab: an alert printed
 * with `--stdout` counts as sent only once stdout took it (a full disk or a reader gone away
 * leaves it due, and the run exits non-zero), the text printed is safe for a terminal (a
 * monitor's name cannot set the window title), a chat Telegram does not know is a config
 * error (exit 3) whose summary says the alerts were not sent, not that the checks failed, and a
 * schedule croner refuses (used by the daemon only) is a warning: the alerts still go out.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramSim, type TelegramSim } from '../../src/services/telegram/sim/index.js';
import { CLI, cliEnv, runCli, type CliResult } from '../helpers/cli.js';
import { writeBotToken } from '../helpers/bot-token.js';
import { useLab } from '../helpers/lab.js';
import { tempDataDir } from './helpers.js';

const OWNER = 4242;
const lab = useLab({ services: ['pve', 'kuma'] });
let tg: TelegramSim;

beforeAll(async () => {
  tg = await startTelegramSim();
  tg.knownChats.add(OWNER);
  writeBotToken(lab.current.env.HOMELAB_CONFIG_HOME, tg.token);
  lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER }, watch: { for: '0s' } });
});
afterAll(async () => {
  await tg?.close();
});

/** The lab's environment with a fresh alert state of its own. */
function freshState(): { env: Record<string, string>; remove(): void } {
  const data = tempDataDir();
  return { env: { ...lab.current.env, HOMELAB_DATA_HOME: data.dir }, remove: data.remove };
}

/** Runs the CLI with stdout on `stdout`: a file descriptor (`/dev/full`), or `closed`, a pipe whose reader is gone. */
function runInto(args: string[], env: Record<string, string>, stdout: number | 'closed'): Promise<Omit<CliResult, 'stdout'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cliEnv(), ...env }, stdio: ['ignore', stdout === 'closed' ? 'pipe' : stdout, 'pipe'] });
    // The reader goes away before the first alert is printed: every write gets EPIPE.
    if (stdout === 'closed') child.stdout?.destroy();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('watch --once --stdout', () => {
  it('keeps the alerts due when stdout is a full disk, exits 1, and prints them at the next run', async () => {
    const state = freshState();
    const full = openSync('/dev/full', 'w');
    try {
      const r = await runInto(['watch', '--once', '--stdout'], state.env, full);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^homelab watch: guests: 1 finding\(s\); 1 notice\(s\) NOT sent, will retry$/m);
      expect(r.stderr).toMatch(/^homelab watch: could not send 1 of 1 notice\(s\) of guests, will retry: cannot write to stdout: ENOSPC$/m);
      expect(r.stderr).toMatch(/^homelab: watch --once: alerts of \d+ checks could not be sent \(.*guests.*\)$/m);
      const again = await runCli(['watch', '--once', '--stdout'], state.env, { timeoutMs: 60_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('VM 201 (media) on pve2 is stopped');
    } finally {
      closeSync(full);
      state.remove();
    }
  }, 120_000);

  it('keeps the alerts due when the reader went away, and does not exit 0', async () => {
    const state = freshState();
    try {
      const r = await runInto(['watch', '--once', '--stdout'], state.env, 'closed');
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^homelab watch: could not send 1 of 1 notice\(s\) of guests, will retry: stdout is closed \(its reader went away\)$/m);
      expect(r.stderr).not.toMatch(/notice\(s\) sent$/m);
      const again = await runCli(['watch', '--once', '--stdout'], state.env, { timeoutMs: 60_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('VM 201 (media) on pve2 is stopped');
      expect(again.stdout).toMatch(/monitors \(critical\): media is down/);
    } finally {
      state.remove();
    }
  }, 120_000);

  it('prints text from services safe for a terminal: escape sequences shown as ␛ and ␇', async () => {
    const state = freshState();
    const evil = 'media\x1b]0;PWNED\x07\x1b[2J';
    const renamed = await runCli(['kuma', 'edit', 'media', '--name', evil, '--yes'], state.env);
    expect(renamed.code, renamed.stderr).toBe(0);
    try {
      const r = await runCli(['watch', '--once', '--stdout'], state.env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('monitors (critical): media␛]0;PWNED␇␛[2J is down');
      expect(r.stdout).not.toContain('\x1b');
      expect(r.stdout).not.toContain('\x07');
    } finally {
      await runCli(['kuma', 'edit', evil, '--name', 'media', '--yes'], state.env);
      state.remove();
    }
  }, 120_000);
});

describe('watch --once to a chat Telegram does not know', () => {
  it('exits 3 naming the setting, and says the alerts were not sent (the checks ran)', async () => {
    const state = freshState();
    lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: 777 }, watch: { for: '0s' } });
    try {
      const r = await runCli(['watch', '--once'], state.env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^homelab watch: could not send 1 of 1 notice\(s\) of guests, will retry: telegram: cannot write to chat 777, set in telegram\.owner_chat_id \(Bad Request: chat not found\)$/m);
      expect(r.stderr).toMatch(/^homelab: watch --once: alerts of \d+ checks could not be sent \(.*guests.*\)$/m);
      expect(r.stderr).not.toMatch(/checks failed/);
    } finally {
      lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER }, watch: { for: '0s' } });
      state.remove();
    }
  }, 120_000);
});

describe('watch --once refuses what the daemon refuses', () => {
  it('a time zone that is none, naming watch.timezone, exit 3', async () => {
    lab.current.writeConfig({ watch: { for: '0s', timezone: 'Mars/Olympus' } });
    try {
      for (const args of [['watch', '--once', '--stdout'], ['watch', '--digest', '--stdout']]) {
        const r = await runCli(args, lab.current.env);
        expect(r.code, r.stderr).toBe(3);
        expect(r.stderr).toMatch(/^homelab: .*config\.yaml: watch\.timezone: "Mars\/Olympus" is not a time zone \(e\.g\. Europe\/Berlin\)$/m);
      }
    } finally {
      lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER }, watch: { for: '0s' } });
    }
  }, 60_000);

});

describe('watch --once and --digest with a schedule croner refuses (which they do not use)', () => {
  it('warn naming each key, still run every check and send the alerts and the digest, exit 0', async () => {
    const state = freshState();
    lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER }, watch: { for: '0s', timezone: 'Europe/Berlin', digest: { schedule: '0 25 * * *' }, checks: { nodes: { schedule: '61 * * * *' } } } });
    const before = tg.messagesIn(OWNER).length;
    try {
      const r = await runCli(['watch', '--once'], state.env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^homelab watch: warning: watch\.checks\.nodes\.schedule: "61 \* \* \* \*" is not a valid cron expression \(.*\); watch --once uses no schedule and runs all the same, but the daemon \(homelab watch\) will not start until it is fixed/m);
      expect(r.stderr).toMatch(/^homelab watch: warning: watch\.digest\.schedule: "0 25 \* \* \*" is not a valid cron expression/m);
      expect(r.stderr).toMatch(/^homelab watch: guests: 1 finding\(s\); 1 notice\(s\) sent$/m);
      expect(r.stderr).toMatch(/^homelab watch: nodes: \d+ finding\(s\)/m);
      const alerts = tg.messagesIn(OWNER).slice(before);
      expect(alerts.map((m) => m.plain).join('\n')).toContain('VM 201 (media) on pve2 is stopped');
      const digest = await runCli(['watch', '--digest'], state.env, { timeoutMs: 60_000 });
      expect(digest.code, digest.stderr).toBe(0);
      expect(digest.stderr).toMatch(/^homelab watch: warning: watch\.digest\.schedule: .*; watch --digest uses no schedule and runs all the same/m);
      expect(tg.messagesIn(OWNER).length).toBe(before + alerts.length + 1);
      // watch status shows the refused schedule on its check's row, and the rest as usual.
      const status = await runCli(['watch', 'status', '--json'], state.env);
      expect(status.code, status.stderr).toBe(0);
      const checks = (JSON.parse(status.stdout) as { checks: { name: string; nextRun: string | null; scheduleProblem: string | null }[] }).checks;
      expect(checks.find((c) => c.name === 'nodes')).toMatchObject({ nextRun: null, scheduleProblem: expect.stringContaining('watch.checks.nodes.schedule: "61 * * * *" is not a valid cron expression') });
      expect(checks.find((c) => c.name === 'guests')).toMatchObject({ nextRun: expect.any(String), scheduleProblem: null });
      const table = await runCli(['watch', 'status'], state.env);
      expect(table.stdout).toMatch(/^nodes .*invalid schedule \(homelab doctor\)/m);
    } finally {
      lab.current.writeConfig({ telegram: { api_root: tg.url, owner_chat_id: OWNER }, watch: { for: '0s' } });
      state.remove();
    }
  }, 120_000);
});
