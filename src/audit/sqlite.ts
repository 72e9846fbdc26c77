/**
 * @module audit/sqlite
 * Opens a SQLite database in the data directory with better-sqlite3, loaded lazily
 * (it is a native module the CLI's cold start must not pay for). The file is created
 * with mode 0600 in a 0700 directory, in WAL mode with a busy timeout so the CLI, the
 * bot and the daemons can write to it at the same time. `openSqliteForReading` opens
 * one read-only, even in a read-only folder (`openMemorySqlite`: one not created yet). A database file that is a symlink is refused
 * (exit 3): homelab would write through it, and take away the group's and others' read of
 * whatever it points to.
 */
import { chmodSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError } from '../core/errors.js';

/** An open better-sqlite3 database. */
export type SqliteDatabase = BetterSqlite3.Database;

let constructor: typeof BetterSqlite3 | undefined;

function loadDriver(): typeof BetterSqlite3 {
  if (!constructor) {
    try {
      constructor = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    } catch (err) {
      throw new ConfigError(`cannot load better-sqlite3: ${(err as Error).message.split('\n')[0]}`, 'reinstall homelab (npm ci) so the native module is built for this Node version');
    }
  }
  return constructor;
}

/** The lstat of `path` (a link's own), or undefined when there is nothing there. */
function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Throws a ConfigError (exit 3) when the database `file` (`stat`: its lstat) is a symlink. */
function refuseLink(file: string, stat: Stats | undefined): void {
  if (!stat?.isSymbolicLink()) return;
  let target = '';
  try {
    target = readlinkSync(file);
  } catch {
    // gone since: the refusal stands
  }
  throw new ConfigError(`database ${file} is a symbolic link${target ? ` (to ${target})` : ''}: homelab keeps its databases as files of its own`, `put the file itself there (mv the file it points to over ${file}), or remove the link`);
}

/** Opens (creating when needed) the database at `file` and runs `schema` (idempotent DDL). */
export function openSqlite(file: string, schema: string): SqliteDatabase {
  const Driver = loadDriver();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  refuseLink(file, lstatOrNothing(file));
  let db: SqliteDatabase;
  try {
    db = new Driver(file);
  } catch (err) {
    throw new ConfigError(`cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    // Take away what others may do; never give back a write permission the user took away.
    const stat = lstatOrNothing(file);
    const mode = stat?.isFile() ? stat.mode & 0o777 : 0;
    if (mode & 0o077) chmodSync(file, mode & 0o700);
  } catch {
    // not ours to fix (a read-only mount): SQLite itself will say so on write
  }
  try {
    db.pragma('busy_timeout = 5000');
    walMode(db);
    db.exec(schema);
  } catch (err) {
    // A damaged file (or another schema): close it, so no handle is left on a file the caller may move aside.
    db.close();
    throw err;
  }
  return db;
}

/**
 * Switches `db` to WAL mode. Two processes creating the file at the same moment (cron's
 * runs overlapping) can find it SQLITE_BUSY without the busy timeout being waited out,
 * so that is retried for up to 5 s, as the busy timeout would.
 */
function walMode(db: SqliteDatabase): void {
  const until = Date.now() + 5000;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= until) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.floor(Math.random() * 20));
    }
  }
}

/**
 * The errors of a read-only open that a private copy gets past: a folder SQLite may not write
 * (READONLY, CANTOPEN), and a `-shm` file it cannot create or grow (IOERR_SHMOPEN, SHMSIZE,
 * SHMMAP: a full disk).
 */
const COPY_HELPS = /^SQLITE_(READONLY|CANTOPEN|IOERR_SHM(OPEN|SIZE|MAP))/;

/**
 * Opens the existing database at `file` read-only, checking it with `probe` (a query).
 * In a read-only folder, or on a full disk, SQLite cannot always open a WAL database (it
 * needs its `-shm` file there), so then the database and its `-wal` file (rows not yet checkpointed) are
 * copied into a private temporary folder, opened there, and the whole database is held
 * in memory; the copy is removed at once. Nothing is written next to `file`.
 */
export function openSqliteForReading(file: string, probe: string): SqliteDatabase {
  const Driver = loadDriver();
  try {
    const db = new Driver(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare(probe).get();
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !COPY_HELPS.test(code)) throw readError(file, err);
  }
  try {
    const db = new Driver(readCopy(Driver, file), { readonly: true });
    db.prepare(probe).get();
    return db;
  } catch (err) {
    throw readError(file, err);
  }
}

/** The ConfigError (exit 3) of `file` that could not be read; SQLite's error is its `cause` (its code tells a damaged file). */
function readError(file: string, err: unknown): ConfigError {
  const error = new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  error.cause = err;
  return error;
}

/** An empty database in memory with `schema`: what a reader sees of a database not created yet. */
export function openMemorySqlite(schema: string): SqliteDatabase {
  const db = new (loadDriver())(':memory:');
  db.exec(schema);
  return db;
}

/**
 * The bytes of the database at `file` with its `-wal` file applied, read through a private copy of both.
 * The two files are copied one after the other without SQLite's lock (a reader that cannot write
 * cannot take it): a writer checkpointing in between can make the copy miss its newest rows, or
 * read as malformed (an error, never wrong rows). It only arises while someone who can write is
 * writing and the reader cannot, which the log's 0600 mode makes rare.
 */
function readCopy(Driver: typeof BetterSqlite3, file: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-audit-'));
  try {
    const copy = join(dir, 'audit.sqlite');
    copyFileSync(file, copy);
    chmodSync(copy, 0o600); // the copy keeps the original's mode, which may be read-only
    try {
      copyFileSync(`${file}-wal`, `${copy}-wal`);
      chmodSync(`${copy}-wal`, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const db = new Driver(copy, { fileMustExist: true });
    try {
      // Applies the log to the copy and marks it a rollback-journal database, which memory can hold.
      db.pragma('journal_mode = DELETE');
      return db.serialize();
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
