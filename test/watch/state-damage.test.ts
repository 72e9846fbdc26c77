/**
 * A damaged `watch.sqlite` must not stop alerting: random bytes, a truncated file and a
 * file with other tables are each moved aside to `watch.sqlite.damaged-<time>` (kept
 * byte for byte), a fresh database is created, and one warning line says so: for the
 * store, for `homelab watch status` and `watch --once`, and for the daemon. When it
 * cannot be moved aside, exit 3 naming the file and the fix. Processes finding it damaged at
 * once move it aside once: under a lock, each judges it again, so none moves aside the fresh
 * database another one created. A damaged row of the last runs (a findings cell that is no
 * list of findings) reads as a failed run that names the file, so status and the digest go on.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { withFileLock } from '../../src/core/file-lock.js';
import { getRegistry } from '../../src/services/index.js';
import { startWatch } from '../../src/watch/daemon.js';
import { watchFile, WatchStore } from '../../src/watch/state.js';
import { CLI, runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';
import { readableCli } from '../helpers/readable-cli.js';
import { bundleScript, RecordingNotifier, src, tempDataDir } from './helpers.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const lab = useLab({ services: ['pve'] });

/** A watch database with some state in it, closed (its log checkpointed into the file). */
async function goodDatabase(dir: string): Promise<Buffer> {
  const store = await WatchStore.open(dir);
  store.setMute('guests', Date.now() + 3_600_000, 'cli:tester', Date.now());
  for (let i = 0; i < 300; i++) store.addEvent({ time: Date.now(), check: 'guests', key: `guests:${i}`, kind: 'fired', message: 'x'.repeat(200) });
  store.close();
  return readFileSync(watchFile(dir));
}

const damages: { kind: string; reason: string; write(dir: string): void | Promise<void> }[] = [
  { kind: 'random bytes', reason: 'file is not a database', write: (dir) => writeFileSync(watchFile(dir), randomBytes(8192)) },
  {
    kind: 'a truncated file', reason: 'database disk image is malformed',
    write: async (dir) => {
      const bytes = await goodDatabase(dir);
      writeFileSync(watchFile(dir), bytes.subarray(0, Math.floor(bytes.length / 2)));
    },
  },
  {
    kind: 'another schema', reason: 'no such column: check_name',
    write: (dir) => {
      const db = new Database(watchFile(dir));
      db.exec("CREATE TABLE alerts (key TEXT PRIMARY KEY, what TEXT); INSERT INTO alerts VALUES ('a', 'b')");
      db.close();
    },
  },
];

const asideName = /^watch\.sqlite\.damaged-\d{8}T\d{6}Z$/;

describe('a damaged watch.sqlite', () => {
  for (const damage of damages) {
    it(`${damage.kind}: moved aside with one warning, and a fresh store works`, async () => {
      const data = tempDataDir();
      try {
        await damage.write(data.dir);
        const damaged = readFileSync(watchFile(data.dir));
        const warnings: string[] = [];
        const store = await WatchStore.open(data.dir, { warn: (line) => warnings.push(line) });
        try {
          expect(warnings).toHaveLength(1);
          expect(warnings[0]).toContain(`${watchFile(data.dir)} was damaged (${damage.reason}`);
          expect(warnings[0]).toMatch(/: moved it to \S+watch\.sqlite\.damaged-\d{8}T\d{6}Z and started afresh/);
          const aside = readdirSync(data.dir).filter((f) => asideName.test(f));
          expect(aside).toHaveLength(1);
          const kept = readFileSync(join(data.dir, aside[0] as string));
          if (damage.kind !== 'another schema') expect(kept.equals(damaged)).toBe(true);
          else {
            // A database still (switched to WAL mode on open), nothing of homelab's written into it.
            const old = new Database(join(data.dir, aside[0] as string), { readonly: true });
            expect(old.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'alerts' }]);
            expect(old.prepare('SELECT * FROM alerts').all()).toEqual([{ key: 'a', what: 'b' }]);
            old.close();
          }
          expect(store.mutes(Date.now())).toEqual([]);
          store.setMute('nodes', Date.now() + 60_000, 'cli:tester', Date.now());
          expect(store.mutes(Date.now()).map((m) => m.target)).toEqual(['nodes']);
        } finally {
          store.close();
        }
        // Fresh now: opening again says nothing and keeps the state.
        const again = await WatchStore.open(data.dir, { warn: (line) => warnings.push(line) });
        expect(again.mutes(Date.now()).map((m) => m.target)).toEqual(['nodes']);
        again.close();
        expect(warnings).toHaveLength(1);
      } finally {
        data.remove();
      }
    });
  }

  it('an intact database is kept as it is', async () => {
    const data = tempDataDir();
    try {
      await goodDatabase(data.dir);
      const warnings: string[] = [];
      const store = await WatchStore.open(data.dir, { warn: (line) => warnings.push(line) });
      expect(store.mutes(Date.now()).map((m) => m.target)).toEqual(['guests']);
      store.close();
      expect(warnings).toEqual([]);
      expect(readdirSync(data.dir).filter((f) => f.includes('damaged'))).toEqual([]);
    } finally {
      data.remove();
    }
  });

  it('`homelab watch status` and `watch mute` go on, with one warning line (random bytes)', async () => {
    const data = tempDataDir();
    try {
      writeFileSync(watchFile(data.dir), randomBytes(8192));
      const env = { ...lab.current.env, HOMELAB_DATA_HOME: data.dir };
      const status = await runCli(['watch', 'status'], env, { timeoutMs: 60_000 });
      expect(status.code, status.stderr).toBe(0);
      const warning = status.stderr.split('\n').filter((l) => l.includes('damaged'));
      expect(warning).toHaveLength(1);
      expect(warning[0]).toMatch(/^homelab: warning: \S+watch\.sqlite was damaged \(file is not a database\): moved it to \S+watch\.sqlite\.damaged-/);
      const mute = await runCli(['watch', 'mute', 'guests', '1h'], env, { timeoutMs: 60_000 });
      expect(mute.code, mute.stderr).toBe(0);
      expect(mute.stderr).not.toContain('damaged');
    } finally {
      data.remove();
    }
  });

  it('a damaged run row (findings not a list of findings, an outcome homelab does not write) reads as a failed run naming the file; status and the digest go on', async () => {
    const data = tempDataDir();
    try {
      const store = await WatchStore.open(data.dir);
      const update = { key: 'updates:pve1', message: 'pve1: 3 updates', severity: 'warning' as const, group: 'pending' };
      store.saveRun({ check: 'guests', time: Date.now(), outcome: 'ok', detail: null, findings: [] });
      store.saveRun({ check: 'nodes', time: Date.now(), outcome: 'ok', detail: null, findings: [] });
      store.saveRun({ check: 'updates', time: Date.now(), outcome: 'ok', detail: null, findings: [update] });
      expect(store.runs().find((r) => r.check === 'updates')?.findings).toEqual([update]);
      store.close();
      const db = new Database(watchFile(data.dir));
      db.prepare('UPDATE runs SET findings = ? WHERE check_name = ?').run('{broken', 'nodes');
      db.prepare('UPDATE runs SET findings = ? WHERE check_name = ?').run('[{"key":1}]', 'updates');
      db.prepare('UPDATE runs SET outcome = ? WHERE check_name = ?').run('half-done', 'guests');
      db.close();
      const file = watchFile(data.dir);
      const reopened = await WatchStore.open(data.dir);
      expect(reopened.runs().map((r) => [r.check, r.outcome, r.detail, r.findings])).toEqual([
        ['guests', 'error', `its last run in ${file} has an outcome homelab does not write ("half-done"); its next run replaces it`, []],
        ['nodes', 'error', `its last run's findings in ${file} are damaged; its next run replaces them`, []],
        ['updates', 'error', `its last run's findings in ${file} are damaged; its next run replaces them`, []],
      ]);
      reopened.close();
      const env = { ...lab.current.env, HOMELAB_DATA_HOME: data.dir };
      const status = await runCli(['watch', 'status', '--json'], env, { timeoutMs: 60_000 });
      expect([status.code, status.stderr]).toEqual([0, '']);
      const checks = (JSON.parse(status.stdout) as { checks: { name: string; lastOutcome: string | null; lastDetail: string | null }[] }).checks;
      expect(checks.find((c) => c.name === 'nodes')).toMatchObject({ lastOutcome: 'error', lastDetail: `its last run's findings in ${file} are damaged; its next run replaces them` });
      const digest = await runCli(['watch', '--digest', '--stdout'], env, { timeoutMs: 60_000 });
      expect([digest.code, digest.stderr]).toEqual([0, '']);
      expect(digest.stdout).toContain(`  nodes: its last run's findings in ${file} are damaged; its next run replaces them`);
    } finally {
      data.remove();
    }
  });

  it('`homelab watch --once` alerts as usual after one warning line (truncated)', async () => {
    const data = tempDataDir();
    try {
      await damages[1]?.write(data.dir);
      lab.current.writeConfig({ watch: { for: '0s' } });
      const r = await runCli(['watch', '--once', '--stdout'], { ...lab.current.env, HOMELAB_DATA_HOME: data.dir }, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^homelab watch: warning: \S+watch\.sqlite was damaged \(database disk image is malformed\): moved it to /m);
      expect(r.stdout).toContain('VM 201 (media) on pve2 is stopped');
    } finally {
      lab.current.writeConfig();
      data.remove();
    }
  });

  it('the daemon starts, alerts and logs the warning (another schema)', async () => {
    const data = tempDataDir();
    const lines: string[] = [];
    let firstRoundDone!: () => void;
    const done = new Promise<void>((resolve) => { firstRoundDone = resolve; });
    try {
      await damages[2]?.write(data.dir);
      const notifier = new RecordingNotifier();
      const running = await startWatch({
        registry: getRegistry(), config: { ...loadConfig(lab.current.env), watch: { for: '0s' } }, env: { ...lab.current.env, HOMELAB_DATA_HOME: data.dir }, notifier,
        log: (line) => {
          lines.push(line);
          if (line.startsWith('updates:') || line.startsWith('first run failed')) firstRoundDone();
        },
      });
      await done;
      await running.stop();
      expect(lines[0]).toMatch(/^warning: \S+watch\.sqlite was damaged \(no such column: check_name\): moved it to /);
      expect(lines).toContain('guests: 1 finding(s); 1 notice(s) sent');
      expect(notifier.messages.join('\n')).toContain('VM 201 (media)');
    } finally {
      data.remove();
    }
  });

  it('exits 3 naming the file and the fix when it cannot be moved aside (a folder the user cannot write)', () => {
    const data = tempDataDir();
    try {
      const dir = join(data.dir, 'data');
      for (const sub of ['data', 'config', 'cache']) mkdirSync(join(data.dir, sub), { mode: 0o755 });
      chmodSync(join(data.dir, 'cache'), 0o777);
      chmodSync(data.dir, 0o755);
      writeFileSync(watchFile(dir), randomBytes(8192), { mode: 0o644 });
      // Root may write anywhere: then as nobody, else in a folder made read-only.
      const asRoot = process.getuid?.() === 0;
      if (!asRoot) chmodSync(dir, 0o555);
      // As nobody: a copy it may read (a fresh clone may sit in a folder closed to others).
      const cli = asRoot ? readableCli(join(data.dir, 'cli')) : CLI;
      const r = spawnSync(process.execPath, [cli, 'watch', 'status'], {
        env: { PATH: process.env.PATH ?? '', HOME: data.dir, NO_COLOR: '1', HOMELAB_DATA_HOME: dir, HOMELAB_CONFIG_HOME: join(data.dir, 'config'), XDG_CACHE_HOME: join(data.dir, 'cache') },
        encoding: 'utf8', timeout: 60_000, ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      expect(r.status, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^homelab: \S+watch\.sqlite is damaged \(file is not a database\) and could not be moved aside: /m);
      expect(r.stderr).toContain(`move it away (mv ${watchFile(dir)} `);
      expect(readdirSync(dir)).toEqual(['watch.sqlite']);
      chmodSync(dir, 0o755);
    } finally {
      data.remove();
    }
  });
});

/** Runs `file` with `args` to its end: its exit code and output. */
function runScript(script: { file: string; env: NodeJS.ProcessEnv }, args: string[]): { done: Promise<{ code: number | null; out: string; err: string }>; exited: () => boolean } {
  const child = spawn(process.execPath, [script.file, ...args], { env: script.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let ended = false;
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => { ended = true; resolve({ code, out, err }); }));
  return { done, exited: () => ended };
}

/** Opens the store of the data directory argv[2]: its warnings and mutes as JSON (or the error's message). */
const OPEN_STORE = `import { WatchStore } from ${src('watch/state.ts')};
  const warnings = [];
  try {
    const store = await WatchStore.open(process.argv[2], { warn: (line) => warnings.push(line) });
    process.stdout.write(JSON.stringify({ warnings, mutes: store.mutes(Date.now()).map((m) => m.target) }) + '\\n');
    store.close();
  } catch (e) { process.stdout.write(JSON.stringify({ error: e.message }) + '\\n'); }`;

describe('a damaged watch.sqlite found by several processes at once', () => {
  it('one that finds it damaged while another moves it aside waits, judges it again, and keeps the fresh database', async () => {
    const data = tempDataDir();
    const other = tempDataDir();
    try {
      const fresh = await goodDatabase(other.dir);
      const file = watchFile(data.dir);
      writeFileSync(file, randomBytes(8192));
      const damaged = readFileSync(file);
      const script = bundleScript(other.dir, 'open-store', OPEN_STORE);
      let run: ReturnType<typeof runScript> | undefined;
      // This process is the one moving it aside: it holds the lock while the other finds the file damaged.
      await withFileLock(file, async () => {
        run = runScript(script, [data.dir]);
        const waiting = (): boolean => readdirSync(data.dir).some((n) => n.startsWith('watch.sqlite.lock.owner-'));
        for (const deadline = Date.now() + 20_000; !waiting() && !run.exited() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
        // It waits for the lock (its staging directory is there), and has moved nothing meanwhile.
        expect(waiting()).toBe(true);
        expect(readFileSync(file).equals(damaged)).toBe(true);
        expect(readdirSync(data.dir).filter((n) => n.includes('damaged'))).toEqual([]);
        renameSync(file, `${file}.damaged-by-another`);
        writeFileSync(file, fresh);
      });
      const result = await (run as ReturnType<typeof runScript>).done;
      expect([result.code, result.err]).toEqual([0, '']);
      // It judged the file again once it held the lock: the fresh one is kept, with its state, and nothing said.
      expect(JSON.parse(result.out)).toEqual({ warnings: [], mutes: ['guests'] });
      expect(readdirSync(data.dir).filter((n) => n.includes('damaged') || n.includes('lock')).sort()).toEqual(['watch.sqlite.damaged-by-another']);
    } finally {
      data.remove();
      other.remove();
    }
  }, 60_000);

  it('processes opening it at the same moment: moved aside once, one warning, every one opens the fresh database', async () => {
    const work = tempDataDir();
    try {
      const dirs = Array.from({ length: 8 }, (_, i) => join(work.dir, `d${i}`));
      for (const dir of dirs) {
        mkdirSync(dir);
        writeFileSync(watchFile(dir), randomBytes(8192));
      }
      const script = bundleScript(work.dir, 'open-stores', `import { WatchStore } from ${src('watch/state.ts')};
        const [at, ...dirs] = process.argv.slice(2);
        for (const [i, dir] of dirs.entries()) {
          while (Date.now() < Number(at) + i * 60) {}
          const warnings = [];
          try { (await WatchStore.open(dir, { warn: (line) => warnings.push(line) })).close(); process.stdout.write(\`\${warnings.length ? 'warned' : 'ok'}\\n\`); }
          catch (e) { process.stdout.write(\`\${e.message}\\n\`); }
        }`);
      const at = String(Date.now() + 1500);
      const runs = [1, 2, 3, 4].map(() => runScript(script, [at, ...dirs]));
      const lines = (await Promise.all(runs.map((r) => r.done))).flatMap((r) => r.out.split('\n').filter(Boolean));
      expect(lines.filter((l) => l !== 'ok' && l !== 'warned')).toEqual([]);
      expect(lines.filter((l) => l === 'warned')).toHaveLength(dirs.length);
      for (const dir of dirs) {
        expect(readdirSync(dir).filter((n) => asideName.test(n)), dir).toHaveLength(1);
        expect(readdirSync(dir).filter((n) => n.includes('lock')), dir).toEqual([]);
      }
    } finally {
      work.remove();
    }
  }, 60_000);
});
