/**
 * A file lock that cannot be made because the disk is full is one line naming `<file>.lock`
 * and the fix (exit 3), never Node's bare `ENOSPC: no space left on device, write`; nothing of
 * the attempt is left and the locked work does not run.
 *
 * Any user: the token's write fails as on a full disk (node:fs/promises' writeFile wrapped to
 * throw Node's own ENOSPC error, which names no file; everything else is real). As root, where
 * a small tmpfs can be mounted, on a really full one too.
 */
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ExitCode, FileAccessError, toHomelabError } from '../../src/core/errors.js';
import { withFileLock } from '../../src/core/file-lock.js';
import { fillDisk, useScratch } from '../helpers/small-disk.js';

/** While set, writing a lock's token fails as on a full disk. */
const full = vi.hoisted(() => ({ on: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const writeFile = (async (file: Parameters<typeof real.writeFile>[0], ...rest: [Parameters<typeof real.writeFile>[1], Parameters<typeof real.writeFile>[2]]) => {
    // Node's error for a write that finds no room: code and syscall, no path.
    if (full.on && String(file).includes('.lock.owner-')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    return real.writeFile(file, ...rest);
  }) as typeof real.writeFile;
  return { ...real, writeFile, default: { ...real, writeFile } };
});

const { work, smallDisk } = useScratch('file-lock-full-');

/** What `withFileLock(path)` threw, as a surface shows it; whether the work ran. */
async function lockFailure(path: string): Promise<{ error: ReturnType<typeof toHomelabError>; ran: boolean }> {
  let ran = false;
  try {
    await withFileLock(path, async () => { ran = true; });
  } catch (err) {
    return { error: toHomelabError(err), ran };
  }
  throw new Error('the lock was taken');
}

describe('a lock on a full disk', () => {
  it('is one line naming the lock and the fix, and leaves nothing', async () => {
    const dir = mkdtempSync(join(work, 'data-'));
    const file = join(dir, 'authorized_users');
    full.on = true;
    const { error, ran } = await lockFailure(file).finally(() => { full.on = false; });
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(FileAccessError);
    expect([error.exitCode, error.message, error.hint]).toEqual([ExitCode.config, `cannot write ${file}.lock: no space left on the device`, `free some space where ${file}.lock is, then run the command again`]);
    expect(readdirSync(dir)).toEqual([]);
    // With room again, the lock is taken.
    await expect(withFileLock(file, async () => 'ran')).resolves.toBe('ran');
  });
});

describe('a really full disk (root, where a tmpfs can be mounted)', () => {
  const disk = smallDisk();
  it.runIf(disk !== undefined)('names the lock', async () => {
    const dir = join(disk ?? '', 'telegram');
    mkdirSync(dir);
    fillDisk(disk ?? '');
    const file = join(dir, 'authorized_users');
    const { error, ran } = await lockFailure(file);
    expect(ran).toBe(false);
    expect([error.exitCode, error.message]).toEqual([ExitCode.config, `cannot write ${file}.lock: no space left on the device`]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
