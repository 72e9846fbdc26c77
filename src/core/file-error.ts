/**
 * @module core/file-error
 * A file system error of Node (`EACCES: permission denied, open '/…'`) in homelab's words:
 * `cannot read <path>: permission denied` and the fix (check the owner and mode of <path>),
 * for the one line every surface shows (core/errors' `toHomelabError` makes it a config
 * error, exit 3). Only the codes that mean "this file or folder is not usable as it is" are
 * taken; only the path and the reason are said, never what the file holds.
 */

/** What happened to the file: read it, or write (create, replace, remove) it. */
export type FileAction = 'read' | 'write';

/** The codes taken, with their reason in words. */
const REASONS = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of its path is not a directory',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file size limit',
  EROFS: 'read-only file system',
  ELOOP: 'too many levels of symbolic links',
} as const satisfies Record<string, string>;

/** A code this module takes. */
export type FileCode = keyof typeof REASONS;

/** The system calls that change the file system; any other (open aside) only reads it. */
const WRITES = new Set(['mkdir', 'write', 'rename', 'unlink', 'rmdir', 'rm', 'copyfile', 'symlink', 'link', 'chmod', 'fchmod', 'chown', 'fchown', 'utime', 'futime', 'ftruncate', 'fsync', 'mkdtemp']);

/** Node's own codes for a system call's error (`rmSync` of a directory: `ERR_FS_EISDIR`), as the system's. */
const NODE_CODES: ReadonlyMap<string, string> = new Map([['ERR_FS_EISDIR', 'EISDIR']]);

/** A Node system error's code, system call and path, when `err` is one. */
function systemError(err: unknown): { code: string; syscall?: string; path?: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, syscall, path } = err as NodeJS.ErrnoException;
  if (typeof code !== 'string') return undefined;
  return { code: NODE_CODES.get(code) ?? code, ...(typeof syscall === 'string' ? { syscall } : {}), ...(typeof path === 'string' ? { path } : {}) };
}

/** Why the file could not be used, in words, when `err` is a file system error of a code this module takes. */
export function fileErrorReason(err: unknown): string | undefined {
  const e = systemError(err);
  return e && reasonOf(e);
}

function reasonOf(e: { code: string; syscall?: string }): string | undefined {
  // mkdir's EEXIST: what is there is not a folder (a file where one should be).
  if (e.code === 'EEXIST' && e.syscall === 'mkdir') return 'is not a folder';
  return Object.hasOwn(REASONS, e.code) ? REASONS[e.code as keyof typeof REASONS] : undefined;
}

/**
 * `err` as one line and its fix, when it is a file system error of a code this module takes
 * with a path (its own, or `path` for one that has none, such as reading a directory).
 * `action` says what was done; without it the system call tells (an `open` is said as `open`).
 */
export function fileErrorWords(err: unknown, path?: string, action?: FileAction): { message: string; hint: string } | undefined {
  const e = systemError(err);
  const reason = e && reasonOf(e);
  const where = path ?? e?.path;
  if (!e || !reason || !where) return undefined;
  const verb = action ?? (e.syscall && WRITES.has(e.syscall) ? 'write' : e.syscall === 'open' ? 'open' : 'read');
  return { message: `cannot ${verb} ${where}: ${reason}`, hint: fixFor(e.code, where) };
}

/** The words of a problem found before any error (a directory where a file should be: `EISDIR`), as `fileErrorWords` gives them. */
export function fileCodeWords(code: FileCode, path: string, action: FileAction): { message: string; hint: string } {
  return { message: `cannot ${action} ${path}: ${REASONS[code]}`, hint: fixFor(code, path) };
}

/** The fix of file system error `err` at `path`: what to check or free. */
export function fileErrorFix(err: unknown, path: string): string {
  return fixFor(systemError(err)?.code, path);
}

function fixFor(code: string | undefined, path: string): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `free some space where ${path} is, then run the command again`;
    case 'EFBIG':
      return `raise the file size limit (ulimit -f) so ${path} can be written whole, then run the command again`;
    case 'EROFS':
      return `${path} is on a read-only mount: remount it read-write, or set HOMELAB_DATA_HOME (or HOMELAB_CONFIG_HOME) to a writable folder`;
    case 'EISDIR':
    case 'ENOTDIR':
    case 'EEXIST':
    case 'ELOOP':
      return `check what is at ${path} and the folders above it (ls -ld), and move what is in the way`;
    default:
      return `check the owner and mode of ${path} and the folders above it (ls -ld), or run homelab as the user who owns them`;
  }
}
