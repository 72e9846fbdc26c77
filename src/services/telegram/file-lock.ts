/**
 * @module services/telegram/file-lock
 * A short-held lock around a file, shared by every process (the bot appending to the
 * inbox, `telegram inbox clear` run from cron, the MCP server). The lock is a
 * directory created with `mkdir` (atomic on every local file system); a lock older
 * than `staleMs` is taken to belong to a crashed process and removed. Callers in one
 * process are queued first, so they do not spin on the directory.
 */
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OperationError } from '../../core/errors.js';

/** Options of `withFileLock`. */
export interface FileLockOptions {
  /** A lock older than this is removed (its holder crashed). Default 10 s. */
  staleMs?: number;
  /** Give up after this long. Default 15 s. */
  waitMs?: number;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` while holding the lock `<path>.lock`. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => locked(path, fn, options));
  const tail = run.catch(() => undefined);
  queues.set(path, tail);
  void tail.then(() => {
    if (queues.get(path) === tail) queues.delete(path);
  });
  return run;
}

async function locked<T>(path: string, fn: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const lock = `${path}.lock`;
  const staleMs = options.staleMs ?? 10_000;
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > staleMs) {
      await rmdir(lock).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) throw new OperationError(`${path} is locked by another process`, `if no homelab process is running, remove ${lock}`);
    await new Promise((r) => setTimeout(r, Math.min(50, 2 + attempt * 2 + Math.random() * 5)));
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
