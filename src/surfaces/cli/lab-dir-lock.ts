/**
 * @module surfaces/cli/lab-dir-lock
 * While `homelab lab --dir DIR` runs, DIR holds `LAB_DIR_LOCK` with the lab's pid, so that a
 * second lab on the same DIR is refused (exit 2) instead of rewriting the running one's
 * config.yaml and credentials with its own ports. The file appears whole or not at all
 * (written aside, then linked into place, which fails when one is there already), and is
 * removed when the lab stops; one whose process is gone (a lab killed outright, a machine
 * restarted) is stale and taken over.
 */
import { linkSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';

/** The file that holds a running lab's pid, next to the lab's marker. */
export const LAB_DIR_LOCK = '.homelab-lab.lock';

/**
 * Whether process `pid` runs (EPERM: it does, as another user). A zombie (a lab killed
 * outright whose parent has not reaped it yet, Linux's `/proc/PID/stat` says `Z`) does not.
 */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill's answer stands
  }
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
 * Moves a stale lock out of the way. Should another lab have taken it over meanwhile (what
 * was moved names a running process), it is put back, and the next look finds it held.
 */
function takeOver(lock: string): void {
  const aside = `${lock}.${process.pid}.stale`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // gone meanwhile: the next link may take its place
  }
  const pid = holder(aside);
  if (pid !== undefined && running(pid)) {
    try {
      linkSync(aside, lock);
    } catch {
      // a third lab holds it now: the next look finds that one
    }
  }
  rmSync(aside, { force: true });
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
      if (pid !== undefined && running(pid)) {
        throw new UsageError(`--dir ${dir} is in use by a homelab lab that still runs (pid ${pid})`, `stop that lab first (Ctrl-C where it runs) or name another directory; if pid ${pid} is not a homelab lab, remove ${lock}`);
      }
      takeOver(lock);
    }
    throw new UsageError(`--dir ${dir}: other homelab labs are starting there at the same time`, 'start one lab per directory');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--dir ${dir} cannot be locked (${code(err)})`, 'name a directory this user can write, or leave out --dir for a temporary one');
  } finally {
    rmSync(mine, { force: true });
  }
}
