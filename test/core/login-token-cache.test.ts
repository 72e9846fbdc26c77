/**
 * The login token caches of Uptime Kuma and Beszel, one module (core/login-token-cache):
 * each keeps its own file and field names, so a cache written before they were shared is
 * still read, and a token is only ever handed back for the server and user it was saved for.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BeszelTokenCache } from '../../src/services/beszel/token-cache.js';
import { KumaTokenCache } from '../../src/services/kuma/token-cache.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-login-token-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const seed = (path: string, body: unknown): void => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(body));
};

describe('login token caches', () => {
  it('kuma: reads a token.json written by earlier versions, for its server and username only', () => {
    const path = join(dir, 'kuma', 'token.json');
    seed(path, { url: 'http://127.0.0.1:3001', username: 'admin', token: 'jwt-1' });
    expect(new KumaTokenCache(dir, 'http://127.0.0.1:3001', 'admin').read()).toBe('jwt-1');
    expect(new KumaTokenCache(dir, 'http://127.0.0.1:3001', 'other').read()).toBeUndefined();
    expect(new KumaTokenCache(dir, 'http://127.0.0.1:3002', 'admin').read()).toBeUndefined();
    // Beszel's field name does not stand in for Kuma's.
    seed(path, { url: 'http://127.0.0.1:3001', email: 'admin', token: 'jwt-1' });
    expect(new KumaTokenCache(dir, 'http://127.0.0.1:3001', 'admin').read()).toBeUndefined();
  });

  it('beszel: reads an auth.json written by earlier versions, for its hub and email only', () => {
    const path = join(dir, 'beszel', 'auth.json');
    seed(path, { url: 'http://127.0.0.1:8090', email: 'ops@lab', token: 'pb-1' });
    expect(new BeszelTokenCache(dir, 'http://127.0.0.1:8090', 'ops@lab').read()).toBe('pb-1');
    expect(new BeszelTokenCache(dir, 'http://127.0.0.1:8090', 'other@lab').read()).toBeUndefined();
    seed(path, { url: 'http://127.0.0.1:8090', username: 'ops@lab', token: 'pb-1' });
    expect(new BeszelTokenCache(dir, 'http://127.0.0.1:8090', 'ops@lab').read()).toBeUndefined();
  });

  it('writes the same bytes as before, mode 0600 in a 0700 folder, and forgets on clear', () => {
    const kuma = new KumaTokenCache(dir, 'http://127.0.0.1:3001', 'admin');
    kuma.write('jwt-2');
    expect(readFileSync(join(dir, 'kuma', 'token.json'), 'utf8')).toBe('{"url":"http://127.0.0.1:3001","username":"admin","token":"jwt-2"}');
    expect(statSync(kuma.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'kuma')).mode & 0o777).toBe(0o700);
    const beszel = new BeszelTokenCache(dir, 'http://127.0.0.1:8090', 'ops@lab');
    beszel.write('pb-2');
    expect(readFileSync(join(dir, 'beszel', 'auth.json'), 'utf8')).toBe('{"url":"http://127.0.0.1:8090","email":"ops@lab","token":"pb-2"}');
    expect(beszel.read()).toBe('pb-2');
    beszel.clear();
    expect(beszel.read()).toBeUndefined();
    expect(kuma.read()).toBe('jwt-2');
  });

  it('reads a broken, empty-token or missing file as no token', () => {
    const kuma = new KumaTokenCache(dir, 'http://127.0.0.1:3001', 'admin');
    expect(kuma.read()).toBeUndefined();
    seed(kuma.path, { url: 'http://127.0.0.1:3001', username: 'admin', token: '' });
    expect(kuma.read()).toBeUndefined();
    writeFileSync(kuma.path, '{not json');
    expect(kuma.read()).toBeUndefined();
  });
});
