/**
 * @module services/setup/shims
 * `homelab shims install [DIR]` (default ~/bin): small executables named like the
 * original helpers (`pve`, `npm-api`, `dns`, `pbs`, `beszel`, `kuma`, `updates`,
 * `telegram`) that run `homelab <service> "$@"`. Each carries a marker line; a file
 * without it was not written by homelab, and anything else of that name (a symbolic link,
 * a directory, a pipe), is never overwritten; an empty file holds nothing and is written. A
 * shim is written beside its name and renamed over it, so a write that fails (a full disk)
 * leaves nothing behind, never an empty or cut shim that runs and does nothing. A DIR that
 * cannot be a directory is a usage error; a shim that cannot be written, a failure: one line
 * each, naming the path.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { OperationError, UsageError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { expandHome } from '../../core/paths.js';
import { table, text, toned, type Block } from '../../core/render.js';
import { writeAndRename } from '../../core/write-all.js';
import { shimTargets } from './service-specs.js';

/** The marker line every shim carries. */
export const SHIM_MARKER = '# homelab-shim: written by `homelab shims install`; safe to delete or rewrite';

/** What happened to one shim. */
export interface ShimOutcome {
  name: string;
  path: string;
  /** `written` (new), `updated` (an older shim of ours), `unchanged`, `skipped` (a file homelab did not write). */
  action: 'written' | 'updated' | 'unchanged' | 'skipped';
  runs: string;
}

/** JSON shape of `shims install`. */
export interface ShimsResult {
  dir: string;
  /** How the shims start homelab. */
  command: string;
  onPath: boolean;
  shims: ShimOutcome[];
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** How a shim should start homelab: `homelab` when it is on PATH, else this node and this CLI script. */
export function homelabCommand(env: NodeJS.ProcessEnv, argv1: string | undefined = process.argv[1]): string {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, 'homelab'), constants.X_OK);
      return 'homelab';
    } catch {
      // not in this directory
    }
  }
  return argv1 ? `${quote(process.execPath)} ${quote(resolve(argv1))}` : 'homelab';
}

/** The text of a shim. */
export function shimText(command: string, group: string): string {
  return `#!/bin/sh\n${SHIM_MARKER}\nexec ${command} ${group} "$@"\n`;
}

/** Why a file operation failed, in words (the error's code for one not listed). */
function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system', ENOSPC: 'no space left on the device',
    EFBIG: 'file too large for the file size limit', EDQUOT: 'disk quota exceeded', ENOTDIR: 'a part of the path is not a directory', ENOENT: 'no such file or directory',
  };
  return (code && reasons[code]) ?? code ?? (err instanceof Error ? err.message : String(err));
}

/** Creates `dir` (and its parents); a path that cannot be a directory is a usage error. */
function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`shims install: ${dir} exists and is not a directory`, 'name a directory, like ~/bin');
    if (code === 'ENOTDIR') throw new UsageError(`shims install: cannot create ${dir}: a part of its path is a file`, 'name a directory, like ~/bin');
    throw new OperationError(`shims install: cannot create ${dir}: ${fsReason(err)}`);
  }
}

/** The text of the regular file at `path`; undefined when it is something else (a link, a directory, a pipe) or unreadable; null when nothing is there. */
function currentShim(path: string): string | undefined | null {
  try {
    if (!lstatSync(path).isFile()) return undefined;
  } catch {
    return null;
  }
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Writes `text` to `path` as an executable (0755): into `.<name>.<random>.<pid>.tmp` beside it,
 * created exclusively, then renamed over `path`. On failure the temporary file is removed and
 * `path` is as it was.
 */
function writeShim(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.${process.pid}.tmp`);
  const fd = openSync(temp, 'wx', 0o755);
  // A umask could have taken the execute bits away.
  writeAndRename(fd, temp, path, text, (f) => fchmodSync(f, 0o755));
}

/** Writes the shims into `dir`. */
export function installShims(dir: string, command: string, env: NodeJS.ProcessEnv): ShimsResult {
  makeDir(dir);
  const done: ShimOutcome[] = [];
  for (const { name, group } of shimTargets) {
    const path = join(dir, name);
    const wanted = shimText(command, group);
    const base = { name, path, runs: `homelab ${group}` };
    const current = currentShim(path);
    // An empty file holds nothing of anyone's (an older homelab left one when its write failed): it is written.
    const ours = current === null || current === '' || current?.split('\n').includes(SHIM_MARKER) === true;
    if (!ours) { done.push({ ...base, action: 'skipped' }); continue; }
    if (current === wanted) { done.push({ ...base, action: 'unchanged' }); continue; }
    try {
      writeShim(path, wanted);
    } catch (err) {
      const written = done.filter((s) => s.action === 'written' || s.action === 'updated').map((s) => s.name);
      throw new OperationError(`shims install: cannot write ${path}: ${fsReason(err)}`, written.length ? `written before it: ${written.join(', ')}` : 'no shim was written');
    }
    done.push({ ...base, action: current === null || current === '' ? 'written' : 'updated' });
  }
  const onPath = (env.PATH ?? '').split(delimiter).some((p) => p && resolve(expandHome(p)) === resolve(dir));
  return { dir, command, onPath, shims: done };
}

/** `shims install`. */
export const shimsInstall = defineOperation({
  id: 'shims.install',
  summary: 'Install the original helper names (pve, npm-api, dns, pbs, beszel, kuma, updates, telegram) as shims',
  description: `Each shim runs \`homelab <service> "$@"\`. Files in DIR that homelab did not write are left alone.`,
  args: ['dir'],
  input: z.object({ dir: z.string().min(1).default('~/bin').describe('directory for the shims') }),
  risk: 'change',
  surfaces: ['cli'],
  examples: ['shims install', 'shims install /usr/local/bin'],
  confirm: (input) => `Write helper shims into ${input.dir}`,
  async run(ctx, input): Promise<ShimsResult> {
    const expanded = expandHome(input.dir);
    const dir = isAbsolute(expanded) ? expanded : resolve(expanded);
    return installShims(dir, homelabCommand(ctx.env), ctx.env);
  },
  render: (r) => {
    const blocks: Block[] = [table(['shim', 'runs', 'result'], r.shims.map((s) => [
      s.name, s.runs,
      toned(s.action === 'skipped' ? 'skipped: a file homelab did not write' : s.action, s.action === 'skipped' ? 'warn' : s.action === 'unchanged' ? 'dim' : 'ok'),
    ]), { title: `shims in ${r.dir}` })];
    if (!r.onPath) blocks.push(text(`${r.dir} is not on PATH: add it (export PATH="${r.dir}:$PATH") to use the shims`, 'warn'));
    return blocks;
  },
});
