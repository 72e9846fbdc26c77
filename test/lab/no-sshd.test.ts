/**
 * `HOMELAB_LAB_SSH_SERVER=sshd` on a machine without OpenSSH's server is a config error: exit 3,
 * one line and its hint, from `homelab lab`, `homelab demo` and `npm run demo` alike. The
 * lab finds it only once it has started, inside dist/lab.cjs, a bundle with its own copy of
 * the error classes: the CLI still knows the error for what it is (core/errors' mark), and
 * does not end it as an unknown one (exit 1, no hint). The built files, as a user runs them,
 * with sshd hidden in a mount namespace of their own where it is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SSHD_CANDIDATES } from '../../src/lab/ssh-target/sshd.js';
import { CLI, cliEnv } from '../helpers/cli.js';

const DEMO = fileURLToPath(new URL('../../dist/demo.js', import.meta.url));
const REFUSAL = 'homelab: the SSH targets are to run on sshd, but the OpenSSH server is not installed (/usr/sbin/sshd)\n  apt-get install -y openssh-server, or leave the choice to auto\n';

// Mounts an empty tmpfs on each argument before `--`, then runs what follows.
const HIDE_SCRIPT = 'while [ "$1" != -- ]; do mount -t tmpfs none "$1" || exit 97; shift; done; shift; exec "$@"';

/** `argv` as a command that runs where no sshd is to be found: in a mount namespace hiding the folders that hold one. */
function withoutSshd(argv: string[]): [string, string[]] {
  const folders = [...new Set(SSHD_CANDIDATES.filter((p) => existsSync(p)).map((p) => realpathSync(dirname(p))))];
  if (!folders.length) return [argv[0] as string, argv.slice(1)];
  // As root a mount namespace; as another user, one inside a user namespace of its own.
  for (const flags of [['-m'], ['-r', '-m']]) {
    if (spawnSync('unshare', [...flags, 'true'], { stdio: 'ignore' }).status === 0) return ['unshare', [...flags, 'sh', '-c', HIDE_SCRIPT, 'sh', ...folders, '--', ...argv]];
  }
  throw new Error(`sshd is installed (${folders.join(', ')}) and unshare cannot make a mount namespace to hide it: run this test as root, or where user namespaces are allowed`);
}

/** Runs `node ...args` without sshd, HOMELAB_LAB_SSH_SERVER=sshd. */
function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const [command, rest] = withoutSshd([process.execPath, ...args]);
  const r = spawnSync(command, rest, { env: { ...cliEnv(), HOMELAB_LAB_SSH_SERVER: 'sshd' }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('HOMELAB_LAB_SSH_SERVER=sshd without sshd', () => {
  it('homelab lab exits 3 with the one line and its hint, having printed no environment', () => {
    const r = run([CLI, 'lab', '--json']);
    expect([r.code, r.stderr]).toEqual([3, REFUSAL]);
    expect(r.stdout).toBe('');
  }, 60_000);

  it('homelab demo exits 3 with the one line and its hint', () => {
    const r = run([CLI, 'demo']);
    expect([r.code, r.stderr]).toEqual([3, REFUSAL]);
    expect(r.stdout).toBe('Starting the simulated homelab on 127.0.0.1 …\n');
  }, 60_000);

  it('npm run demo (dist/demo.js) exits 3 with the one line and its hint', () => {
    if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing: run npm run build first`);
    const r = run([DEMO]);
    expect([r.code, r.stderr]).toEqual([3, REFUSAL]);
  }, 60_000);
});
