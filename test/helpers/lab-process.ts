/**
 * @module test/helpers/lab-process
 * `homelab lab` as a user runs it: the built CLI as a child process, started with `--json`
 * so that its first line is the environment to use, and stopped by a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cli.js';

/**
 * Starts `homelab lab ...args --json` with `env`, adding the process to `started` at once (to
 * be stopped after the tests, however the start goes); resolves with the process and the
 * environment it prints (rejects when it exits first, or prints nothing in 60 s).
 */
export function startLabProcess(args: string[], env: NodeJS.ProcessEnv, started: ChildProcess[]): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const child = spawn(process.execPath, [CLI, 'lab', ...args, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`homelab lab printed nothing in 60 s: ${err}`)), 60_000);
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, env: (JSON.parse(out.split('\n')[0] as string) as { env: Record<string, string> }).env });
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`homelab lab exited ${code}: ${err}`)); });
  });
}

/** Sends `signal` to a started lab and waits for it to exit (at once when it already has). */
export function stopLabProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
