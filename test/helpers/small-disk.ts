/**
 * @module test/helpers/small-disk
 * Really full disks for the tests of what a full disk does: a test file's scratch folder, small
 * tmpfs mounts under it (root only, where mounting works), and ways to fill one. Everything is
 * unmounted and removed after the test file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A test file's scratch folder and the small disks mounted under it. */
export interface Scratch {
  /** The scratch folder (under the system's temporary folder). */
  readonly work: string;
  /** Mounts a tmpfs of `size` (mount's `size=`, e.g. `64k`) under `work`, as root where mounting works; else undefined. */
  smallDisk(size?: string): string | undefined;
}

/** A scratch folder named from `prefix`, unmounted and removed after the test file; call it at the top of the file. */
export function useScratch(prefix: string): Scratch {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const mounts: string[] = [];
  afterAll(() => {
    for (const m of mounts) execFileSync('umount', [m]);
    rmSync(work, { recursive: true, force: true });
  });
  return {
    work,
    smallDisk(size = '64k') {
      if (process.getuid?.() !== 0) return undefined;
      const dir = mkdtempSync(join(work, 'disk-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
      } catch {
        return undefined;
      }
      mounts.push(dir);
      return dir;
    },
  };
}

/** Fills `disk` to the last block with the file `fill` in it (dd stops at ENOSPC); returns that file. */
export function fillDisk(disk: string): string {
  const fill = join(disk, 'fill');
  spawnSync('dd', ['if=/dev/zero', `of=${fill}`, 'bs=4k'], { stdio: 'ignore' });
  return fill;
}

/** Fills `disk` with the file `fill` until `pages` pages of 4 KiB are left free. */
export function fillLeaving(disk: string, pages: number): void {
  const free = Number(execFileSync('df', ['-k', '--output=avail', disk], { encoding: 'utf8' }).trim().split('\n')[1]);
  writeFileSync(join(disk, 'fill'), Buffer.alloc(Math.max(0, Math.floor(free / 4) - pages) * 4096));
}
