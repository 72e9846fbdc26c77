/**
 * What stops the audit log is told with the fix that matches it: a log another process holds
 * locked past the busy timeout, a file that is not a database and a full disk each get their
 * own (not "a writable folder with free space" for a folder that is both); the change is not
 * run. `homelab audit` still reads the log when SQLite cannot make its `-shm` file there (a
 * full disk), through the private copy it uses on a read-only folder.
 *
 * The built CLI, with a local change (`telegram allow`) and real SQLite errors: a write lock
 * held by this process, a file of random bytes, and a `-shm` that cannot be opened as shared
 * memory (a FIFO of that name: SQLITE_IOERR_SHMOPEN, the error class a full disk gives; any
 * user can make one). As root, where a small tmpfs can be mounted, a really full disk too.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/audit/sqlite.js';
import { auditFile, type AuditEntry } from '../../src/audit/store.js';
import { auditWriteError } from '../../src/audit/write-failure.js';
import { runCli } from '../helpers/cli.js';
import { fillDisk, useScratch } from '../helpers/small-disk.js';

const { work, smallDisk } = useScratch('audit-causes-');

/** A config home with the bot configured and a data folder `data` (default: its own) holding an audit log of one row. */
async function home(data?: string): Promise<{ env: Record<string, string>; file: string; users: string }> {
  const dir = mkdtempSync(join(work, 'h-'));
  mkdirSync(join(dir, 'config', 'homelab'), { recursive: true });
  writeFileSync(join(dir, 'config', 'homelab', 'config.yaml'), 'telegram: { api_root: "http://127.0.0.1:9" }\n', { mode: 0o600 });
  const env = { HOMELAB_CONTEXT: '', HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: data ?? join(dir, 'data') };
  const first = await runCli(['telegram', 'allow', '1001'], env);
  expect([first.code, first.stderr]).toEqual([0, '']);
  return { env, file: auditFile(env.HOMELAB_DATA_HOME), users: join(env.HOMELAB_DATA_HOME, 'telegram', 'authorized_users') };
}

/** The refusal's two lines for `file` and `reason`, with `fix`. */
const refusal = (file: string, reason: string, fix: string): string =>
  `homelab: cannot write the audit log ${file}, so telegram.allow was not run (${reason})\n  ${fix}; a change never runs unrecorded\n`;

describe('a change whose audit row cannot be written, by cause', () => {
  it('a write lock held past the busy timeout: says another process holds it', async () => {
    const { env, file, users } = await home();
    const holder = openSqlite(file, '');
    holder.exec('BEGIN IMMEDIATE');
    try {
      const run = await runCli(['telegram', 'allow', '1002'], env);
      expect(run.stderr).toBe(refusal(file, 'database is locked', 'another process has held its write lock for over 5 s (a stuck sqlite3 shell or homelab process?): end it or wait, then run the command again'));
      expect(run.code).toBe(3);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(readFileSync(users, 'utf8')).toBe('1001\n');
  });

  it('a file that is not a database: says to move it aside', async () => {
    const { env, file, users } = await home();
    for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    writeFileSync(file, 'garbage, not a database\n'.repeat(400));
    const run = await runCli(['telegram', 'allow', '1002'], env);
    expect(run.stderr).toBe(refusal(file, 'file is not a database', `the file is damaged: move it aside (mv ${file} ${file}.damaged) and the next change starts a new log; sqlite3's .recover may get its rows back`));
    expect(run.code).toBe(3);
    expect(readFileSync(users, 'utf8')).toBe('1001\n');
  });

  it('a full disk (SQLite\'s SQLITE_FULL, or ENOSPC): says to free space', () => {
    const data = join(work, 'full-data');
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const error = auditWriteError('telegram.allow', data, full);
    expect([error.message, error.hint]).toEqual([
      `cannot write the audit log ${auditFile(data)}, so telegram.allow was not run (database or disk is full)`,
      `free some space where ${data} is, or set HOMELAB_DATA_HOME to another folder; a change never runs unrecorded`,
    ]);
  });
});

describe('a data folder that is a file, or an audit.sqlite that is a folder', () => {
  it('says which path is of the wrong kind, when reading (exit 3, not an empty log) and when a change is refused', async () => {
    const { env } = await home();
    const file = join(work, 'data-is-a-file');
    writeFileSync(file, 'hi\n');
    const folder = join(mkdtempSync(join(work, 'd-')), 'data');
    mkdirSync(join(folder, 'audit.sqlite'), { recursive: true });
    for (const [data, problem, fix] of [
      [file, `${file} is a file, not a folder`, `move ${file} aside, or set HOMELAB_DATA_HOME to a folder`],
      [folder, `${auditFile(folder)} is a folder, not a database file`, `move ${auditFile(folder)} aside (homelab then makes the file there), or set HOMELAB_DATA_HOME to another folder`],
    ] as const) {
      const read = await runCli(['audit'], { ...env, HOMELAB_DATA_HOME: data });
      expect([read.code, read.stdout, read.stderr]).toEqual([3, '', `homelab: cannot read the audit log ${auditFile(data)}: ${problem}\n  ${fix}\n`]);
      const changed = await runCli(['telegram', 'allow', '1002'], { ...env, HOMELAB_DATA_HOME: data });
      expect([changed.code, changed.stderr]).toEqual([3, refusal(auditFile(data), problem, fix)]);
    }
  });
});

describe('homelab audit when SQLite cannot make the -shm file', () => {
  it('reads the log through a private copy', async () => {
    const { env, file } = await home();
    for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    execFileSync('mkfifo', [`${file}-shm`]);
    const run = await runCli(['audit', '--json'], env);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect((JSON.parse(run.stdout) as AuditEntry[]).map((r) => [r.operation, r.outcome])).toEqual([['telegram.allow', 'ok']]);
  });
});

describe('a really full data disk (root, where a tmpfs can be mounted)', () => {
  const disk = smallDisk('256k');
  it.runIf(disk !== undefined)('audit reads the log; a change is refused with the free-space fix', async () => {
    const data = join(disk ?? '', 'data');
    const { env, file } = await home(data);
    fillDisk(disk ?? '');
    const read = await runCli(['audit', '--json'], env);
    expect([read.code, read.stderr]).toEqual([0, '']);
    expect((JSON.parse(read.stdout) as AuditEntry[]).map((r) => r.operation)).toEqual(['telegram.allow']);
    const changed = await runCli(['telegram', 'allow', '1002'], env);
    expect(changed.code).toBe(3);
    expect(changed.stderr).toMatch(new RegExp(`^homelab: cannot write the audit log ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, so telegram\\.allow was not run \\(.*\\)\\n  free some space where ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is, or set HOMELAB_DATA_HOME to another folder; a change never runs unrecorded\\n$`));
    expect(readFileSync(join(data, 'telegram', 'authorized_users'), 'utf8')).toBe('1001\n');
  });
});
