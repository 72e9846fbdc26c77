/**
 * @module lab/ssh-target/sshd
 * Finds and runs a real OpenSSH `sshd` as the current user on 127.0.0.1, with its own
 * config in a temp directory (`-D -e -f`). Without one, the targets run on ssh2's
 * Server instead (`ssh2-server.ts`). Non-root runs need no privilege-separation
 * directory; a root run needs `/run/sshd`, which is created when missing (the
 * openssh-server package does the same at service start).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { killGroup } from './kill-group.js';

/** Where sshd is looked for, in order. */
export const SSHD_CANDIDATES: readonly string[] = ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/sbin/sshd'];

/** The sshd binary, or undefined when OpenSSH server is not installed. */
export function findSshd(): string | undefined {
  return SSHD_CANDIDATES.find((p) => existsSync(p));
}

/** OpenSSH version as [major, minor] (from `sshd -V`, which prints to stderr). */
export function sshdVersion(sshd: string): [number, number] {
  let text = '';
  try {
    execFileSync(sshd, ['-V'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    text = String((err as { stderr?: Buffer }).stderr ?? '');
  }
  const match = /OpenSSH_(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

/** A free TCP port on 127.0.0.1 (closed again before sshd binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running sshd. */
export interface SshdProcess {
  pid: number;
  /** Last lines sshd logged (for debugging a failing test). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `sshd -D -e -f config` and resolves once it listens; rejects with its log when it exits first. */
export function startSshd(sshd: string, configPath: string): Promise<SshdProcess> {
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn(sshd, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const lines: string[] = [];
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`sshd did not start within 10 s:\n${lines.join('\n')}`)), 10_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      if (!exited) killGroup(child, 'SIGTERM');
      reject(err);
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        lines.push(line);
        if (lines.length > 200) lines.shift();
        if (/Server listening on/.test(line)) {
          clearTimeout(timer);
          resolve({
            pid: child.pid ?? 0,
            log: () => lines.join('\n'),
            async stop() {
              if (!exited) killGroup(child, 'SIGTERM');
              await exit;
            },
          });
        }
      }
    });
    child.once('error', (err) => fail(err));
    child.once('exit', (code) => fail(new Error(`sshd exited with code ${code}:\n${lines.join('\n')}`)));
  });
}
