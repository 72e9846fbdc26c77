/**
 * The Beszel client (pocketbase SDK over the HTTP core) against the simulator over real
 * sockets: login, the token cache, PocketBase's empty-list-on-bad-token and the re-login,
 * error mapping, retries and timeouts.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, AuthError, TimeoutError } from '../../../src/core/errors.js';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { BeszelClient } from '../../../src/services/beszel/client.js';
import { systemRecordSchema } from '../../../src/services/beszel/schemas.js';
import { BeszelTokenCache } from '../../../src/services/beszel/token-cache.js';
import { OTHER_USER, startBeszelSim, type BeszelSim } from '../../../src/services/beszel/sim/index.js';

let sim: BeszelSim;
let dataDir: string;

function client(options: { password?: string; email?: string; timeoutMs?: number; dir?: string } = {}): BeszelClient {
  const email = options.email ?? sim.credentials.values.BESZEL_EMAIL ?? '';
  return new BeszelClient({
    http: new HttpClient({ service: 'beszel', baseUrl: `${sim.url}/api`, timeoutMs: options.timeoutMs, backoffMs: 10 }),
    url: sim.url, email, password: options.password ?? sim.credentials.values.BESZEL_PASSWORD ?? '',
    cache: new BeszelTokenCache(options.dir ?? dataDir, sim.url, email),
  });
}

const sinceNow = (): (() => string[]) => {
  const start = sim.requests.length;
  return () => sim.requests.slice(start).map((r) => `${r.method} ${r.path} ${r.status ?? ''}`.trim());
};

beforeAll(async () => {
  sim = await startBeszelSim();
  dataDir = mkdtempSync(join(tmpdir(), 'beszel-client-'));
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Beszel client', () => {
  it('logs in once, caches the token 0600 and reuses it in the next run', async () => {
    const first = client();
    const systems = await first.listAll('systems', systemRecordSchema, { sort: 'name' });
    expect(systems.map((s) => s.name)).toContain('pbs');
    expect(first.logins).toBe(1);
    const file = join(dataDir, 'beszel', 'auth.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const requests = sinceNow();
    const second = client();
    await second.listAll('systems', systemRecordSchema);
    expect(second.logins).toBe(0);
    expect(requests()).toEqual(['GET /api/collections/systems/records 200']);
  });

  it('notices the empty list PocketBase returns for an invalidated token, logs in again and lists again', async () => {
    await client().listAll('systems', systemRecordSchema);
    sim.expireTokens();
    const requests = sinceNow();
    const c = client();
    const systems = await c.listAll('systems', systemRecordSchema);
    expect(systems.length).toBeGreaterThan(5);
    expect(c.logins).toBe(1);
    expect(requests()).toEqual([
      'GET /api/collections/systems/records 200',
      'POST /api/collections/users/auth-refresh 401',
      'POST /api/collections/users/auth-with-password 200',
      'GET /api/collections/systems/records 200',
    ]);
  });

  it('recovers the same way within one long-lived client (the bot)', async () => {
    const c = client();
    await c.listAll('systems', systemRecordSchema);
    sim.expireTokens();
    expect((await c.listAll('systems', systemRecordSchema)).length).toBeGreaterThan(5);
  });

  it('trusts a genuinely empty list after the token checks out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beszel-ops-'));
    try {
      const c = client({ email: OTHER_USER.email, password: OTHER_USER.password, dir });
      await c.login();
      const requests = sinceNow();
      expect(await c.listAll('systems', systemRecordSchema)).toEqual([]);
      expect(c.logins).toBe(1);
      expect(requests()).toEqual(['GET /api/collections/systems/records 200', 'POST /api/collections/users/auth-refresh 200']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs in straight away when the cached token has expired by its exp claim', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beszel-exp-'));
    try {
      const payload = Buffer.from(JSON.stringify({ id: sim.userId, type: 'auth', exp: Math.floor(Date.now() / 1000) - 60 })).toString('base64url');
      mkdirSync(join(dir, 'beszel'), { recursive: true });
      writeFileSync(join(dir, 'beszel', 'auth.json'), JSON.stringify({ url: sim.url, email: sim.credentials.values.BESZEL_EMAIL, token: `eyJhbGciOiJIUzI1NiJ9.${payload}.sig` }), { mode: 0o600 });
      const requests = sinceNow();
      await client({ dir }).listAll('systems', systemRecordSchema);
      expect(requests()[0]).toBe('POST /api/collections/users/auth-with-password 200');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a refused login as an auth error (exit 5) without the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beszel-bad-'));
    try {
      const err = await client({ password: 'wrong-password-123', dir }).listAll('systems', systemRecordSchema).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthError);
      expect((err as AuthError).exitCode).toBe(5);
      expect((err as AuthError).message).toBe('beszel: login refused (Failed to authenticate.)');
      expect((err as AuthError).hint).toContain('email address');
      expect(String((err as AuthError).message)).not.toContain('wrong-password-123');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains unverified users and MFA hubs', async () => {
    const unverified = await startBeszelSim({ verified: false });
    const mfa = await startBeszelSim({ mfa: true });
    const dir = mkdtempSync(join(tmpdir(), 'beszel-mfa-'));
    try {
      const make = (s: BeszelSim): BeszelClient => new BeszelClient({
        http: new HttpClient({ service: 'beszel', baseUrl: `${s.url}/api` }), url: s.url,
        email: s.credentials.values.BESZEL_EMAIL ?? '', password: s.credentials.values.BESZEL_PASSWORD ?? '',
      });
      const a = await make(unverified).login().catch((e: unknown) => e);
      expect(a).toBeInstanceOf(AuthError);
      expect((a as AuthError).hint).toContain('verified');
      const b = await make(mfa).login().catch((e: unknown) => e);
      expect(b).toBeInstanceOf(AuthError);
      expect((b as AuthError).message).toContain('one-time password');
    } finally {
      await unverified.close();
      await mfa.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('retries reads on 503 and times out a hung request', async () => {
    const c = client();
    await c.listAll('systems', systemRecordSchema);
    sim.faults.failNext = { count: 1, status: 503 };
    expect((await c.listAll('systems', systemRecordSchema)).length).toBeGreaterThan(5);
    sim.faults.hangNext = 1;
    const hung = await client({ timeoutMs: 200 }).listAll('systems', systemRecordSchema).catch((e: unknown) => e);
    expect(hung).toBeInstanceOf(TimeoutError);
    sim.faults.hangNext = 0;
  });

  it('refuses a bad filter with the server message (exit 1)', async () => {
    const err = await client().list('systems', systemRecordSchema, { filter: "nope = 'x'" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toContain('Invalid filter parameters');
  });
});
