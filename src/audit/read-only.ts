/**
 * @module audit/read-only
 * Whether the audit log cannot be written because the data folder is read-only (a
 * read-only mount, or a folder the user may not write): then changes still run, with
 * one warning per folder and process. Any other failure to write the log (a file where
 * the folder should be, a full disk, no SQLite driver) still stops the operation.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
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

/** Whether the audit database of `dataDir` cannot be written for lack of write permission. */
export function auditFolderReadOnly(dataDir: string): boolean {
  const file = auditFile(dataDir);
  if (existsSync(file) && !writable(file)) return true;
  // The folder that holds (or would hold) the database, or the nearest one that exists.
  let dir = dirname(file);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return !writable(dir);
}

const warned = new Set<string>();

/** Warns once per data folder on stderr that the audit log is not written there. */
export function warnAuditReadOnly(dataDir: string, write: (line: string) => void = (line) => process.stderr.write(line)): void {
  if (warned.has(dataDir)) return;
  warned.add(dataDir);
  write(`homelab: warning: ${dataDir} is read-only: the audit log is not written, so changes made here are not recorded\n`);
}
