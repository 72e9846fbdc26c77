/**
 * `shims install` with a DIR it cannot use, through the built CLI: a plain file, or a path
 * under one, is a usage error (exit 2); a shim it may not write is a failure (exit 1); each
 * one clear line naming the path and why, never a raw Node error. A symbolic link, a
 * directory or a pipe of a shim's name is left alone as a file homelab did not write (a
 * pipe is not read: that would wait forever).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ShimsResult } from '../../../src/services/setup/index.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { readableCli } from '../../helpers/readable-cli.js';

const work = mkdtempSync(join(tmpdir(), 'homelab-shims-install-'));
chmodSync(work, 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { HOME: work, HOMELAB_CONFIG_HOME: join(work, 'config'), HOMELAB_DATA_HOME: join(work, 'data') };

describe('shims install into a DIR it cannot use', () => {
  it('refuses a plain file, and a path under one, with one line (exit 2)', async () => {
    const file = join(work, 'plain');
    writeFileSync(file, 'not a directory\n');
    const onFile = await runCli(['shims', 'install', file], env);
    expect([onFile.code, onFile.stderr]).toEqual([2, `homelab: shims install: ${file} exists and is not a directory\n  name a directory, like ~/bin\n`]);
    const under = await runCli(['shims', 'install', join(file, 'bin')], env);
    expect([under.code, under.stderr]).toEqual([2, `homelab: shims install: cannot create ${join(file, 'bin')}: a part of its path is a file\n  name a directory, like ~/bin\n`]);
  });

  it('says which shim it could not write and why (exit 1)', async () => {
    const dir = join(work, 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    // root may write anywhere: the CLI runs as nobody then, from a copy of the built CLI that
    // nobody can read (the checkout may be in a folder closed to others, as a fresh clone in
    // a mktemp folder is).
    const asRoot = process.getuid?.() === 0;
    const cli = asRoot ? readableCli(work) : CLI;
    // Its own data home (a change is audited there), the user's.
    const data = join(work, 'user-data');
    mkdirSync(data);
    if (asRoot) chownSync(data, 65534, 65534);
    const run = spawnSync(process.execPath, [cli, 'shims', 'install', dir], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env, HOMELAB_DATA_HOME: data }, encoding: 'utf8', input: '', ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expect([run.status, run.stderr]).toEqual([1, `homelab: shims install: cannot write ${join(dir, 'pve')}: permission denied\n  no shim was written\n`]);
  });

  it('leaves a symbolic link, a directory and a pipe of a shim\'s name alone', async () => {
    const dir = join(work, 'odd');
    mkdirSync(dir);
    symlinkSync(join(work, 'nowhere', 'pve'), join(dir, 'pve'));
    mkdirSync(join(dir, 'dns'));
    execFileSync('mkfifo', [join(dir, 'kuma')]);
    const run = await runCli(['shims', 'install', dir, '--json'], env, { timeoutMs: 15_000 });
    expect(run.code, run.stderr).toBe(0);
    const actions = Object.fromEntries((JSON.parse(run.stdout) as ShimsResult).shims.map((s) => [s.name, s.action]));
    expect(actions).toMatchObject({ pve: 'skipped', dns: 'skipped', kuma: 'skipped', pbs: 'written' });
    expect(readlinkSync(join(dir, 'pve'))).toBe(join(work, 'nowhere', 'pve'));
    expect(existsSync(join(work, 'nowhere'))).toBe(false);
  });
});
