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
 * file and the fix.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { openSqlite, type SqliteDatabase } from '../audit/sqlite.js';
import { ConfigError, FileAccessError, HomelabError } from '../core/errors.js';
import { withFileLock } from '../core/file-lock.js';

/** Why opening failed, when the file itself is damaged; undefined for any other failure. */
function damage(err: unknown): string | undefined {
  const code = (err as { code?: unknown }).code;
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

/**
 * Opens `file`, checks its pages (quick_check) and that the tables of `columns` it has
 * have those columns (before anything is written to it), then creates `schema`.
 */
function openChecked(file: string, schema: string, columns: StateColumns): SqliteDatabase {
  const db = openSqlite(file, '');
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`database disk image is malformed (${String(check)})`), { code: 'SQLITE_CORRUPT' });
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    for (const [table, names] of Object.entries(columns)) if (tables.has(table)) db.prepare(`SELECT ${names.join(', ')} FROM ${table}`);
    // IMMEDIATE: a second process creating it at the same moment waits (busy timeout), never "database is locked".
    db.transaction(() => db.exec(schema)).immediate();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
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
