/**
 * @module services/telegram/inbox-files
 * The files beside the inbox that hold its entries for a while, and who owns them. Every
 * step that moves entries is a rename, run under the inbox lock, so a crash at any point
 * leaves each entry in exactly one file that counts:
 *
 * - `inbox.taken-<time>-<pid>-<random>-<n>`: entries a clear took (`claimInbox`), kept until
 *   its output is known delivered. Its owner is the process `<pid>`: while it runs, no
 *   other clear takes the file (it may be showing it in a pager for an hour); once it is
 *   gone, the next clear takes the file over. A process `<pid>` that started after `<time>`
 *   (`/proc/<pid>/stat`) is not the owner but a later one given the same pid (pid 1 of a
 *   container restarted): gone too. Where /proc cannot tell, a running `<pid>` owns the file
 *   for 24 hours after `<time>` at most. A name without a readable pid is taken over a minute
 *   after `<time>`.
 * - `inbox.back-<pid>-<random>`: a put-back's copy (the taken entries, then those that
 *   arrived meanwhile), written before the taken files become its parts
 *   `inbox.back-<pid>-<random>.<n>`, and renamed over the inbox as the one step that moves
 *   every entry back. Its parts count while the copy exists (the rename has not happened)
 *   and not after; the copy itself never counts. A dead owner's copy and spent parts are
 *   removed by the next clear.
 *
 * `readInbox` shows every file that counts, whoever owns it, before the inbox itself.
 */
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OperationError } from '../../core/errors.js';
import { processAlive, processStartMs, startedBy } from '../../core/process-alive.js';

const TAKEN = /^inbox\.taken-(\d+)-(?:(\d+)-)?/;
const COPY = /^inbox\.back-(\d+)-[a-z0-9]+$/;
const PART = /^(inbox\.back-\d+-[a-z0-9]+)\.\d+$/;

/** A taken file whose name has no pid is its owner's for this long. */
const UNOWNED_MS = 60_000;
/** Where /proc cannot tell when a process started, a running pid owns a taken file this long at most. */
const OWNED_MAX_MS = 24 * 3_600_000;

/** A file holding entries besides the inbox. */
export interface HeldFile {
  path: string;
  /** Whether its owner is gone: the next clear takes it over. */
  dead: boolean;
  /** The put-back copy a part belongs to (removed once every part of it was taken over). */
  copy?: string;
}

/** What `scanInbox` found beside the inbox. */
export interface InboxFiles {
  /** The files whose entries count, before the inbox's, in order. */
  held: HeldFile[];
  /** Dead owners' files that hold no entry that counts: parts of a finished put-back, a copy without parts. */
  spent: string[];
}

/** Moved to core/process-alive.ts (the lab's `--dir` lock uses them too); re-exported for this module's callers. */
export { processAlive, processStartMs };

function ownerAlive(pid: string | undefined): boolean | undefined {
  const n = Number(pid);
  return pid !== undefined && Number.isSafeInteger(n) && n > 0 && n <= 0x7fffffff ? processAlive(n) : undefined;
}

/**
 * Whether the process named by a taken file (`pid`, taken at `time`) still owns it: it runs,
 * and it is the process that took the file, not a later one given the same pid (see the
 * module comment). Undefined for a name without a readable pid.
 */
export function takenOwnerAlive(pid: string | undefined, time: number, now: number, startOf: (pid: number) => number | undefined = processStartMs): boolean | undefined {
  const alive = ownerAlive(pid);
  if (!alive) return alive;
  return startedBy(Number(pid), time, startOf) ?? now - time < OWNED_MAX_MS;
}

/** The files beside the inbox in `dir` (see the module comment); run under the inbox lock. */
export async function scanInbox(dir: string, now = Date.now()): Promise<InboxFiles> {
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const copies = new Set(names.filter((n) => COPY.test(n)));
  const parted = new Set<string>();
  const held: HeldFile[] = [];
  const spent: string[] = [];
  for (const name of names) {
    const taken = TAKEN.exec(name);
    const part = PART.exec(name)?.[1];
    if (taken) {
      const time = Number(taken[1]);
      const alive = takenOwnerAlive(taken[2], time, now) ?? now - time < UNOWNED_MS;
      held.push({ path: join(dir, name), dead: !alive });
    } else if (part !== undefined) {
      const dead = !ownerAlive(COPY.exec(part)?.[1]);
      if (copies.has(part)) {
        parted.add(part);
        held.push({ path: join(dir, name), dead, copy: join(dir, part) });
      } else if (dead) spent.push(join(dir, name));
    }
  }
  for (const copy of copies) if (!parted.has(copy) && !ownerAlive(COPY.exec(copy)?.[1])) spent.push(join(dir, copy));
  return { held, spent };
}

/**
 * Takes the files of owners that are gone: each is renamed to `name(n)` (under the inbox lock).
 * Returns the new paths, in order. A put-back's copy is removed once all its parts were taken.
 */
export async function takeOver(files: InboxFiles, name: (n: number) => string): Promise<string[]> {
  const taken: string[] = [];
  const kept = new Set<string>();
  for (const file of files.held) {
    if (!file.dead) continue;
    const mine = name(taken.length);
    if (await rename(file.path, mine).then(() => true, () => false)) taken.push(mine);
    else if (file.copy) kept.add(file.copy);
  }
  const copies = new Set(files.held.flatMap((f) => (f.dead && f.copy && !kept.has(f.copy) ? [f.copy] : [])));
  await Promise.all([...copies, ...files.spent].map((f) => unlink(f).catch(() => undefined)));
  return taken;
}

/** A file's text, or undefined when it is not there. */
export async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Puts the taken `files` back at the head of the inbox `path` (under its lock); returns the
 * texts it put back (none when another clear took the files). A lone file, with nothing
 * arrived meanwhile, is renamed back; otherwise a copy of everything is written, the files
 * become its parts, and the copy is renamed over the inbox (see the module comment).
 */
export async function putBackFiles(dir: string, path: string, files: readonly string[]): Promise<string[]> {
  const held: { file: string; text: string }[] = [];
  for (const file of files) {
    const text = await readIfThere(file);
    if (text !== undefined) held.push({ file, text });
  }
  const arrived = await readIfThere(path);
  const [only] = held;
  if (only && held.length === 1 && arrived === undefined) {
    await rename(only.file, path).catch((err: unknown) => { throw notPutBack(err, files); });
  } else if (held.length) {
    await swapBack(dir, path, held, arrived ?? '').catch((err: unknown) => { throw notPutBack(err, files); });
  }
  return held.map((h) => h.text);
}

async function swapBack(dir: string, path: string, held: readonly { file: string; text: string }[], arrived: string): Promise<void> {
  const copy = join(dir, `inbox.back-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const parts: { file: string; part: string }[] = [];
  try {
    await writeFile(copy, held.map((h) => h.text).join('') + arrived, { mode: 0o600, flag: 'wx' });
    for (const [i, { file }] of held.entries()) {
      const part = `${copy}.${String(i).padStart(4, '0')}`;
      await rename(file, part);
      parts.push({ file, part });
    }
    // The one step that moves the entries: the parts stop counting as the copy becomes the inbox.
    await rename(copy, path);
  } catch (err) {
    for (const { file, part } of parts) await rename(part, file).catch(() => undefined);
    await unlink(copy).catch(() => undefined);
    throw err;
  }
  await Promise.all(parts.map(({ part }) => unlink(part).catch(() => undefined)));
}

function notPutBack(err: unknown, files: readonly string[]): OperationError {
  return new OperationError(`cannot put the inbox entries back: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, `they are kept in ${files.join(', ')}`);
}
