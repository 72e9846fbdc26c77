/**
 * @module core/cache-file
 * The files homelab keeps only to save work between runs, under `$HOMELAB_DATA_HOME` (the
 * NPM, Kuma and Beszel login tokens, the DNS client's state): best effort. One that cannot
 * be read (missing, mode 000, a directory in its place) reads as nothing; one that cannot be
 * written (a read-only or full data folder, a directory in its place) is gone without, after
 * one warning line on stderr per process naming it, so the command still works (it logs in
 * each time). A write goes to `<file>.<pid>.tmp` (mode 0600, folder 0700) renamed over the
 * file, so a reader never sees half of one and a file of the wrong mode is replaced whole. The
 * temporary files of writers killed before their rename (which hold a login token) are
 * removed by the next write of that file (core/stale-temps).
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileErrorFix, fileErrorReason } from './file-error.js';
import { terminalText } from './render-safe.js';
import { removeStaleTemps } from './stale-temps.js';

let warned = false;

/** Where the warning goes: stderr (a test may catch it). */
let sink = (line: string): void => {
  process.stderr.write(line);
};

/** Sends the warning line elsewhere (tests); returns the function that puts the previous one back. */
export function onCacheWarning(write: (line: string) => void): () => void {
  const before = sink;
  sink = write;
  warned = false;
  return () => {
    sink = before;
    warned = false;
  };
}

/**
 * The first failure of this process, as one line naming the file, the reason and the fix
 * (at the folder it could not make, the file it could not replace, else the file's folder);
 * later ones are silent.
 */
function warn(path: string, err: unknown, verb: string): void {
  if (warned) return;
  warned = true;
  const e = err as NodeJS.ErrnoException;
  const reason = fileErrorReason(err) ?? e.code ?? 'failed';
  const place = e.syscall === 'mkdir' && e.path ? e.path : e.syscall === 'rename' || verb === 'remove' ? path : dirname(path);
  sink(`${terminalText(`homelab: warning: cannot ${verb} ${path} (${reason}); going on without it: ${fileErrorFix(err, place)}`)}\n`);
}

/** The text of cache file `path`, or undefined when it cannot be read (missing, unreadable, a directory). */
export function readCacheFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Writes `text` to cache file `path` (folder 0700, file 0600) through a temporary file
 * renamed over it. Never throws: a failure is one warning; returns whether it was saved.
 */
export function writeCacheFile(path: string, text: string): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    makeFolder(dirname(path));
    writeFileSync(temp, text, { mode: 0o600 });
    // A leftover temporary file of a former process with this pid keeps its mode: set it.
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (err) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // not ours to remove (a folder by that name): left as it is
    }
    warn(path, err, 'write');
    return false;
  }
  // Temporary files of this cache file that writers killed before their rename left.
  const prefix = `${basename(path)}.`;
  removeStaleTemps(dirname(path), (name) => name.startsWith(prefix) && /^\d+\.tmp$/.test(name.slice(prefix.length)));
  return true;
}

/**
 * Creates `dir` (0700) and its parents. The folder itself is tried alone first: Node 20's
 * recursive mkdir says ENOENT where the file system said EROFS (a read-only mount).
 * One that exists is left to the write to judge (a file by that name fails it).
 */
function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}

/**
 * Removes cache file `path`, if there; never throws (a failure is one warning). Unlinked
 * (a directory in its place fails as EISDIR and is left as it is).
 */
export function removeCacheFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warn(path, err, 'remove');
  }
}
