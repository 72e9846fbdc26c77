/**
 * @module lab/ssh-target/kill-group
 * Ending a child started `detached` (its own process group) together with everything it
 * started: sshd with its session processes, a session wrapper with its command.
 */
import type { ChildProcess } from 'node:child_process';

/** Sends `signal` to the child's whole process group (to the child alone when the group is gone). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}
