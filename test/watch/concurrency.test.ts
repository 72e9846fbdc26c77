/**
 * Two runs watching one lab at once (cron's `watch --once` overlapping itself, or the
 * daemon and a `--once`) send every notice once: notices are claimed before they are
 * sent. Against the Telegram simulator answering `sendMessage` slowly, two watchers on
 * one state file, then three real `homelab watch --once` processes. Also: a claim of a
 * run that died is taken over, and the store's read-modify-write transactions wait for
 * another process's write instead of failing with "database is locked".
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { startTelegramSim, type TelegramSim } from '../../src/services/telegram/sim/index.js';
import { guestsCheck } from '../../src/watch/checks/guests.js';
import { CLAIM_TTL_MS } from '../../src/watch/claims.js';
import { notifierFromConfig } from '../../src/watch/notifier.js';
import { watchFile, WatchStore } from '../../src/watch/state.js';
import type { Watcher } from '../../src/watch/watcher.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';
import { bundleScript, FakeClock, labWatcher, src, tempDataDir } from './helpers.js';
import { writeBotToken } from '../helpers/bot-token.js';

const OWNER = 4242;
const MEDIA = 'VM 201 (media) on pve2 is stopped but set to start on boot';
const lab = useLab({ services: ['pve'] });
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

const sentTexts = (before: number): string[] => tg.messagesIn(OWNER).slice(before).map((m) => m.text ?? '');

describe('two runs at once send every notice once', () => {
  let data: ReturnType<typeof tempDataDir>;
  const open: Watcher[] = [];
  const watcher = async (clock: FakeClock): Promise<Watcher> => {
    const w = await labWatcher(lab.current, { watch: { for: '0s' }, dataDir: data.dir, clock, notifier: notifierFromConfig(loadConfig(lab.current.env), lab.current.env), checks: [guestsCheck] });
    open.push(w);
    return w;
  };
  afterEach(async () => {
    tg.faults.latencyMs = 0;
    for (const w of open.splice(0)) {
      await w.close();
      w.store.close();
    }
    data?.remove();
  });

  it('two watchers on one state file: one message, and neither reports a notice unsent', async () => {
    data = tempDataDir();
    const clock = new FakeClock();
    const [a, b] = [await watcher(clock), await watcher(clock)];
    tg.faults.latencyMs = 500;
    const before = tg.messagesIn(OWNER).length;
    const outcomes = await Promise.all([a.runCheck('guests'), b.runCheck('guests')]);
    expect(sentTexts(before)).toEqual([`🔴 guests (critical): ${MEDIA}`]);
    expect(outcomes.map((o) => o.sent)).toEqual([true, true]);
    expect(outcomes.flatMap((o) => o.notices).map((n) => n.key)).toEqual(['guests:201']);
    // Recorded as announced, the claim gone: the next run of either sends nothing.
    clock.advance(5);
    expect((await b.runCheck('guests')).notices).toEqual([]);
    expect(a.store.claims.all()).toEqual([]);
    expect(sentTexts(before)).toHaveLength(1);
  });

  it('leaves a notice another live run is sending to it, and takes over a claim whose run died or is too old', async () => {
    data = tempDataDir();
    const w = await watcher(new FakeClock());
    const before = tg.messagesIn(OWNER).length;
    const other = { key: 'guests:201', run: 'another-run', pid: process.pid, at: Date.now() };
    w.store.claims.put(other);
    expect((await w.runCheck('guests')).notices).toEqual([]);
    expect(sentTexts(before)).toEqual([]);
    // The claiming process is gone (killed mid-send): the notice is sent by the next run.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    w.store.claims.put({ ...other, pid: dead });
    expect((await w.runCheck('guests')).notices.map((n) => n.kind)).toEqual(['firing']);
    expect(sentTexts(before)).toHaveLength(1);
  });

  it('takes over a claim older than the claim TTL (a hung send)', async () => {
    data = tempDataDir();
    const w = await watcher(new FakeClock());
    const before = tg.messagesIn(OWNER).length;
    w.store.claims.put({ key: 'guests:201', run: 'hung-run', pid: process.pid, at: Date.now() - CLAIM_TTL_MS - 1000 });
    expect((await w.runCheck('guests')).notices.map((n) => n.kind)).toEqual(['firing']);
    expect(sentTexts(before)).toHaveLength(1);
  });
});

describe('the watch store across processes', () => {
  it('a read-modify-write transaction waits for another process writing, not "database is locked"', async () => {
    const data = tempDataDir();
    const store = await WatchStore.open(data.dir);
    try {
      // Another process takes the write lock, writes, and commits 700 ms later.
      const script = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(watchFile(data.dir))});
        db.pragma('busy_timeout = 5000'); db.exec('BEGIN IMMEDIATE'); db.prepare("INSERT INTO meta (key, value) VALUES ('other', '1')").run();
        process.stdout.write('locked\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 700); db.exec('COMMIT'); db.close();`;
      const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('locked')) resolve(); });
        child.on('close', () => reject(new Error('the locking process ended before locking')));
      });
      // Reads, then writes (as applyFindings, claimNotices and markSent do).
      const value = store.transaction(() => {
        const seen = store.meta('other') ?? 'none';
        store.setMeta('mine', seen);
        return seen;
      });
      expect(value).toBe('1');
      expect(store.meta('mine')).toBe('1');
      expect(await exited).toBe(0);
    } finally {
      store.close();
      data.remove();
    }
  });

  it('several processes creating the store at the same moment all open it (none "database is locked")', async () => {
    const data = tempDataDir();
    try {
      // A bundle of the store's own source, run by real processes; better-sqlite3 from the project.
      const { file: bundle, env } = bundleScript(data.dir, 'open-store', `import { WatchStore } from ${src('watch/state.ts')};
        const [at, ...dirs] = process.argv.slice(2);
        for (const [i, dir] of dirs.entries()) {
          while (Date.now() < Number(at) + i * 40) {}
          try { (await WatchStore.open(dir)).close(); process.stdout.write('ok\\n'); } catch (e) { process.stdout.write(\`\${e.message}\\n\`); }
        }`);
      const dirs = Array.from({ length: 25 }, (_, i) => join(data.dir, `d${i}`));
      const at = String(Date.now() + 1000);
      const outputs = await Promise.all([1, 2, 3, 4].map(() => new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [bundle, at, ...dirs], { env, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
        child.on('close', () => resolve(out));
      })));
      const lines = outputs.join('').split('\n').filter(Boolean);
      expect(lines.filter((l) => l !== 'ok')).toEqual([]);
      expect(lines).toHaveLength(4 * dirs.length);
    } finally {
      data.remove();
    }
  }, 60_000);

  it('three `homelab watch --once` at once: each notice reaches Telegram once, all exit 0', async () => {
    const data = tempDataDir();
    tg.faults.latencyMs = 1500;
    try {
      const before = tg.messagesIn(OWNER).length;
      const env = { ...lab.current.env, HOMELAB_DATA_HOME: data.dir };
      const runs = await Promise.all([1, 2, 3].map(() => runCli(['watch', '--once'], env, { timeoutMs: 90_000 })));
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).not.toMatch(/NOT sent|database is locked/);
      }
      const texts = sentTexts(before);
      expect(texts.length).toBeGreaterThan(0);
      expect(texts.join('\n')).toContain(MEDIA);
      expect(texts).toEqual([...new Set(texts)]);
      // One message per check with notices: the runs' "sent" lines together name each message once.
      const sentLines = runs.flatMap((r) => r.stderr.split('\n').filter((l) => /notice\(s\) sent$/.test(l)));
      expect(sentLines).toHaveLength(texts.length);
    } finally {
      tg.faults.latencyMs = 0;
      data.remove();
    }
  }, 120_000);
});
