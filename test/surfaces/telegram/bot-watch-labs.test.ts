/**
 * The bot's built-in watcher (`watch.enabled`) follows every lab the bot serves, as
 * `homelab watch --all-contexts` does: with two labs, each lab's alerts reach that lab's
 * chat (office's `owner_chat_id` overrides the shared one), named `[default]` / `[office]`,
 * and the bot's JSON log lines from the watcher name their lab (`context`). A lab that cannot
 * be watched (its config, its `watch:` block or a schedule refused) is logged `not watched`
 * and the others still are; SIGTERM then stops the bot cleanly. Runs the built
 * CLI's `homelab bot` against telegram-test-api and two simulated labs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunningLab } from '../../../src/lab/lab.js';
import { startTelegramSim, type TelegramSim } from '../../../src/services/telegram/sim/index.js';
import { CLI } from '../../helpers/cli.js';
import { startTwoLabs, type TwoLabs } from '../../helpers/two-labs.js';
import { OWNER, until } from './harness.js';
import { writeBotToken } from '../../helpers/bot-token.js';

/** The office lab's own chat. */
const OFFICE_CHAT = 2002;

let labs: TwoLabs;
let sim: TelegramSim;
let sections: (lab: RunningLab) => Record<string, unknown>;
/** Writes config.yaml: both labs watched, office's own chat, and `more` contexts. */
function writeConfig(office: Record<string, unknown> = {}, more: Record<string, unknown> = {}): void {
  writeFileSync(join(labs.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), stringify({
    services: sections(labs.home),
    telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER] },
    watch: { enabled: true, for: '0s' },
    contexts: { office: { services: sections(labs.office), telegram: { owner_chat_id: OFFICE_CHAT }, ...office }, ...more },
  }));
}
/** Runs `homelab bot` until `ready` holds, then SIGTERM; resolves with its exit and output. */
async function runBot(env: Record<string, string>, ready: (stdout: string) => boolean, what: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'bot'], { env: { PATH: process.env.PATH ?? '', HOME: labs.home.dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  try {
    await until(() => ready(stdout), `${what} (stderr: ${stderr})`, 60_000);
  } finally {
    child.kill('SIGTERM');
  }
  return { ...(await exited), stdout, stderr };
}
/** The bot's JSON log lines from its watcher. */
const watchLines = (stdout: string): { source?: string; context?: string; level?: string; msg?: string }[] =>
  stdout.trim().split('\n').map((l) => JSON.parse(l) as { source?: string; context?: string; level?: string; msg?: string }).filter((r) => r.source === 'watch');

beforeAll(async () => {
  [labs, sim] = await Promise.all([startTwoLabs(['pve']), startTelegramSim()]);
  sections = (lab) => Object.fromEntries([...lab.sims.values()].map((s) => [s.service, s.configSection]));
  writeConfig();
  writeBotToken(labs.env.HOMELAB_CONFIG_HOME, sim.token);
  sim.knownChats.add(OWNER);
  sim.knownChats.add(OFFICE_CHAT);
});
afterAll(async () => { await Promise.all([sim?.close(), labs?.close()]); });

describe('the bot\'s watcher over several labs', () => {
  it('watches every lab: each lab\'s alerts in its own chat, named, and log lines naming the lab', async () => {
    const child = spawn(process.execPath, [CLI, 'bot'], { env: { PATH: process.env.PATH ?? '', HOME: labs.home.dir, ...labs.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await until(() => sim.messagesIn(OFFICE_CHAT).some((m) => m.plain.startsWith('[office] ')), `an [office] alert in office's chat (stderr: ${stderr})`, 60_000);
      await until(() => sim.messagesIn(OWNER).some((m) => m.plain.startsWith('[default] ')), `a [default] alert in the owner's chat (stderr: ${stderr})`, 60_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(sim.messagesIn(OWNER).some((m) => m.plain.startsWith('[office] '))).toBe(false);
    expect(sim.messagesIn(OFFICE_CHAT).some((m) => m.plain.startsWith('[default] '))).toBe(false);
    const watchLines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { source?: string; context?: string }).filter((r) => r.source === 'watch');
    expect(new Set(watchLines.map((r) => r.context))).toEqual(new Set(['default', 'office']));
  }, 120_000);
});

describe('a lab that cannot be watched', () => {
  it('is logged not watched, the others are watched, and SIGTERM stops the bot cleanly', async () => {
    // office: a schedule croner refuses (its watcher fails to start); attic: a bad watch: block;
    // cellar: a config that cannot be loaded. A fresh data home, so default's alerts fire anew.
    writeConfig({ watch: { checks: { guests: { schedule: 'not a cron' } } } }, {
      attic: { services: sections(labs.office), watch: { for: 'soon' } },
      cellar: { services: sections(labs.office), telegram: { owner_chat_id: 'abc' } },
    });
    const seen = sim.messagesIn(OWNER).length;
    try {
      const env = { ...labs.env, HOMELAB_DATA_HOME: mkdtempSync(join(tmpdir(), 'homelab-bot-data-')) };
      const r = await runBot(env, () => sim.messagesIn(OWNER).slice(seen).some((m) => m.plain.startsWith('[default] ')), 'a [default] alert in the owner\'s chat');
      expect([r.code, r.signal], r.stderr).toEqual([0, null]);
      const lines = watchLines(r.stdout);
      const notWatched = lines.filter((l) => l.level === 'error' && l.msg?.startsWith('not watched: '));
      expect(notWatched.map((l) => l.context).sort()).toEqual(['attic', 'cellar', 'office']);
      expect(notWatched.find((l) => l.context === 'office')?.msg).toContain('watch.checks.guests.schedule');
      expect(lines.some((l) => l.context === 'default' && l.msg?.includes(' next at '))).toBe(true);
      expect(lines.some((l) => l.context === 'office' && l.level === 'info')).toBe(false);
    } finally {
      writeConfig();
    }
  }, 120_000);
});
