/**
 * @module surfaces/telegram/ping
 * `/ping <host>`: the host is validated first (a host name or an IP address, nothing
 * else), then `ping` runs without a shell, from an argument array, with a packet count
 * and a deadline; the process is killed if it outlives the deadline anyway.
 */
import { spawn } from 'node:child_process';
import { OperationError, UsageError } from '../../core/errors.js';
import { textHead } from '../../core/text-head.js';
import { hostSchema } from '../../core/validate.js';

/** Packets sent. */
export const PING_COUNT = 4;
/** `ping -w`: seconds before ping gives up. */
export const PING_DEADLINE_SECONDS = 10;

/** The validated host; a UsageError for anything that is not a host name or an IP. */
export function pingHost(words: readonly string[]): string {
  if (words.length !== 1) throw new UsageError('usage: /ping <host> (one host name or IP address)');
  const parsed = hostSchema.safeParse(words[0]);
  if (!parsed.success) throw new UsageError(`ping: ${textHead(JSON.stringify(words[0]), 80)} ${parsed.error.issues[0]?.message ?? 'is not a host'}`);
  return parsed.data;
}

/** Runs ping and returns its output (exit status 1 = no reply, still output). */
export function runPing(host: string, signal: AbortSignal, command = 'ping'): Promise<{ output: string; reachable: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['-n', '-c', String(PING_COUNT), '-w', String(PING_DEADLINE_SECONDS), host], {
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    });
    let output = '';
    const add = (d: Buffer): void => {
      if (output.length < 16_000) output += d.toString('utf8');
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    const kill = setTimeout(() => child.kill('SIGKILL'), (PING_DEADLINE_SECONDS + 5) * 1000);
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(kill);
      signal.removeEventListener('abort', onAbort);
      reject(err.code === 'ENOENT' ? new OperationError('ping is not installed on the management host', 'install iputils-ping') : err);
    });
    child.on('close', (code) => {
      clearTimeout(kill);
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return reject(signal.reason instanceof Error ? signal.reason : new OperationError('ping was stopped'));
      if (code !== 0 && code !== 1) return reject(new OperationError(`ping ${host} failed: ${output.trim().split('\n').pop() ?? `exit ${code}`}`));
      resolve({ output: output.trimEnd(), reachable: code === 0 });
    });
  });
}
