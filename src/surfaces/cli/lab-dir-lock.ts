/**
 * @module surfaces/cli/lab-dir-lock
 * While `homelab lab --dir DIR` runs, DIR holds `LAB_DIR_LOCK` with the lab's pid, so that a
 * second lab on the same DIR is refused (exit 2) instead of rewriting the running one's
 * config.yaml and credentials with its own ports. The file appears whole or not at all
 * (written aside, then linked into place, which fails when one is there already), and is
 * removed when the lab stops; one whose process is gone (a lab killed outright, a machine
 * restarted), or names this process or one started after the lock was written (the pid given
 * to another process: pid 1 of a container restarted), is stale and taken over.
 */
import { linkSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { processAlive, startedBy } from '../../core/process-alive.js';

/** The file that holds a running lab's pid, next to the lab's marker. */
export const LAB_DIR_LOCK = '.homelab-lab.lock';

/**
 * Whether the lab that wrote the lock `file` (naming `pid`) still runs: `pid` runs and is not
 * a zombie (a lab killed outright whose parent has not reaped it yet, Linux's `/proc/PID/stat`
 * says `Z`), is not this process (a lock naming us was left by an earlier process given our
 * pid: pid 1 of a container restarted), and started before the file was written (one started
 * later is another process given the same pid). Where /proc cannot tell, kill's answer stands.
 */
function running(pid: number, file: string): boolean {
  if (pid === process.pid || !processAlive(pid)) return false;
  let written: number;
  try {
    written = statSync(file).mtimeMs;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return false;
  } catch {
    return true; // no /proc (macOS), or the file gone meanwhile: kill's answer stands
  }
  return startedBy(pid, written) ?? true;
}

/** The pid `file` holds; undefined when it is gone or holds none. */
function holder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The code of a file system error, for a one-line refusal. */
function code(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}

/**
 * Moves a stale lock, naming the dead `pid`, out of the way; true when it did. Should another
 * lab have taken it over meanwhile (what was moved names another pid), that lab's lock is put
 * back and false returned: the caller refuses, as the directory is in use.
 */
export function takeOver(lock: string, pid: number | undefined): boolean {
  const aside = `${lock}.${process.pid}.stale`;
  try {
    renameSync(lock, aside);
  } catch {
    return true; // gone meanwhile: the next link may take its place
  }
  if (holder(aside) !== pid) {
    try {
      linkSync(aside, lock);
    } catch {
      // a third lab holds it now: the refusal stands
    }
    rmSync(aside, { force: true });
    return false;
  }
  rmSync(aside, { force: true });
  return true;
}

/**
 * Locks `dir` (an existing directory) for this process: returns the function that unlocks it.
 * Refuses (exit 2) a directory whose lock names a process that still runs, naming its pid.
 */
export function lockLabDir(dir: string): () => void {
  const lock = join(dir, LAB_DIR_LOCK);
  const mine = `${lock}.${process.pid}.tmp`;
  const release = (): void => {
    try {
      if (holder(lock) === process.pid) unlinkSync(lock);
    } catch {
      // removed already: nothing to release
    }
  };
  try {
    writeFileSync(mine, `${process.pid}\n`);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(mine, lock);
        return release;
      } catch (err) {
        if (code(err) !== 'EEXIST') throw err;
      }
      const pid = holder(lock);
      if ((pid !== undefined && running(pid, lock)) || !takeOver(lock, pid)) {
        const held = holder(lock) ?? pid;
        throw new UsageError(`--dir ${dir} is in use by a homelab lab that still runs (pid ${held ?? '?'})`, `stop that lab first (Ctrl-C where it runs) or name another directory; if pid ${held ?? '?'} is not a homelab lab, remove ${lock}`);
      }
    }
    throw new UsageError(`--dir ${dir}: other homelab labs are starting there at the same time`, 'start one lab per directory');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--dir ${dir} cannot be locked (${code(err)})`, 'name a directory this user can write, or leave out --dir for a temporary one');
  } finally {
    rmSync(mine, { force: true });
  }
}
