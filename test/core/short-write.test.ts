/**
 * A write that the disk cuts short (Linux writes what fits and returns that count, on a full
 * disk or past the file size limit) never leaves a cut file behind a success: config.yaml
 * (`context use`, `init`: core/config-write) and the files that grant control (`serve passwd`,
 * `telegram allow`: core/private-write) stay whole, the command fails with one line naming the
 * file, and no temporary file is left.
 *
 * The short writes are real ones of the kernel, made as any user can: the built CLI runs under
 * a file size limit (`ulimit -f`), so the write that crosses it is cut short and the next one
 * fails with EFBIG. As root, a real full disk (a small tmpfs) is tried as well, when mounting
 * works. The loop itself (core/write-all) is checked with a write step that writes a few bytes
 * at a time through the real system call.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAll } from '../../src/core/write-all.js';
import { CLI, cliEnv } from '../helpers/cli.js';
import { readableCli } from '../helpers/readable-cli.js';
import { fillLeaving, useScratch } from '../helpers/small-disk.js';

const { work: root, smallDisk } = useScratch('short-write-');
chmodSync(root, 0o755);
const asRoot = process.getuid?.() === 0;

/** The file size limit the CLI runs under: 8 blocks of `ulimit -f` (sh counts 512 bytes), 4 KiB. */
const LIMIT_BLOCKS = 8;

/** Runs the built CLI (`cli`) under the file size limit, as `as` when given (root only); stdin `input`. */
function runLimited(args: string[], env: Record<string, string>, options: { input?: string; cli?: string; as?: number } = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // /bin/sh by its path: the PATH may name folders closed to the user it runs as (a fresh clone's tools).
    const child = spawn('/bin/sh', ['-c', `ulimit -f ${LIMIT_BLOCKS} && exec "$0" "$@"`, process.execPath, options.cli ?? CLI, ...args], {
      env: { ...cliEnv(root), ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
      ...(options.as !== undefined ? { uid: options.as, gid: options.as } : {}),
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A config.yaml of `size` bytes (comments first; at least its settings) with the contexts `default` and `office`, the current one `current`. */
function configText(size: number, current = 'default'): string {
  const tail = `services:\n  dns: { url: "http://127.0.0.1:9", zone: home.lan }\ncontexts:\n  office:\n    services:\n      dns: { url: "http://127.0.0.1:9", zone: office.lan }\ncurrent_context: ${current}\n`;
  const note = '# my notes ..........................................................\n';
  const notes = note.repeat(Math.max(0, Math.floor((size - tail.length) / note.length)));
  const rest = size - tail.length - notes.length;
  return notes + (rest >= 2 ? `#${'.'.repeat(rest - 2)}\n` : '') + tail;
}

/** A config home under `dir` holding config.yaml with `text`; its env. */
function configHome(dir: string, text: string): { path: string; env: Record<string, string> } {
  mkdirSync(join(dir, 'config', 'homelab'), { recursive: true });
  const path = join(dir, 'config', 'homelab', 'config.yaml');
  writeFileSync(path, text, { mode: 0o600 });
  return { path, env: { HOMELAB_CONTEXT: '', HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') } };
}

describe('writeAll (core/write-all)', () => {
  it('writes the rest after each short write, through the real system call', () => {
    const file = join(mkdtempSync(join(root, 'loop-')), 'f');
    const text = `${'é-'.repeat(3000)}end\n`;
    const fd = openSync(file, 'w');
    const counts: number[] = [];
    // At most 1000 bytes a call, as a disk with little room left would take them.
    writeAll(fd, text, (f, buffer, offset, length) => {
      const wrote = writeSync(f, buffer, offset, Math.min(length, 1000));
      counts.push(wrote);
      return wrote;
    });
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(counts.length).toBe(Math.ceil(Buffer.byteLength(text) / 1000));
  });

  it('throws what the write after a short one throws, and a write of nothing as no space', () => {
    const file = join(mkdtempSync(join(root, 'loop-')), 'f');
    const fd = openSync(file, 'w');
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    let calls = 0;
    expect(() => writeAll(fd, 'x'.repeat(5000), (f, buffer, offset, length) => {
      calls += 1;
      if (calls > 1) throw full;
      return writeSync(f, buffer, offset, Math.min(length, 4096));
    })).toThrow(full);
    expect(() => writeAll(fd, 'more', () => 0)).toThrow(expect.objectContaining({ code: 'ENOSPC', syscall: 'write' }) as Error);
    closeSync(fd);
  });
});

describe('a write cut short by the file size limit (any user)', () => {
  it('context use keeps config.yaml whole and fails with one line naming it', async () => {
    const { path, env } = configHome(mkdtempSync(join(root, 'ctx-')), configText(20_000));
    const before = readFileSync(path, 'utf8');
    const run = await runLimited(['context', 'use', 'office'], env);
    expect(run.stderr).toBe(`homelab: cannot write ${path}: file too large for the file size limit\n  raise the file size limit (ulimit -f) so ${path} can be written whole, then run the command again\n`);
    expect(run.code).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(join(path, '..'))).toEqual(['config.yaml']);
  });

  it('serve passwd keeps the password file whole (no user cut into another) and fails naming it', async () => {
    const dir = mkdtempSync(join(root, 'passwd-'));
    const { env } = configHome(dir, configText(0));
    const file = join(dir, 'config', 'web', 'passwords');
    const first = await runLimited(['serve', 'passwd', '--user', 'u0'], env, { input: 'pw-secret-1\npw-secret-1\n' });
    expect([first.code, first.stderr]).toEqual([0, '']);
    const hash = readFileSync(file, 'utf8').split('\n')[0]?.split(':').slice(1).join(':') ?? '';
    // About 20 KB of valid logins: the new file is far past the limit.
    writeFileSync(file, Array.from({ length: 200 }, (_, i) => `user${i}:${hash}\n`).join(''), { mode: 0o600 });
    const before = readFileSync(file, 'utf8');
    const run = await runLimited(['serve', 'passwd', '--user', 'newone'], env, { input: 'pw-secret-2\npw-secret-2\n' });
    expect(run.stderr).toBe(`homelab: cannot write ${file}: file too large for the file size limit\n  raise the file size limit (ulimit -f) so ${file} can be written whole, then run the command again\n`);
    expect(run.code).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(join(file, '..'))).toEqual(['passwords']);
  });

  it.runIf(asRoot)('as another user than config.yaml\'s owner (rewritten in place), the old text is put back', async () => {
    const dir = mkdtempSync(join(root, 'inplace-'));
    chmodSync(dir, 0o755);
    // Exactly at the limit now, one byte over it once current_context names `default`.
    const { path, env } = configHome(dir, configText(LIMIT_BLOCKS * 512, 'office'));
    const before = readFileSync(path, 'utf8');
    expect(Buffer.byteLength(before)).toBe(LIMIT_BLOCKS * 512);
    // root's file, which the group of uid 65534 may write: homelab run as 65534 trusts it and cannot rename over it.
    chmodSync(path, 0o660);
    chownSync(path, 0, 65534);
    const run = await runLimited(['context', 'use', 'default'], env, { cli: readableCli(mkdtempSync(join(root, 'cli-'))), as: 65534 });
    expect(run.stderr).toContain(`homelab: cannot write ${path}: file too large for the file size limit\n`);
    expect(run.code).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(statSync(path).uid).toBe(0);
  });
});

describe('a full disk (root, where a tmpfs can be mounted)', () => {
  const disk = smallDisk();
  it.runIf(disk !== undefined)('context use with one free page keeps config.yaml whole and says no space is left', async () => {
    const { path, env } = configHome(join(disk ?? '', 'h'), configText(7000));
    const before = readFileSync(path, 'utf8');
    fillLeaving(disk ?? '', 1);
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'context', 'use', 'office'], { env: { ...cliEnv(root), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(run.stderr).toBe(`homelab: cannot write ${path}: no space left on the device\n  free some space where ${path} is, then run the command again\n`);
    expect(run.code).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(join(path, '..'))).toEqual(['config.yaml']);
  });
});
