/**
 * `shims install` whose write fails part way (a full disk) leaves nothing behind: each shim is
 * written beside its name and renamed over it, so no empty or cut shim is left that runs and
 * does nothing, and the next run writes it. An empty file of a shim's name (an older homelab
 * left one) is written, not skipped as a file homelab did not write.
 *
 * Any user: installShims runs in this process with the write system call failing for one
 * shim as a full disk fails it (`ENOSPC` after a short write of what fits; node:fs is wrapped,
 * everything else is real). As root, where a small tmpfs can be mounted, the built CLI is run
 * on a really full one too.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { installShims, shimText, SHIM_MARKER, type ShimsResult } from '../../../src/services/setup/shims.js';
import { CLI, cliEnv } from '../../helpers/cli.js';
import { fillDisk, useScratch } from '../../helpers/small-disk.js';

/** Writes to a file whose name starts with this fail as on a full disk: the first call writes 8 bytes, the next throws ENOSPC. */
const full = vi.hoisted(() => ({ prefix: '' }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const cut = new Map<number, boolean>();
  const openSync = ((path: fs.PathLike, ...rest: unknown[]) => {
    const fd = (real.openSync as (...a: unknown[]) => number)(path, ...rest);
    if (full.prefix && String(path).split('/').pop()?.startsWith(full.prefix)) cut.set(fd, false);
    else cut.delete(fd);
    return fd;
  }) as typeof real.openSync;
  const writeSync = ((fd: number, buffer: Buffer, offset?: number, length?: number, position?: number | null) => {
    if (!cut.has(fd)) return real.writeSync(fd, buffer, offset, length, position);
    if (cut.get(fd)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });
    cut.set(fd, true);
    return real.writeSync(fd, buffer, offset, Math.min(length ?? buffer.length, 8), position);
  }) as typeof real.writeSync;
  return { ...real, openSync, writeSync, default: { ...real, openSync, writeSync } };
});

const { work, smallDisk } = useScratch('homelab-shims-full-');

describe('shims install on a disk that fills up', () => {
  it('leaves no shim behind when its write fails, and the next run writes it', () => {
    const dir = fs.mkdtempSync(join(work, 'bin-'));
    full.prefix = '.pve.';
    expect(() => installShims(dir, 'homelab', {})).toThrow(`shims install: cannot write ${join(dir, 'pve')}: no space left on the device`);
    full.prefix = '';
    expect(fs.readdirSync(dir)).toEqual([]);
    const again = installShims(dir, 'homelab', {});
    expect(again.shims.find((s) => s.name === 'pve')?.action).toBe('written');
    expect(fs.readFileSync(join(dir, 'pve'), 'utf8')).toBe(shimText('homelab', 'pve'));
    expect(fs.statSync(join(dir, 'pve')).mode & 0o777).toBe(0o755);
  });

  it('keeps an older shim whole when its update fails', () => {
    const dir = fs.mkdtempSync(join(work, 'bin-'));
    const old = `#!/bin/sh\n${SHIM_MARKER}\nexec /old/homelab pve "$@"\n`;
    fs.writeFileSync(join(dir, 'pve'), old, { mode: 0o755 });
    full.prefix = '.pve.';
    expect(() => installShims(dir, 'homelab', {})).toThrow(`shims install: cannot write ${join(dir, 'pve')}: no space left on the device`);
    full.prefix = '';
    expect(fs.readdirSync(dir)).toEqual(['pve']);
    expect(fs.readFileSync(join(dir, 'pve'), 'utf8')).toBe(old);
  });

  it('writes over an empty file of a shim\'s name', () => {
    const dir = fs.mkdtempSync(join(work, 'bin-'));
    fs.writeFileSync(join(dir, 'pve'), '', { mode: 0o755 });
    const result = installShims(dir, 'homelab', {});
    expect(result.shims.find((s) => s.name === 'pve')?.action).toBe('written');
    expect(fs.readFileSync(join(dir, 'pve'), 'utf8')).toBe(shimText('homelab', 'pve'));
  });
});

describe('a really full disk (root, where a tmpfs can be mounted)', () => {
  const disk = smallDisk();
  it.runIf(disk !== undefined)('the built CLI leaves nothing in DIR, and once there is room writes every shim', () => {
    const dir = join(disk ?? '', 'bin');
    fs.mkdirSync(dir);
    const fill = fillDisk(disk ?? '');
    const env = { ...cliEnv(work), HOMELAB_CONFIG_HOME: join(work, 'config'), HOMELAB_DATA_HOME: join(work, 'data') };
    const run = spawnSync(process.execPath, [CLI, 'shims', 'install', dir, '--yes'], { env, encoding: 'utf8', input: '' });
    expect([run.status, run.stderr]).toEqual([1, `homelab: shims install: cannot write ${join(dir, 'pve')}: no space left on the device\n  no shim was written\n`]);
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(fill);
    const again = spawnSync(process.execPath, [CLI, 'shims', 'install', dir, '--yes', '--json'], { env, encoding: 'utf8', input: '' });
    expect(again.status, again.stderr).toBe(0);
    expect(new Set((JSON.parse(again.stdout) as ShimsResult).shims.map((s) => s.action))).toEqual(new Set(['written']));
  });
});
