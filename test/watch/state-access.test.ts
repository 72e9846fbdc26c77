/**
 * A watch database homelab may not write, or whose write lock another process holds: the
 * reads (`watch status`, `watch digest`) work on it as it is, and a command that writes it
 * (`watch --once`) stops with one line naming `watch.sqlite` and the fix, exit 3, never a
 * bare SQLite error. The built CLI, with the data folder really read-only
 * (test/audit/read-only-run), or a lock held by this process.
 */
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { watchFile, WatchStore } from '../../src/watch/state.js';
import { runReadOnly } from '../audit/read-only-run.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const lab = useLab({ services: ['pve'] });

/** Writes one firing alert of the guests check to the watch database of `dir`. */
async function seed(dir: string): Promise<void> {
  const store = await WatchStore.open(dir);
  const now = Date.now();
  store.saveAlert({ key: 'guests:201', check: 'guests', message: 'VM 201 (media) is stopped', severity: 'critical', present: true, state: 'firing', since: now, firedAt: now, notified: true, lastNotified: now, flaps: [now], flapping: false });
  store.close();
}

describe('watch.sqlite that cannot be written', () => {
  it('read-only data folder: status and digest read it; watch --once exits 3 naming the file and the fix', async () => {
    const env = { ...lab.current.env };
    const data = env.HOMELAB_DATA_HOME;
    await seed(data);
    const before = readdirSync(data).sort();

    const status = await runReadOnly([data], ['watch', 'status', '--json'], env, lab.current.dir);
    expect([status.code, status.stderr]).toEqual([0, '']);
    expect((JSON.parse(status.stdout) as { alerts: { key: string }[] }).alerts.map((a) => a.key)).toEqual(['guests:201']);
    const digest = await runReadOnly([data], ['watch', 'digest'], env, lab.current.dir);
    expect([digest.code, digest.stderr]).toEqual([0, '']);
    expect(digest.stdout).toContain('🔴 guests: VM 201 (media) is stopped');

    const once = await runReadOnly([data], ['watch', '--once', '--stdout'], env, lab.current.dir);
    expect(once.code, once.stderr).toBe(3);
    const lines = once.stderr.trim().split('\n');
    expect(lines[0]).toBe(`homelab: cannot write ${watchFile(data)}: ${data} is read-only`);
    expect(lines[1]).toMatch(/^ {2}make \S+ writable for this user, or set HOMELAB_DATA_HOME to a writable folder/);
    expect(lines).toHaveLength(2);
    expect(readdirSync(data).sort()).toEqual(before);
  });

  it('a write lock held past the busy timeout: status reads; watch --once says the file is busy, exit 3', async () => {
    const env = { ...lab.current.env, HOMELAB_DATA_HOME: `${lab.current.dir}/busy-data` };
    await seed(env.HOMELAB_DATA_HOME);
    const holder = new Database(watchFile(env.HOMELAB_DATA_HOME));
    try {
      holder.exec('BEGIN IMMEDIATE');
      holder.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('held', 'yes')").run();
      const status = await runCli(['watch', 'status', '--json'], env, { timeoutMs: 60_000 });
      expect([status.code, status.stderr]).toEqual([0, '']);
      expect((JSON.parse(status.stdout) as { alerts: { key: string }[] }).alerts.map((a) => a.key)).toEqual(['guests:201']);
      const once = await runCli(['watch', '--once', '--stdout'], env, { timeoutMs: 60_000 });
      expect(once.code, once.stderr).toBe(3);
      const lines = once.stderr.trim().split('\n');
      expect(lines[0]).toBe(`homelab: ${watchFile(env.HOMELAB_DATA_HOME)} is busy: another process holds its write lock (database is locked)`);
      expect(lines[1]).toContain('end it or wait, then run the command again');
      expect(lines).toHaveLength(2);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
