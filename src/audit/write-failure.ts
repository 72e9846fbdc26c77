/**
 * @module audit/write-failure
 * The error a change gets when its audit row cannot be written: the operation is not
 * run (exit 3), and the one line names the audit file, what went wrong and the fix.
 * A read-only data folder (a read-only mount, a folder or file the user may not write)
 * is the common case and gets its own fix; any other failure (a file where the folder
 * should be, a full disk, no SQLite driver) says what SQLite or the file system said.
 */
import { accessSync, constants, existsSync } from 'node:fs';
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

/** The error that stops operation `opId`: its audit row could not be written to the log of `dataDir`. */
export function auditWriteError(opId: string, dataDir: string, cause: unknown): ConfigError {
  const file = auditFile(dataDir);
  const reason = redact((cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '');
  const readOnly = readOnlyAuditPath(dataDir);
  const ownHint = cause instanceof HomelabError ? cause.hint : undefined;
  const fix = readOnly
    ? `make ${readOnly} writable for this user, or set HOMELAB_DATA_HOME to a writable folder`
    : (ownHint ?? `fix ${dirname(file)} (a writable folder with free space), or set HOMELAB_DATA_HOME to another folder`);
  return new ConfigError(`cannot write the audit log ${file}, so ${opId} was not run (${readOnly ? `${readOnly} is read-only` : reason})`, `${fix}; a change never runs unrecorded`);
}
