/**
 * A Beszel hub (or something posing as one) whose login or token-refresh answer carries no
 * usable token: `{}`, a number, an empty string. The built CLI exits 1 with "unexpected
 * answer from beszel", does not carry on with the lists, and never caches such a token in
 * auth.json. A loopback server stands in for the hub, its answers set per test.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const GOOD_TOKEN = 'header.eyJleHAiOjQxMDI0NDQ4MDB9.sig';
const RECORD = { id: 'u1', email: 'admin@home.lan', verified: true };
const SYSTEM = { id: 's1', name: 'pve1', host: '10.5.0.10', port: '45876', status: 'up', info: {}, updated: '2026-01-01 00:00:00.000Z' };

let server: Server;
let dir: string;
let env: Record<string, string>;
let url: string;
/** What the hub answers to a login and to a token refresh, and whether its lists hold a system. */
let login = '';
let refresh = '';
let listed = true;
/** Paths asked for, in order. */
let asked: string[] = [];
const cacheFile = (): string => join(env.HOMELAB_DATA_HOME as string, 'beszel', 'auth.json');

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      asked.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.url?.includes('/auth-with-password')) res.end(login);
      else if (req.url?.includes('/auth-refresh')) res.end(refresh);
      else {
        const items = listed ? [SYSTEM] : [];
        res.end(JSON.stringify({ page: 1, perPage: 500, totalItems: items.length, totalPages: 1, items }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'beszel-login-'));
  const config = join(dir, 'config');
  env = { HOMELAB_CONFIG_HOME: config, HOMELAB_DATA_HOME: join(dir, 'data') };
  mkdirSync(join(config, 'homelab'), { recursive: true });
  mkdirSync(join(config, 'beszel'), { recursive: true, mode: 0o700 });
  writeFileSync(join(config, 'homelab', 'config.yaml'), `services:\n  beszel:\n    url: ${url}\n`);
  const creds = join(config, 'beszel', 'credentials');
  writeFileSync(creds, 'BESZEL_EMAIL=admin@home.lan\nBESZEL_PASSWORD=beszel-login-password\n', { mode: 0o600 });
  chmodSync(creds, 0o600);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  rmSync(cacheFile(), { force: true });
  asked = [];
  listed = true;
  login = JSON.stringify({ token: GOOD_TOKEN, record: RECORD });
  refresh = login;
});

describe('beszel: the login answer is checked before its token is used or cached', () => {
  it('logs in, lists and caches a token that is a string', async () => {
    const r = await runCli(['beszel', 'systems'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(cacheFile(), 'utf8'))).toMatchObject({ token: GOOD_TOKEN });
  });

  for (const [what, body] of [['{}', '{}'], ['a number token', JSON.stringify({ token: 5, record: RECORD })], ['an empty token', JSON.stringify({ token: '', record: RECORD })], ['no record', JSON.stringify({ token: GOOD_TOKEN })]] as const) {
    it(`exits 1 with "unexpected answer from beszel" when the login answers ${what}, caching nothing`, async () => {
      login = body;
      const r = await runCli(['beszel', 'systems'], env);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^homelab: unexpected answer from beszel: POST \/api\/collections\/users\/auth-with-password: /);
      expect(r.stderr).not.toContain('beszel-login-password');
      expect(existsSync(cacheFile())).toBe(false);
      // It did not carry on without a token.
      expect(asked.filter((p) => p.includes('/records'))).toEqual([]);
    });
  }

  it('exits 1 when a token refresh answers a number, and keeps the cached token a string', async () => {
    mkdirSync(join(env.HOMELAB_DATA_HOME as string, 'beszel'), { recursive: true, mode: 0o700 });
    writeFileSync(cacheFile(), JSON.stringify({ url, email: 'admin@home.lan', token: GOOD_TOKEN }), { mode: 0o600 });
    // An empty list makes the client ask whether its token still holds.
    listed = false;
    refresh = JSON.stringify({ token: 5, record: RECORD });
    const r = await runCli(['beszel', 'systems'], env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^homelab: unexpected answer from beszel: POST \/api\/collections\/users\/auth-refresh: /);
    expect(asked.some((p) => p.includes('/auth-refresh'))).toBe(true);
    expect(typeof (JSON.parse(readFileSync(cacheFile(), 'utf8')) as { token: unknown }).token).toBe('string');
  });
});
