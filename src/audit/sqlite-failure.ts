/**
 * @module audit/sqlite-failure
 * What keeps one of homelab's SQLite files (the audit log, the watch state) from being
 * written, in words a user can act on: the folder or file that is read-only (permission or
 * a read-only mount), and the fix of a full disk or of a write lock another process holds
 * past the busy timeout, and a path of the wrong kind (a file where the data folder should be,
 * a folder where the database should be). Shared by the audit log (audit/write-failure) and the watch
 * database (watch/state-file).
 */
import { accessSync, constants, existsSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch (err) {
    return !READ_ONLY.has((err as NodeJS.ErrnoException).code ?? '');
  }
}

/** The folder or file that keeps the database `file` from being written, when it is a permission or a read-only mount. */
export function readOnlyPathOf(file: string): string | undefined {
  // The folder that holds (or would hold) the database, or the nearest one that exists.
  let dir = dirname(file);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (!writable(dir)) return dir;
  return existsSync(file) && !writable(file) ? file : undefined;
}

/** Whether `path` is a directory (following links); false when there is nothing there or it cannot be looked at. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A path of the wrong kind that keeps the database `file` from being opened, and the fix. */
export interface WrongKind {
  /** `/srv/homelab is a file, not a folder`, `/srv/homelab/audit.sqlite is a folder, not a database file`. */
  problem: string;
  fix: string;
}

/**
 * What is in the way when the nearest existing folder above the database `file` is a file
 * (`HOMELAB_DATA_HOME` names a file), or `file` itself is a folder; undefined otherwise.
 */
export function wrongKindOf(file: string): WrongKind | undefined {
  let dir = dirname(file);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (existsSync(dir) && !isFolder(dir)) {
    return { problem: `${dir} is a file, not a folder`, fix: `move ${dir} aside, or set HOMELAB_DATA_HOME to a folder` };
  }
  if (isFolder(file)) {
    return { problem: `${file} is a folder, not a database file`, fix: `move ${file} aside (homelab then makes the file there), or set HOMELAB_DATA_HOME to another folder` };
  }
  return undefined;
}

/** Below this much room, SQLite's I/O errors are taken for a full disk (its `-shm` file alone takes 32 KiB). */
const NEARLY_FULL = 1024 * 1024;

/** Whether the file system of `file`'s folder (or the nearest one that exists) has less than NEARLY_FULL left for us. */
function nearlyFull(file: string): boolean {
  let dir = dirname(file);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize < NEARLY_FULL;
  } catch {
    return false;
  }
}

/** Whether `code` (SQLite's or the system's) says the disk is full; an I/O error counts when the disk of `file` nearly is. */
export function diskFull(code: string, file: string): boolean {
  return code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT' || (code.startsWith('SQLITE_IOERR') && nearlyFull(file));
}

/** Whether `code` says another connection holds the lock SQLite waited for (past the busy timeout). */
export function lockHeld(code: string): boolean {
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** The fix when `code` is a full disk or a lock held too long, for the database `file`; undefined for any other code. */
export function sqliteFixOf(code: unknown, file: string): string | undefined {
  if (typeof code !== 'string') return undefined;
  if (diskFull(code, file)) return `free some space where ${dirname(file)} is, or set HOMELAB_DATA_HOME to another folder`;
  if (lockHeld(code)) return `another process has held its write lock for over 5 s (a stuck sqlite3 shell or homelab process?): end it or wait, then run the command again`;
  return undefined;
}
