/**
 * @module services/telegram/file-lock
 * A short-held lock around a file, shared by every process (the bot appending to the
 * inbox, `telegram inbox clear` run from cron, the MCP server). The lock is a
 * directory created with `mkdir` (atomic on every local file system). Its holder
 * touches it while it works, so a lock untouched for `staleMs` belongs to a crashed
 * process and is taken over. Taking over is itself serialised by a second directory
 * (`<lock>.break`), and removes the lock only if it is still the very one found stale:
 * of several processes that find the same stale lock, exactly one ends up holding it.
 * Callers in one process are queued first, so they do not spin on the directory.
 */
import type { Stats } from 'node:fs';
import { mkdir, rmdir, stat, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OperationError } from '../../core/errors.js';

/** Options of `withFileLock`. */
export interface FileLockOptions {
  /** A lock untouched for this long is taken over (its holder crashed). Default 10 s. */
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
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const held = await acquire(lock, staleMs, Date.now() + (options.waitMs ?? 15_000), path);
  // Touch the lock while working, so that a slow holder is never taken for a crashed one.
  const touch = setInterval(() => {
    const now = new Date();
    void utimes(lock, now, now).catch(() => undefined);
  }, Math.max(20, Math.floor(staleMs / 3)));
  touch.unref();
  try {
    return await fn();
  } finally {
    clearInterval(touch);
    // Remove only our own lock (not one that replaced it after ours was taken over).
    const current = await stat(lock).catch(() => undefined);
    if (current?.ino === held.ino) await rmdir(lock).catch(() => undefined);
  }
}

async function tryMkdir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the lock (waiting, or taking over a stale one); returns its stats. */
async function acquire(lock: string, staleMs: number, deadline: number, path: string): Promise<Stats> {
  for (let attempt = 0; ; attempt++) {
    if (await tryMkdir(lock)) return stat(lock);
    const seen = await stat(lock).catch(() => undefined);
    if (!seen) continue; // released meanwhile
    if (Date.now() - seen.mtimeMs > staleMs && (await takeOver(lock, seen, staleMs))) return stat(lock);
    if (Date.now() > deadline) throw new OperationError(`${path} is locked by another process`, `if no homelab process is running, remove ${lock}`);
    await new Promise((r) => setTimeout(r, Math.min(50, 2 + attempt * 2 + Math.random() * 5)));
  }
}

/**
 * Replaces the stale lock `seen` with ours, under `<lock>.break`: the lock is removed only
 * when it is still the one found stale (same inode, untouched since), and then created
 * again like any lock (a process taking it in between simply wins). Returns whether we
 * hold it. A guard left by a process that crashed in these few steps is removed once stale.
 */
async function takeOver(lock: string, seen: Stats, staleMs: number): Promise<boolean> {
  const guard = `${lock}.break`;
  if (!(await tryMkdir(guard))) {
    const left = await stat(guard).catch(() => undefined);
    if (left && Date.now() - left.mtimeMs > staleMs) await rmdir(guard).catch(() => undefined);
    return false;
  }
  try {
    const now = await stat(lock).catch(() => undefined);
    if (now && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs) await rmdir(lock).catch(() => undefined);
    return await tryMkdir(lock);
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}
