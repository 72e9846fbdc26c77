/**
 * @module watch/state-file
 * Opens the watch database and copes with a damaged one. The file holds only alert
 * state (pending-since times, what was announced, mutes, the digest's event log), and an
 * alerting daemon that stops over it alerts about nothing (under systemd it would fail
 * on every restart). So a file that is not a database, is malformed, or has a table of one
 * of homelab's names that lacks one of homelab's columns (a table of another name is kept
 * as it is) is moved aside to `watch.sqlite.damaged-<time>` (its `-wal` file with it), a
 * fresh database is created, and one warning line says so. The damage is judged again and
 * the file moved and created under a lock on it (core/file-lock), so that of processes
 * finding it damaged at once one moves it, and none moves the fresh database another one
 * created. When it cannot be moved (a read-only folder), a ConfigError (exit 3) names the
 * file and the fix. A file SQLite cannot open, write or lock (read-only, busy past the busy
 * timeout, a full disk) is one line naming it and the fix, exit 3 (`stateFileError`). A
 * database that has all of homelab's tables is opened without writing to it, and a reader
 * (`readStateDatabase`: `watch status`, `watch digest`) opens it read-only.
 */
import { existsSync, lstatSync, renameSync, rmSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { lockHeld, readOnlyPathOf, sqliteFixOf } from '../audit/sqlite-failure.js';
import { openMemorySqlite, openSqlite, openSqliteForReading, type SqliteDatabase } from '../audit/sqlite.js';
import { ConfigError, FileAccessError, HomelabError } from '../core/errors.js';
import { withFileLock } from '../core/file-lock.js';
import { redact } from '../core/redact.js';

/** Why opening failed, when the file itself is damaged; undefined for any other failure. */
function damage(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  // SQLITE_ERROR from a fixed schema or probe: a table of that name with other columns.
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_ERROR') return (err as Error).message;
  return undefined;
}

/** Whether opening failed on an I/O error (SQLITE_IOERR and its extended codes). */
function ioError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_IOERR');
}

/** The columns homelab uses, per table. */
export type StateColumns = Readonly<Record<string, readonly string[]>>;

/** The names of the tables and indexes `schema` creates. */
function schemaNames(schema: string): string[] {
  return [...schema.matchAll(/CREATE\s+(?:TABLE|INDEX)\s+IF\s+NOT\s+EXISTS\s+(\w+)/gi)].map((m) => m[1] as string);
}

/**
 * Checks the pages of `db` (quick_check) and that the tables of `columns` it has have those
 * columns; which of `schema`'s tables and indexes it lacks, and whether it has none of homelab's tables.
 */
function check(db: SqliteDatabase, schema: string, columns: StateColumns): { missing: string[]; empty: boolean } {
  const result = db.pragma('quick_check', { simple: true });
  if (result !== 'ok') throw Object.assign(new Error(`database disk image is malformed (${String(result)})`), { code: 'SQLITE_CORRUPT' });
  const names = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')").all() as { name: string }[]).map((t) => t.name));
  for (const [table, list] of Object.entries(columns)) if (names.has(table)) db.prepare(`SELECT ${list.join(', ')} FROM ${table}`);
  return { missing: schemaNames(schema).filter((n) => !names.has(n)), empty: Object.keys(columns).every((t) => !names.has(t)) };
}

/**
 * Opens `file`, checks it (before anything is written to it), then creates what of
 * `schema` it lacks. A file that has it all is not written to: opening it takes no write
 * lock, so another process holding one does not hold this one up.
 */
function openChecked(file: string, schema: string, columns: StateColumns): SqliteDatabase {
  const db = openSqlite(file, '');
  try {
    // IMMEDIATE: a second process creating it at the same moment waits (busy timeout), never "database is locked".
    if (check(db, schema, columns).missing.length) db.transaction(() => db.exec(schema)).immediate();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** SQLite's codes of a file it may not open, write or lock, or a disk it cannot write. */
const FILE_CODES = /^SQLITE_(READONLY|CANTOPEN|BUSY|LOCKED|FULL|IOERR|PERM)/;

/**
 * `err` from opening, reading or writing the database `file` as one line naming the file
 * and the fix (a FileAccessError, exit 3), when SQLite could not use the file: a read-only
 * file or folder, a write lock another process held past the busy timeout ("busy"), a
 * full disk, an I/O error. Any other error is returned as it is.
 */
export function stateFileError(file: string, err: unknown): unknown {
  if (err instanceof HomelabError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !FILE_CODES.test(code)) return err;
  const reason = redact(((err as Error).message ?? String(err)).split('\n')[0] ?? '');
  if (lockHeld(code)) return new FileAccessError(`${file} is busy: another process holds its write lock (${reason})`, sqliteFixOf(code, file), code);
  const readOnly = readOnlyPathOf(file);
  if (readOnly) {
    return new FileAccessError(`cannot write ${file}: ${readOnly} is read-only`, `make ${readOnly} writable for this user, or set HOMELAB_DATA_HOME to a writable folder (watch status and watch digest read it as it is)`, code);
  }
  return new FileAccessError(`cannot write ${file}: ${reason}`, sqliteFixOf(code, file) ?? `fix ${dirname(file)} (a writable folder with free space), or set HOMELAB_DATA_HOME to another folder`, code);
}

/** Moves `file` (and its `-wal`; the `-shm` index is dropped) to `<file>.damaged-<time>`; the new name. */
function moveAside(file: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let aside = `${file}.damaged-${stamp}`;
  for (let n = 2; existsSync(aside); n++) aside = `${file}.damaged-${stamp}-${n}`;
  renameSync(file, aside);
  try {
    renameSync(`${file}-wal`, `${aside}-wal`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  rmSync(`${file}-shm`, { force: true });
  return aside;
}

/** The ConfigError (exit 3) of a damaged `file` that could not be moved aside. */
function cannotMove(file: string, why: string, err: unknown): ConfigError {
  return new ConfigError(
    `${file} is damaged (${why}) and could not be moved aside: ${(err as Error).message}`,
    `it holds only alert state (what was announced, mutes): move it away (mv ${file} ${file}.damaged) and homelab starts afresh`,
  );
}

/**
 * Opens the database at `file` with `schema`; `columns` names every column homelab
 * uses. A damaged file is moved aside and replaced by a fresh one, and
 * `warn` gets one line saying so.
 */
export async function openStateDatabase(file: string, schema: string, columns: StateColumns, warn: (line: string) => void, now: () => number = Date.now): Promise<SqliteDatabase> {
  try {
    return await openOrMoveAside(file, schema, columns, warn, now);
  } catch (err) {
    throw stateFileError(file, err);
  }
}

/**
 * Opens the database at `file` for reading only: nothing is written to it, and no lock
 * waited for (a read-only file or folder is read as it is, audit/sqlite). A file not there
 * yet (or holding none of homelab's tables) reads as an empty database in memory. A damaged
 * file, one lacking some of homelab's tables, or a symlink is opened as `openStateDatabase`
 * opens it (moved aside, created, refused).
 */
export async function readStateDatabase(file: string, schema: string, columns: StateColumns, warn: (line: string) => void, now: () => number = Date.now): Promise<SqliteDatabase> {
  let stat: Stats;
  try {
    stat = lstatSync(file);
  } catch {
    return openMemorySqlite(schema);
  }
  if (stat.isSymbolicLink()) return openStateDatabase(file, schema, columns, warn, now);
  let db: SqliteDatabase;
  try {
    db = openSqliteForReading(file, 'SELECT count(*) FROM sqlite_master');
  } catch (err) {
    if (damage((err as Error).cause) !== undefined) return openStateDatabase(file, schema, columns, warn, now);
    throw err;
  }
  let found: { missing: string[]; empty: boolean };
  try {
    found = check(db, schema, columns);
  } catch (err) {
    db.close();
    if (damage(err) === undefined) throw stateFileError(file, err);
    return openStateDatabase(file, schema, columns, warn, now);
  }
  if (!found.missing.length) return db;
  db.close();
  return found.empty ? openMemorySqlite(schema) : openStateDatabase(file, schema, columns, warn, now);
}

/** `openStateDatabase`, its errors as SQLite threw them. */
async function openOrMoveAside(file: string, schema: string, columns: StateColumns, warn: (line: string) => void, now: () => number): Promise<SqliteDatabase> {
  let why: string | undefined;
  try {
    return openChecked(file, schema, columns);
  } catch (err) {
    why = damage(err);
    // An I/O error while opening: another process may be moving this damaged file (and its
    // -wal) aside right now. Waiting for its lock and judging the file again sorts it out;
    // under the lock, the same error again is thrown as it is.
    if (why === undefined && !ioError(err)) throw err;
    why ??= (err as Error).message;
  }
  let locked = false;
  try {
    return await withFileLock(file, async () => {
      locked = true;
      return moveAsideOnce(file, schema, columns, warn, new Date(now()));
    });
  } catch (err) {
    // The lock could not be made (a folder it cannot write): that folder cannot take the damaged
    // file's move either. Any other refusal of the lock (held too long) is told as it is.
    if (locked || (err instanceof HomelabError && !(err instanceof FileAccessError))) throw err;
    throw cannotMove(file, why, err);
  }
}

/**
 * Under the lock: the file is judged again (another process may have moved it aside and
 * created a fresh one meanwhile: that one is used), then moved aside and created afresh.
 */
async function moveAsideOnce(file: string, schema: string, columns: StateColumns, warn: (line: string) => void, now: Date): Promise<SqliteDatabase> {
  let why: string | undefined;
  try {
    return openChecked(file, schema, columns);
  } catch (err) {
    why = damage(err);
    if (why === undefined) throw err;
  }
  let aside: string;
  try {
    aside = moveAside(file, now);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return openChecked(file, schema, columns); // moved by hand meanwhile
    throw cannotMove(file, why, err);
  }
  warn(`${file} was damaged (${why}): moved it to ${aside} and started afresh (mutes, maintenance and what was announced are lost; an alert still firing is announced again)`);
  return openChecked(file, schema, columns);
}
