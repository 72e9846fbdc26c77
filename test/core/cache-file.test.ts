/**
 * The login and state caches under the data folder are best effort (core/cache-file): one
 * that cannot be read is no cache, one that cannot be written is one warning line per process
 * naming it, never an error, and a write goes through a temporary file renamed over the file
 * (0600). Runs as root too: a directory where the file should be, or a file where its folder
 * should be, cannot be written by anyone (the CLI test runs the permission cases as nobody).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onCacheWarning, removeCacheFile, writeCacheFile } from '../../src/core/cache-file.js';
import { BeszelTokenCache } from '../../src/services/beszel/token-cache.js';
import { DnsStateFile } from '../../src/services/dns/state-file.js';
import { KumaTokenCache } from '../../src/services/kuma/token-cache.js';
import { TokenCache } from '../../src/services/proxy/token-cache.js';

let dir: string;
let warnings: string[];
let restore: () => void;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-cache-file-'));
  warnings = [];
  restore = onCacheWarning((line) => warnings.push(line));
});
afterEach(() => {
  restore();
  rmSync(dir, { recursive: true, force: true });
});

/** Each cache, its file, and one save and read of it through its own methods. */
const caches = (data: string) => [
  { name: 'kuma', path: join(data, 'kuma', 'token.json'), save: () => new KumaTokenCache(data, 'http://k', 'admin').write('jwt'), read: () => new KumaTokenCache(data, 'http://k', 'admin').read(), clear: () => new KumaTokenCache(data, 'http://k', 'admin').clear() },
  { name: 'beszel', path: join(data, 'beszel', 'auth.json'), save: () => new BeszelTokenCache(data, 'http://b', 'a@b').write('pb'), read: () => new BeszelTokenCache(data, 'http://b', 'a@b').read(), clear: () => new BeszelTokenCache(data, 'http://b', 'a@b').clear() },
  { name: 'npm', path: join(data, 'npm', 'token.json'), save: () => new TokenCache(data, 'http://n', 'a@b').write({ token: 't', expires: '2099-01-01T00:00:00Z' }), read: () => new TokenCache(data, 'http://n', 'a@b').read()?.token, clear: () => new TokenCache(data, 'http://n', 'a@b').clear() },
  { name: 'dns', path: join(data, 'dns', 'state.json'), save: () => new DnsStateFile(data, 'http://d', 'admin').write({ url: 'http://d', user: 'admin', sessionToken: 's' }), read: () => new DnsStateFile(data, 'http://d', 'admin').read().sessionToken, clear: () => undefined },
];

describe('cache files', () => {
  it('a directory where the file should be: no cache, no error, one warning naming the file', () => {
    for (const cache of caches(dir)) {
      mkdirSync(join(cache.path, 'inside'), { recursive: true });
      expect(cache.read(), cache.name).toBeUndefined();
      expect(() => cache.save(), cache.name).not.toThrow();
      expect(() => cache.clear(), cache.name).not.toThrow();
      expect(cache.read(), cache.name).toBeUndefined();
      // Left as it was: a cache never removes what it did not write.
      expect(readdirSync(cache.path), cache.name).toEqual(['inside']);
      expect(readdirSync(join(cache.path, '..')), cache.name).toEqual([cache.path.split('/').pop()]);
    }
    // One line for the process, naming the first file and why.
    expect(warnings).toEqual([`homelab: warning: cannot write ${join(dir, 'kuma', 'token.json')} (is a directory); going on without it: check what is at ${join(dir, 'kuma', 'token.json')} and the folders above it (ls -ld), and move what is in the way\n`]);
  });

  it('a data folder that is a file: no error, one warning', () => {
    const data = join(dir, 'data');
    writeFileSync(data, 'not a folder');
    for (const cache of caches(data)) {
      expect(() => cache.save(), cache.name).not.toThrow();
      expect(cache.read(), cache.name).toBeUndefined();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`cannot write ${join(data, 'kuma', 'token.json')} (a part of its path is not a directory)`);
  });

  it('writes 0600 in a 0700 folder through a renamed temporary file, replacing a file of another mode whole', () => {
    for (const cache of caches(dir)) {
      mkdirSync(join(cache.path, '..'), { recursive: true, mode: 0o755 });
      writeFileSync(cache.path, 'old', { mode: 0o644 });
      const before = statSync(cache.path).ino;
      cache.save();
      expect(cache.read(), cache.name).toBeTruthy();
      expect(statSync(cache.path).mode & 0o777, cache.name).toBe(0o600);
      // A new file renamed into place, not the old one rewritten.
      expect(statSync(cache.path).ino, cache.name).not.toBe(before);
      expect(readdirSync(join(cache.path, '..')), cache.name).toEqual([cache.path.split('/').pop()]);
    }
    const fresh = join(dir, 'fresh', 'state.json');
    expect(writeCacheFile(fresh, '{}')).toBe(true);
    expect(statSync(join(dir, 'fresh')).mode & 0o777).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it('a leftover temporary file of the same pid is replaced at 0600', () => {
    const path = join(dir, 'x.json');
    writeFileSync(`${path}.${process.pid}.tmp`, 'stale', { mode: 0o666 });
    chmodSync(`${path}.${process.pid}.tmp`, 0o666);
    expect(writeCacheFile(path, '{"a":1}')).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('a directory where the file to remove is: one warning saying it is a directory and what to move, left as it is', () => {
    const path = join(dir, 'kuma', 'token.json');
    mkdirSync(join(path, 'inside'), { recursive: true });
    expect(() => removeCacheFile(path)).not.toThrow();
    expect(readdirSync(path)).toEqual(['inside']);
    expect(warnings).toEqual([`homelab: warning: cannot remove ${path} (is a directory); going on without it: check what is at ${path} and the folders above it (ls -ld), and move what is in the way\n`]);
    // A file that is not there is nothing to say.
    restore();
    restore = onCacheWarning((line) => warnings.push(line));
    removeCacheFile(join(dir, 'missing.json'));
    expect(warnings).toHaveLength(1);
  });

  it('a write removes the temporary files (holding a token) of writers killed before their rename, and only those', () => {
    // A process that runs through the test: its pid is taken, but its file too old to be a write under way.
    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      for (const cache of caches(dir)) {
        const folder = join(cache.path, '..');
        const name = cache.path.split('/').pop() as string;
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        const dead = spawnSync(process.execPath, ['-e', '0']).pid;
        const killed = `${name}.${dead}.tmp`;
        const old = `${name}.${String(running.pid)}.tmp`;
        // Another process writing now (this one's parent, running).
        const writing = `${name}.${process.ppid}.tmp`;
        const otherFile = `other.json.${dead}.tmp`;
        for (const file of [killed, old, writing, otherFile]) writeFileSync(join(folder, file), '{"token":"t"}', { mode: 0o600 });
        const tenMinutesAgo = new Date(Date.now() - 600_000);
        utimesSync(join(folder, old), tenMinutesAgo, tenMinutesAgo);
        cache.save();
        expect(readdirSync(folder).sort(), cache.name).toEqual([name, writing, otherFile].sort());
      }
    } finally {
      running.kill();
    }
  });
});
