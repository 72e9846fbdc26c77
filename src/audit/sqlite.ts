/**
 * @module audit/sqlite
 * Opens a SQLite database in the data directory with better-sqlite3, loaded lazily
 * (it is a native module the CLI's cold start must not pay for). The file is created
 * with mode 0600 in a 0700 directory, in WAL mode with a busy timeout so the CLI, the
 * bot and the daemons can write to it at the same time. `openSqliteForReading` opens
 * one read-only, even in a read-only folder.
 */
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
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

/** Opens (creating when needed) the database at `file` and runs `schema` (idempotent DDL). */
export function openSqlite(file: string, schema: string): SqliteDatabase {
  const Driver = loadDriver();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let db: SqliteDatabase;
  try {
    db = new Driver(file);
  } catch (err) {
    throw new ConfigError(`cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    chmodSync(file, 0o600);
  } catch {
    // not ours to fix (a read-only mount): SQLite itself will say so on write
  }
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.exec(schema);
  return db;
}

/**
 * Opens the existing database at `file` read-only, checking it with `probe` (a query).
 * In a read-only folder SQLite cannot open a WAL database (it needs to create its
 * `-shm` file there), so then the file's bytes are read into memory and opened from
 * there, marked as a rollback-journal database (header bytes 18–19), which is all a
 * reader needs. Writers close the log on exit, so the file holds every row.
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
    if (typeof code !== 'string' || !/^SQLITE_(READONLY|CANTOPEN)/.test(code)) throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (bytes.length >= 100) bytes.fill(1, 18, 20);
  try {
    const db = new Driver(bytes, { readonly: true });
    db.prepare(probe).get();
    return db;
  } catch (err) {
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
}
