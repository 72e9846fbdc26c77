/**
 * The NPM client over real sockets against the simulator: the token cached in the data
 * directory (0600) and reused, refreshed shortly before expiry, a new login when the
 * server says it expired or refuses a broken token, 2FA and setup:false messages, and
 * genuine server errors not mistaken for auth failures.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, AuthError, ConfigError } from '../../../src/core/errors.js';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { NpmClient } from '../../../src/services/proxy/client.js';
import { NpmSession, type NpmLogin } from '../../../src/services/proxy/session.js';
import { startProxySim, type ProxySim } from '../../../src/services/proxy/sim/index.js';
import { TokenCache } from '../../../src/services/proxy/token-cache.js';

let sim: ProxySim;
let shortLived: ProxySim;
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-npm-'));
  dirs.push(dir);
  return dir;
}

function client(target: ProxySim, login: Partial<NpmLogin> = {}, dir?: string): NpmClient {
  const http = new HttpClient({ service: 'proxy', baseUrl: `${target.url}/api`, retries: 0 });
  const account = { email: target.users.automation.email, password: target.users.automation.password, ...login };
  return new NpmClient(http, new NpmSession(http, account, dir ? new TokenCache(dir, target.url, account.email) : undefined));
}

const calls = (s: ProxySim, n: number): string[] => s.requests.slice(n).map((r) => `${r.method} ${r.path} ${r.status}`);

beforeAll(async () => {
  [sim, shortLived] = await Promise.all([startProxySim(), startProxySim({ tokenLifetimeMs: 5 * 60_000 })]);
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(async () => {
  await closeAllAgents();
  await Promise.all([sim.close(), shortLived.close()]);
});

describe('NPM client', () => {
  it('logs in once, caches the token with mode 0600, and reuses it in the next process', async () => {
    const dir = dataDir();
    const n = sim.requests.length;
    expect((await client(sim, {}, dir).proxyHosts()).length).toBeGreaterThan(5);
    expect(calls(sim, n)).toEqual(['POST /api/tokens 200', 'GET /api/nginx/proxy-hosts 200']);
    expect(JSON.parse(sim.requests[n]?.body ?? '{}')).toEqual({ identity: sim.users.automation.email, secret: sim.users.automation.password });
    const file = join(dir, 'npm', 'token.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'npm')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ url: sim.url, email: sim.users.automation.email });
    const m = sim.requests.length;
    await client(sim, {}, dir).certificates();
    expect(calls(sim, m)).toEqual(['GET /api/nginx/certificates 200']);
  });

  it('logs in once for calls made at the same time', async () => {
    const n = sim.requests.length;
    const c = client(sim);
    await Promise.all([c.certificates(), c.proxyHosts(), c.streams()]);
    expect(calls(sim, n).filter((x) => x.startsWith('POST /api/tokens'))).toHaveLength(1);
  });

  it('refreshes a token shortly before it expires instead of logging in', async () => {
    const dir = dataDir();
    await client(shortLived, {}, dir).streams();
    const first = JSON.parse(readFileSync(join(dir, 'npm', 'token.json'), 'utf8')) as { token: string };
    const n = shortLived.requests.length;
    await client(shortLived, {}, dir).streams();
    expect(calls(shortLived, n)).toEqual(['GET /api/tokens 200', 'GET /api/nginx/streams 200']);
    expect(shortLived.requests[n]?.headers.authorization).toBe(`Bearer ${first.token}`);
    const second = JSON.parse(readFileSync(join(dir, 'npm', 'token.json'), 'utf8')) as { token: string };
    expect(second.token).not.toBe(first.token);
  });

  it('logs in again when the server says the token has expired (400), and retries the call', async () => {
    const dir = dataDir();
    await client(sim, {}, dir).deadHosts();
    sim.advanceClock(2 * 86_400_000);
    try {
      const n = sim.requests.length;
      expect((await client(sim, {}, dir).deadHosts()).length).toBe(1);
      expect(calls(sim, n)).toEqual(['GET /api/nginx/dead-hosts 400', 'POST /api/tokens 200', 'GET /api/nginx/dead-hosts 200']);
    } finally {
      sim.advanceClock(-2 * 86_400_000);
    }
  });

  it('logs in again when the server answers 500 to a broken token', async () => {
    const dir = dataDir();
    new TokenCache(dir, sim.url, sim.users.automation.email).write({ token: 'not.a.jwt', expires: new Date(Date.now() + 86_400_000).toISOString() });
    const n = sim.requests.length;
    await client(sim, {}, dir).redirectionHosts();
    expect(calls(sim, n)).toEqual(['GET /api/nginx/redirection-hosts 500', 'GET /api/users/me 500', 'POST /api/tokens 200', 'GET /api/nginx/redirection-hosts 200']);
  });

  it('does not take a genuine 500 for an auth failure (no second login, no repeat)', async () => {
    const failing = await startProxySim({ letsEncrypt: 'fail' });
    try {
      const c = client(failing);
      await c.streams();
      const n = failing.requests.length;
      const err = await c.createProxyHost({ domain_names: ['le.home.lan'], forward_scheme: 'http', forward_host: '10.5.0.9', forward_port: 80, certificate_id: 'new' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(500);
      expect(calls(failing, n)).toEqual(['POST /api/nginx/proxy-hosts 500', 'GET /api/users/me 200']);
      // As NPM: the host was stored before certbot ran, and stays without a certificate (only the certificate row is rolled back).
      expect(failing.db.proxyHosts.live().filter((h) => (h.domain_names as string[]).includes('le.home.lan')).map((h) => [h.certificate_id, h.meta])).toEqual([[0, {}]]);
      expect(failing.db.certificates.live().some((c) => (c.domain_names as string[]).includes('le.home.lan'))).toBe(false);
    } finally {
      await failing.close();
    }
  });

  it('refuses a wrong password with an auth error naming the email, not the password', async () => {
    const err = await client(sim, { password: 'wrong-password-123' }).streams().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toBe(`proxy: login as ${sim.users.automation.email} refused (Invalid email or password)`);
    expect((err as AuthError).hint).toContain('NPM_EMAIL');
  });

  it('explains an account with 2FA, and logs it in when NPM_TOTP_SECRET is given', async () => {
    const { email, password, totpSecret } = sim.users.twoFactor;
    const err = await client(sim, { email, password }).streams().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toContain('two-factor authentication');
    expect((err as AuthError).hint).toContain('NPM_TOTP_SECRET');
    const n = sim.requests.length;
    expect((await client(sim, { email, password, totpSecret }).streams()).length).toBe(1);
    expect(calls(sim, n)).toEqual(['POST /api/tokens 200', 'POST /api/tokens/2fa 200', 'GET /api/nginx/streams 200']);
  });

  it('says the server is not initialised when it has no user yet (setup: false)', async () => {
    const empty = await startProxySim({ setup: false });
    try {
      const err = await client(empty).proxyHosts().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).exitCode).toBe(3);
      expect((err as ConfigError).message).toContain('not initialised');
    } finally {
      await empty.close();
    }
  });

  it('sends only the fields it is given on update', async () => {
    const c = client(sim);
    const host = (await c.proxyHosts()).find((h) => h.domain_names.includes('media.home.lan'));
    const n = sim.requests.length;
    const updated = await c.updateProxyHost(Number(host?.id), { allow_websocket_upgrade: true });
    expect(updated.allow_websocket_upgrade).toBe(true);
    expect(updated.forward_port).toBe(8096);
    expect(JSON.parse(sim.requests[n]?.body ?? '')).toEqual({ allow_websocket_upgrade: true });
  });

  it('reads health without a token', async () => {
    const n = sim.requests.length;
    expect(await client(sim).health()).toMatchObject({ status: 'OK', setup: true, version: { major: 2 } });
    expect(sim.requests[n]?.headers.authorization).toBeUndefined();
  });
});
