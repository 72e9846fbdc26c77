/**
 * @module test/helpers/cli
 * Runs the built `homelab` binary as a user would (a child process, no TTY), so CLI
 * tests check real output and exit codes. `npm test` builds dist/ first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of the built CLI. */
export const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

/** What a CLI run produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The clean environment a test starts the CLI in: PATH, HOME, no colour, and the test
 * file's own cache folder (test/helpers/cache-home.ts), never the developer's `~/.cache`.
 */
export function cliEnv(home = process.env.HOME ?? '/tmp'): Record<string, string> {
  const cache = process.env.XDG_CACHE_HOME;
  if (!cache) throw new Error('XDG_CACHE_HOME is not set: test/helpers/cache-home.ts must be a vitest setup file');
  return { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', XDG_CACHE_HOME: cache };
}

/** Runs `homelab ...args` with `env` added to a clean environment (no colour, no user config, a test's own cache). */
export function runCli(args: string[], env: Record<string, string> = {}, options: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return run(args, env, options);
}

/**
 * Runs `homelab ...args` as `runCli` does and sends it `signal` once `when()` holds (checked
 * every 20 ms): a Ctrl-C (SIGINT) or `kill` (SIGTERM) that lands while the command works.
 */
export function runCliSignalled(args: string[], env: Record<string, string>, signal: NodeJS.Signals, when: () => boolean, options: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return run(args, env, options, { signal, when });
}

function run(args: string[], env: Record<string, string>, options: { input?: string; timeoutMs?: number }, stop?: { signal: NodeJS.Signals; when: () => boolean }): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...cliEnv(env.HOME), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const poll = stop && setInterval(() => {
      if (!stop.when()) return;
      clearInterval(poll);
      child.kill(stop.signal);
    }, 20);
    const timer = setTimeout(() => { clearInterval(poll); child.kill('SIGKILL'); reject(new Error(`homelab ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms\n${stderr}`)); }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); clearInterval(poll); resolve({ code, stdout, stderr }); });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the CLI with `--json` and parses stdout; throws with stderr when it fails. */
export async function runCliJson<T = unknown>(args: string[], env: Record<string, string>): Promise<T> {
  const result = await runCli([...args, '--json'], env);
  if (result.code !== 0) throw new Error(`homelab ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
