/**
 * @module core/process-alive
 * Whether the process a file names (by pid, written at some time) is still the one that
 * wrote it: it runs, and it is not a later process given the same pid (pid 1 of a container
 * restarted, a pid reused after a reboot). Linux tells when a process started
 * (`/proc/<pid>/stat`); a process started after the file was written did not write it.
 * Shared by the Telegram inbox's taken files and the lab's `--dir` lock.
 */
import { readFileSync } from 'node:fs';

/** A process started this long after a file's time is taken for a later one with the same pid (/proc's clock is whole seconds). */
export const START_SLACK_MS = 2_000;
/** Clock ticks a second in /proc (USER_HZ: 100 on every Linux). */
const USER_HZ = 100;

/** Whether process `pid` runs (a process we may not signal runs too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When process `pid` started, in ms since the epoch: its start time in clock ticks after boot
 * (`/proc/<pid>/stat`, field 22) plus the boot time (`btime` of `/proc/stat`); undefined where
 * /proc cannot tell (not Linux, /proc not mounted, the process is gone).
 */
export function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(boot) ? boot * 1000 + (ticks * 1000) / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether running process `pid` started by `time` (ms since the epoch, `START_SLACK_MS`
 * allowed), so may be the one that wrote a file then; false for one started later (another
 * process given the same pid); undefined where /proc cannot tell.
 */
export function startedBy(pid: number, time: number, startOf: (pid: number) => number | undefined = processStartMs): boolean | undefined {
  const started = startOf(pid);
  return started === undefined ? undefined : started <= time + START_SLACK_MS;
}
