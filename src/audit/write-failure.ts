/**
 * @module audit/write-failure
 * The error a change gets when its audit row cannot be written: the operation is not
 * run (exit 3), and the one line names the audit file, what went wrong and the fix.
 * A read-only data folder (a read-only mount, a folder or file the user may not write)
 * is the common case and gets its own fix; so do a full disk, a write lock another process
 * holds past the busy timeout, a file that is not (or no longer) a database, a file where the
 * data folder should be and a folder where the log should be. Any other failure (no SQLite
 * driver) says what SQLite or the file system said, with the general fix.
 */
import { dirname } from 'node:path';
import { ConfigError, HomelabError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { readOnlyPathOf, sqliteFixOf, wrongKindOf } from './sqlite-failure.js';
import { auditFile } from './store.js';

/** The path that keeps the audit log of `dataDir` from being written, when it is a permission or a read-only mount. */
export function readOnlyAuditPath(dataDir: string): string | undefined {
  return readOnlyPathOf(auditFile(dataDir));
}

/** The fix of a failure whose SQLite or system error code is `code`, when it has its own; `file` is the audit log. */
function fixOfCode(code: unknown, file: string): string | undefined {
  const shared = sqliteFixOf(code, file);
  if (shared !== undefined || typeof code !== 'string') return shared;
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return `the file is damaged: move it aside (mv ${file} ${file}.damaged) and the next change starts a new log; sqlite3's .recover may get its rows back`;
  }
  return undefined;
}

/** The error that stops operation `opId`: its audit row could not be written to the log of `dataDir`. */
export function auditWriteError(opId: string, dataDir: string, cause: unknown): ConfigError {
  const file = auditFile(dataDir);
  const wrong = wrongKindOf(file);
  if (wrong) return new ConfigError(`cannot write the audit log ${file}, so ${opId} was not run (${wrong.problem})`, `${wrong.fix}; a change never runs unrecorded`);
  const reason = redact((cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '');
  const readOnly = readOnlyAuditPath(dataDir);
  const ownHint = cause instanceof HomelabError ? cause.hint : undefined;
  const fix = readOnly
    ? `make ${readOnly} writable for this user, or set HOMELAB_DATA_HOME to a writable folder`
    : (ownHint ?? fixOfCode((cause as { code?: unknown } | undefined)?.code, file) ?? `fix ${dirname(file)} (a writable folder with free space), or set HOMELAB_DATA_HOME to another folder`);
  return new ConfigError(`cannot write the audit log ${file}, so ${opId} was not run (${readOnly ? `${readOnly} is read-only` : reason})`, `${fix}; a change never runs unrecorded`);
}
