/**
 * @module test/helpers/init-terminal
 * Runs the built CLI (`homelab init` above all) on a pseudo-terminal (util-linux `script`),
 * as a user at a terminal would, typing each answer once its question has appeared.
 */
import { spawn } from 'node:child_process';
import { CLI } from './cli.js';

/** The keys a terminal sends: Enter and Ctrl-C (in raw mode readline reads it as a key, not a signal). */
export const ENTER = '\r';
export const CTRL_C = '\x03';

/**
 * Runs `homelab <args…>` on a pty with exactly `env`, typing `typed` once `question` has
 * appeared (in order); resolves to the exit code and everything shown. Killed after `timeoutMs`.
 */
export function cliOnTerminal(args: string[], keys: [question: string, typed: string][], env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const line = [process.execPath, CLI, ...args].map((w) => `'${w}'`).join(' ');
    const child = spawn('script', ['-qec', line, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let seen = 0;
    const pending = [...keys];
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`homelab ${args.join(' ')} on a terminal did not end; it showed:\n${screen}`)); }, timeoutMs);
    const onData = (d: Buffer): void => {
      screen += d.toString();
      const next = pending[0];
      if (next && screen.indexOf(next[0], seen) !== -1) {
        seen = screen.length;
        pending.shift();
        child.stdin.write(next[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, screen }); });
  });
}

/**
 * Runs `homelab <before…> init` on a pty, typing `typed` once `question` has appeared (in
 * order); resolves to the exit code and everything shown.
 */
export function initOnTerminal(env: Record<string, string>, keys: [question: string, typed: string][], before: string[] = []): Promise<{ code: number | null; screen: string }> {
  return cliOnTerminal([...before, 'init'], keys, { PATH: process.env.PATH ?? '', HOME: env.HOMELAB_DATA_HOME ?? '/tmp', NO_COLOR: '1', TERM: 'dumb', ...env });
}
