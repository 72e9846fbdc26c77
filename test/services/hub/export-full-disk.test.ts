/**
 * `homelab export <file>` when the disk fills while the file is written: the file the run
 * created is removed (no half lab.yaml left to plan every app after the cut away, or to stand
 * in the way of the next export), the error is one line in words with the fix, and a re-run
 * writes the file. The disk is made full by failing the write of the lab file's text after a
 * part of it reached the file (ENOSPC), as a full file system does; the services are the
 * lab's simulators over real sockets.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { HomelabError } from '../../../src/core/errors.js';
import { runParsed } from '../../../src/core/invoke.js';
import { getRegistry } from '../../../src/services/index.js';
import { useHubLab } from './hub-lab.js';

/** While set, the next write of text to an open file puts its first 64 bytes there, then fails as a full disk does. */
const disk = vi.hoisted(() => ({ full: false }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeFileSync: typeof real.writeFileSync = (file, data, options) => {
    if (disk.full && typeof file === 'number' && typeof data === 'string') {
      disk.full = false;
      real.writeSync(file, data.slice(0, 64));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });
    }
    real.writeFileSync(file, data, options);
  };
  return { ...real, writeFileSync, default: { ...real, writeFileSync } };
});

const hub = useHubLab();

describe('export onto a full disk', () => {
  it('leaves no part of the file, says why in one line, and a re-run writes it', async () => {
    const registry = getRegistry();
    const exportOp = registry.get('export');
    if (!exportOp) throw new Error('no export operation');
    const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: hub.env(), operations: { find: (id) => registry.get(id) } });
    const path = join(hub.lab.current.dir, 'full-disk-lab.yaml');
    disk.full = true;
    const err = (await runParsed(exportOp, { file: path, force: false }, ctx).catch((e: unknown) => e)) as HomelabError;
    expect(disk.full).toBe(false);
    expect(err.message).toBe(`cannot write ${path}: no space left on the device; nothing was written`);
    expect(err.hint).toContain('free some space');
    expect(existsSync(path)).toBe(false);
    await runParsed(exportOp, { file: path, force: false }, ctx);
    expect(readFileSync(path, 'utf8')).toMatch(/^# lab\.yaml: the lab homelab manages/);
    expect(fs.statSync(path).mode & 0o777).toBe(0o600);
  });
});
