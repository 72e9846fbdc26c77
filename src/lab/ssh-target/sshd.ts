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

/**
 * The shell sshd is started through (`sh -c WATCHDOG watchdog DIR SSHD ARGS…`), so that it ends
 * with the process that started it, however that ends (`kill -9` too): a watchdog in the
 * background holds the read end of a pipe only the starter writes to, and when the starter is
 * gone (end of file) it ends sshd's process group (sshd, its sessions, the watchdog) and
 * removes DIR when one is given. The shell then becomes sshd itself (`exec`), so the child's
 * pid, exit and stderr are sshd's. Its stdin (fd 0) is that pipe; a background list's
 * stdin is /dev/null, so the watchdog reads a copy of it (fd 3).
 */
const WATCHDOG = [
  'dir=$1; shift',
  'exec 3<&0',
  '{ read -r _ <&3; trap "" TERM; kill -TERM 0; [ -z "$dir" ] || rm -rf -- "$dir"; } 2>/dev/null &',
  'exec "$@" </dev/null 3<&-',
].join('\n');

/** Options of `startSshd`. */
export interface StartSshdOptions {
  /** A directory to remove when the process that started sshd ends without stopping it. */
  removeWhenOrphaned?: string;
}

/**
 * Starts `sshd -D -e -f config` and resolves once it listens; rejects with its log when it
 * exits first. sshd (with its sessions) ends with this process, even one killed with
 * SIGKILL (see `WATCHDOG`).
 */
export function startSshd(sshd: string, configPath: string, options: StartSshdOptions = {}): Promise<SshdProcess> {
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const args = ['-c', WATCHDOG, 'sshd-watchdog', options.removeWhenOrphaned ?? '', sshd, '-D', '-e', '-f', configPath];
  const child: ChildProcess = spawn('/bin/sh', args, { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
  const lines: string[] = [];
  let exited = false;
  // Once sshd has exited, its group may still hold the watchdog: it goes too.
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; killGroup(child, 'SIGTERM'); resolve(); }));
  // Never written: the pipe only tells the watchdog this process is still there.
  child.stdin?.on('error', () => undefined);
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
