/**
 * @module test/helpers/init-terminal
 * Runs the built `homelab init` on a pseudo-terminal (util-linux `script`), as a user
 * at a terminal would, typing each answer once its question has appeared.
 */
import { spawn } from 'node:child_process';
import { CLI } from './cli.js';

/** The keys a terminal sends: Enter and Ctrl-C (in raw mode readline reads it as a key, not a signal). */
export const ENTER = '\r';
export const CTRL_C = '\x03';

/**
 * Runs `homelab <before…> init` on a pty, typing `typed` once `question` has appeared (in
 * order); resolves to the exit code and everything shown.
 */
export function initOnTerminal(env: Record<string, string>, keys: [question: string, typed: string][], before: string[] = []): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const words = [...before, 'init'].map((w) => `'${w}'`).join(' ');
    const child = spawn('script', ['-qec', `'${process.execPath}' '${CLI}' ${words}`, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: env.HOMELAB_DATA_HOME ?? '/tmp', NO_COLOR: '1', TERM: 'dumb', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let seen = 0;
    const pending = [...keys];
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`init on a terminal did not end; it showed:\n${screen}`)); }, 30_000);
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
