/**
 * @module test/audit/read-only-run
 * Runs the built CLI with some paths really read-only, whoever runs the tests:
 * - as root (whom permissions do not stop) with `unshare`: in a private mount namespace
 *   where each path is bind-mounted read-only onto itself, so the CLI meets EROFS as on a
 *   read-only mount; nothing changes outside that namespace;
 * - as another user: the paths are chmod-ed read-only (a folder and what it holds) for
 *   the run and given their modes back after;
 * - as root without `unshare`: chmod as above, and the CLI runs as uid 65534 (`setpriv`),
 *   which needs the lab handed over to that uid and the CLI readable by it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, type CliResult } from '../helpers/cli.js';

/** How this machine makes a path read-only for the CLI. */
export type ReadOnlyMode = 'mount' | 'chmod' | 'uid';

const NOBODY = 65534;

function detectMode(): ReadOnlyMode {
  if (process.getuid?.() !== 0) return 'chmod';
  return spawnSync('unshare', ['-m', 'true'], { stdio: 'ignore' }).status === 0 ? 'mount' : 'uid';
}

/** The mode of this machine. */
export const readOnlyMode: ReadOnlyMode = detectMode();

// Bind-mounts each of the first $1 arguments read-only onto itself, then runs the rest.
const MOUNT_SCRIPT = 'n=$1; shift; while [ "$n" -gt 0 ]; do mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 97; shift; n=$((n - 1)); done; exec "$@"';

/** A program and its arguments that run `argv` with `paths` read-only (call `restore` after, in chmod modes). */
export interface ReadOnlyCommand {
  command: string;
  args: string[];
  /** Gives the paths their modes back (nothing to do under a mount namespace). */
  restore: () => void;
}

/** Wraps `argv` so that it runs with `paths` read-only; `owner` is the tree handed to uid 65534 in `uid` mode. */
export function readOnlyCommand(paths: string[], argv: string[], owner?: string): ReadOnlyCommand {
  if (readOnlyMode === 'mount') {
    return { command: 'unshare', args: ['-m', 'sh', '-c', MOUNT_SCRIPT, 'sh', String(paths.length), ...paths, ...argv], restore: () => undefined };
  }
  if (readOnlyMode === 'uid') {
    if (owner) chownTree(owner, NOBODY);
    const reach = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', 'require("fs").accessSync(process.argv[1], 4)', CLI]);
    if (reach.status !== 0) throw new Error(`as root without unshare the CLI runs as uid ${NOBODY}, which cannot read ${CLI}: run the tests from a folder it can read, or where unshare works`);
  }
  const modes = paths.flatMap((p) => [p, ...(statSync(p).isDirectory() ? readdirSync(p).map((n) => join(p, n)) : [])]).map((p) => [p, statSync(p).mode & 0o7777] as const);
  for (const [p] of [...modes].reverse()) chmodSync(p, statSync(p).isDirectory() ? 0o555 : 0o444);
  const restore = (): void => { for (const [p, mode] of modes) chmodSync(p, mode); };
  if (readOnlyMode === 'chmod') return { command: argv[0] ?? '', args: argv.slice(1), restore };
  return { command: 'setpriv', args: [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...argv], restore };
}

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), uid);
}

/** Runs `homelab ...args` (the built CLI) with `paths` read-only; `env` as `runCli` takes it. */
export async function runReadOnly(paths: string[], args: string[], env: Record<string, string>, owner?: string): Promise<CliResult> {
  const { command, args: argv, restore } = readOnlyCommand(paths, [process.execPath, CLI, ...args], owner);
  try {
    return await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(command, argv, {
        env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? '/tmp', NO_COLOR: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  } finally {
    restore();
  }
}
