/**
 * @module core/file-lock
 * A short-held lock around a file, shared by every process (the bot appending to the
 * inbox, `telegram inbox clear` run from cron, the MCP server, `serve passwd`). The lock is the
 * directory `<path>.lock` holding one file, `owner-<pid>-<random>`, the holder's token.
 *
 * Every step that decides who holds the lock acts on a name no one else uses, so no
 * step can undo another process's work, however their steps interleave:
 * - taking: a private directory with our token file in it is renamed to `<lock>`
 *   (atomic; it fails while `<lock>` holds a token, and replaces an empty one, which no
 *   one holds);
 * - releasing: our token file is unlinked (it fails when we lost the lock), then the
 *   emptied directory is removed (`rmdir` removes only an empty one);
 * - taking over: the holder touches its token while it works, so a token untouched for
 *   `staleMs` belongs to a crashed (or stalled) process; it is unlinked by its name, so of
 *   several processes that find it stale exactly one removes it, and a holder that wakes
 *   up later finds its token gone and leaves the new holder's lock alone.
 * - staging: a contender's private directory `<lock>.owner-<pid>-<random>` lives for its whole
 *   wait; the contender touches its token while it waits, so one whose token is older than
 *   `staleMs` was killed while waiting, and `acquire` removes it (its token by name, then
 *   the emptied directory). A waiter that stalled that long and lost its staging directory
 *   stages again; one that renamed a staging directory emptied under it into `<lock>` finds
 *   its token missing there and does not take itself for the holder.
 * Callers in one process are queued first, so they do not spin on the directory. A lock that
 * cannot be made (a full disk, a read-only folder) is told as one line naming `<path>.lock`: a
 * FileAccessError whose `systemCode` keeps the cause (`ENOSPC`, `EROFS`, `EACCES`), for a caller
 * that handles one itself (the inbox reads a folder it may not write without the lock).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileAccessError, OperationError } from './errors.js';

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
  await mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((err: unknown) => { throw fileAccessError(err, dirname(path), 'write'); });
  const token = `owner-${process.pid}-${randomBytes(8).toString('hex')}`;
  await acquire(lock, token, staleMs, Date.now() + (options.waitMs ?? 15_000), path);
  const mine = join(lock, token);
  // Touch the token while working, so that a slow holder is never taken for a crashed one.
  const touch = setInterval(() => {
    const now = new Date();
    void utimes(mine, now, now).catch(() => undefined);
  }, Math.max(20, Math.floor(staleMs / 3)));
  touch.unref();
  try {
    return await fn();
  } finally {
    clearInterval(touch);
    // Only while our token is still there is the lock ours; a lock that replaced ours is left alone.
    if (await succeeded(unlink(mine))) await rmdir(lock).catch(() => undefined);
  }
}

/** Resolves whether `step` succeeded (false when what it acted on no longer exists). */
async function succeeded(step: Promise<void>): Promise<boolean> {
  try {
    await step;
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Takes the lock `lock` with our `token` (waiting, or taking over a stale one); a file system error
 * is told as the lock's (`cannot write <lock>: …`), its system code kept on the FileAccessError.
 */
async function acquire(lock: string, token: string, staleMs: number, deadline: number, path: string): Promise<void> {
  try {
    await contend(lock, token, staleMs, deadline, path);
  } catch (err) {
    throw fileAccessError(err, lock, 'write');
  }
}

async function contend(lock: string, token: string, staleMs: number, deadline: number, path: string): Promise<void> {
  const ready = `${lock}.${token}`;
  await sweepStaging(lock, staleMs);
  await mkdir(ready, { mode: 0o700 });
  const mine = join(ready, token);
  try {
    await writeFile(mine, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
    let touched = Date.now();
    for (let attempt = 0; ; attempt++) {
      const renamed = await tryRename(ready, lock);
      if (renamed !== 'held') {
        if (renamed === 'renamed' && (await exists(join(lock, token)))) return;
        // Our staging directory was swept (we stalled past the stale age): gone, or renamed in
        // empty (the lock is then free, not ours). Stage again.
        await stage(ready, mine);
        continue;
      }
      // Keep our staging directory fresh, so no one takes it for one a killed contender left.
      if (Date.now() - touched > staleMs / 3) {
        touched = Date.now();
        const now = new Date(touched);
        if (!(await succeeded(utimes(mine, now, now)))) await stage(ready, mine);
      }
      const holder = await currentToken(lock);
      if (holder && Date.now() - holder.mtimeMs > staleMs) {
        // Unlink exactly the token found stale: only one contender succeeds, and never on a newer lock.
        if (await succeeded(unlink(join(lock, holder.name)))) await rmdir(lock).catch(() => undefined);
        continue;
      }
      if (holder === undefined) continue; // released (or emptied) meanwhile: try again at once
      if (Date.now() > deadline) throw new OperationError(`${path} is locked by another process`, `if no homelab process is running, remove ${lock}`);
      await new Promise((r) => setTimeout(r, Math.min(50, 2 + attempt * 2 + Math.random() * 5)));
    }
  } catch (err) {
    await unlink(mine).catch(() => undefined);
    await rmdir(ready).catch(() => undefined);
    throw err;
  }
}

/** Re-creates our staging directory and token after they were swept; a sweep racing it is retried by the caller. */
async function stage(ready: string, mine: string): Promise<void> {
  try {
    await mkdir(ready, { recursive: true, mode: 0o700 });
    await writeFile(mine, `${process.pid}\n`, { mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Removes the staging directories `<lock>.owner-*` that contenders killed while waiting
 * left: those whose token (or, without a token, the directory itself) is older than
 * `staleMs`. Only the token, by its name, and then the emptied directory are removed.
 */
async function sweepStaging(lock: string, staleMs: number): Promise<void> {
  const prefix = `${basename(lock)}.`;
  const parent = dirname(lock);
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(`${prefix}owner-`)) continue;
    const staging = join(parent, name);
    const token = join(staging, name.slice(prefix.length));
    const seen = (await stat(token).catch(() => undefined)) ?? (await stat(staging).catch(() => undefined));
    if (!seen || Date.now() - seen.mtimeMs <= staleMs) continue;
    await unlink(token).catch(() => undefined);
    await rmdir(staging).catch(() => undefined);
  }
}

/** Whether `file` exists. */
async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}

/** Renames our ready directory to the lock: 'held' while the lock is held, 'missing' when our directory is gone. */
async function tryRename(ready: string, lock: string): Promise<'renamed' | 'held' | 'missing'> {
  try {
    await rename(ready, lock);
    return 'renamed';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return 'held';
    if (code === 'ENOENT') return 'missing';
    throw err;
  }
}

/**
 * The token in the lock directory and when it was last touched; `undefined` when there
 * is no lock or no token (the lock is free); `null` for a lock whose contents are not a
 * token (left by something else): it is waited on until the deadline, never removed.
 */
async function currentToken(lock: string): Promise<{ name: string; mtimeMs: number } | null | undefined> {
  let names: string[];
  try {
    names = await readdir(lock);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const name = names.find((n) => n.startsWith('owner-'));
  if (!name) return names.length === 0 ? undefined : null;
  const seen = await stat(join(lock, name)).catch(() => undefined);
  return seen ? { name, mtimeMs: seen.mtimeMs } : undefined;
}
