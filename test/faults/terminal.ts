/**
 * @module test/faults/terminal
 * Runs the CLI in-process with a terminal on stderr, so the spinner that shows progress
 * (drawn only on a TTY) can be read; stdout stays a pipe.
 */
import { PassThrough } from 'node:stream';
import { main } from '../../src/surfaces/cli/main.js';

/** What the run printed and its exit code. */
export interface TerminalRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `homelab ...argv` in this process against `env` with stderr a TTY. */
export async function runInTerminal(argv: string[], env: Record<string, string>): Promise<TerminalRun> {
  const out = { stdout: '', stderr: '' };
  const stream = (key: 'stdout' | 'stderr', tty: boolean): NodeJS.WriteStream => {
    const s = new PassThrough();
    s.on('data', (d: Buffer) => { out[key] += d.toString(); });
    return Object.assign(s, { isTTY: tty, columns: 120 }) as unknown as NodeJS.WriteStream;
  };
  const code = await main(argv, 'test', {
    stdout: stream('stdout', false), stderr: stream('stderr', true), env: { ...env, NO_COLOR: '1', PATH: process.env.PATH ?? '' }, stdinIsTTY: false,
  });
  return { code, ...out };
}
