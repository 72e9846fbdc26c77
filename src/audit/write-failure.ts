/**
 * @module audit/write-failure
 * The error a change gets when its audit row cannot be written: the operation is not
 * run (exit 3), and the one line names the audit file, what went wrong and the fix.
 * A read-only data folder (a read-only mount, a folder or file the user may not write)
 * is the common case and gets its own fix; so do a full disk, a write lock another process
 * holds past the busy timeout, and a file that is not (or no longer) a database. Any other
 * failure (a file where the folder should be, no SQLite driver) says what SQLite or the file
 * system said, with the general fix.
 */
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, HomelabError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { auditFile } from './store.js';

const READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch (err) {
    return !READ_ONLY.has((err as NodeJS.ErrnoException).code ?? '');
  }
}

/** The path that keeps the audit log of `dataDir` from being written, when it is a permission or a read-only mount. */
export function readOnlyAuditPath(dataDir: string): string | undefined {
  const file = auditFile(dataDir);
  // The folder that holds (or would hold) the database, or the nearest one that exists.
  let dir = dirname(file);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (!writable(dir)) return dir;
  return existsSync(file) && !writable(file) ? file : undefined;
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

/** The fix of a failure whose SQLite or system error code is `code`, when it has its own; `file` is the audit log. */
function fixOfCode(code: unknown, file: string): string | undefined {
  if (typeof code !== 'string') return undefined;
  // A full disk is SQLITE_FULL to SQLite's writes, and an I/O error to the `-shm` file it cannot grow.
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT' || (code.startsWith('SQLITE_IOERR') && nearlyFull(file))) {
    return `free some space where ${dirname(file)} is, or set HOMELAB_DATA_HOME to another folder`;
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `another process has held its write lock for over 5 s (a stuck sqlite3 shell or homelab process?): end it or wait, then run the command again`;
  }
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return `the file is damaged: move it aside (mv ${file} ${file}.damaged) and the next change starts a new log; sqlite3's .recover may get its rows back`;
  }
  return undefined;
}

/** The error that stops operation `opId`: its audit row could not be written to the log of `dataDir`. */
export function auditWriteError(opId: string, dataDir: string, cause: unknown): ConfigError {
  const file = auditFile(dataDir);
  const reason = redact((cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '');
  const readOnly = readOnlyAuditPath(dataDir);
  const ownHint = cause instanceof HomelabError ? cause.hint : undefined;
  const fix = readOnly
    ? `make ${readOnly} writable for this user, or set HOMELAB_DATA_HOME to a writable folder`
    : (ownHint ?? fixOfCode((cause as { code?: unknown } | undefined)?.code, file) ?? `fix ${dirname(file)} (a writable folder with free space), or set HOMELAB_DATA_HOME to another folder`);
  return new ConfigError(`cannot write the audit log ${file}, so ${opId} was not run (${readOnly ? `${readOnly} is read-only` : reason})`, `${fix}; a change never runs unrecorded`);
}
