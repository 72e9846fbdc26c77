/**
 * The Technitium client over real sockets against the simulator: the status envelope
 * (HTTP 200 with `error` / `invalid-token`), token passing detected per server version
 * and remembered, session logins that expire and are renewed, booleans as true/false.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, AuthError, NotFoundError } from '../../../src/core/errors.js';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { DnsClient, type DnsApiMode, type DnsCredentials } from '../../../src/services/dns/client.js';
import { startDnsSim, type DnsSim } from '../../../src/services/dns/sim/index.js';
import { DnsStateFile } from '../../../src/services/dns/state-file.js';

let v15: DnsSim;
let v14: DnsSim;
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-dns-'));
  dirs.push(dir);
  return dir;
}

function client(sim: DnsSim, creds: DnsCredentials, options: { mode?: DnsApiMode; dir?: string } = {}): DnsClient {
  const http = new HttpClient({ service: 'dns', baseUrl: `${sim.url}/api`, retries: 0 });
  const state = options.dir ? new DnsStateFile(options.dir, sim.url, creds.token ? undefined : creds.user) : undefined;
  return new DnsClient(http, creds, options.mode ?? 'auto', state);
}

const since = (sim: DnsSim, n: number) => sim.requests.slice(n);

beforeAll(async () => {
  [v15, v14] = await Promise.all([startDnsSim(), startDnsSim({ version: '14.3' })]);
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(async () => {
  await closeAllAgents();
  await Promise.all([v15.close(), v14.close()]);
});

describe('DNS client', () => {
  it('turns a 200 answer with status error into an ApiError with the server message', async () => {
    const err = await client(v15, { token: v15.apiToken }).addRecord({ domain: 'x.home.lan', type: 'A', ipAddress: '10.5.0.1', ttl: 'soon' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('dns: Invalid TTL value: soon');
    expect((err as ApiError).exitCode).toBe(1);
  });

  it('maps "no such zone/record" errors to NotFoundError', async () => {
    const err = await client(v15, { token: v15.apiToken }).records('nowhere.example').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
  });

  it('turns invalid-token into an AuthError (exit 5) that does not show the token', async () => {
    const bad = 'a'.repeat(64);
    const err = await client(v15, { token: bad }).zones().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).exitCode).toBe(5);
    expect((err as AuthError).message).toContain('Invalid token or session expired.');
    expect((err as AuthError).message).not.toContain(bad);
  });

  it('sends the Bearer header to a v15 server and keeps the token out of the URL', async () => {
    const n = v15.requests.length;
    const dir = dataDir();
    await client(v15, { token: v15.apiToken }, { dir }).zones();
    const sent = since(v15, n);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${v15.apiToken}`);
    expect(sent[0]?.query.has('token')).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'dns', 'state.json'), 'utf8'))).toMatchObject({ apiMode: 'bearer' });
  });

  it('falls back to the token parameter on a pre-15 server, remembers it, and uses it directly next time', async () => {
    const dir = dataDir();
    const n = v14.requests.length;
    expect((await client(v14, { token: v14.apiToken }, { dir }).zones()).length).toBeGreaterThan(0);
    expect(since(v14, n).map((r) => r.query.has('token'))).toEqual([false, true]);
    const m = v14.requests.length;
    await client(v14, { token: v14.apiToken }, { dir }).zones();
    expect(since(v14, m).map((r) => r.query.get('token'))).toEqual([v14.apiToken]);
    expect(statSync(join(dir, 'dns', 'state.json')).mode & 0o777).toBe(0o600);
  });

  it('on a pre-15 server, reports a wrong token as refused (exit 5), not as the missing parameter the Bearer try drew', async () => {
    const n = v14.requests.length;
    const err = await client(v14, { token: 'e'.repeat(64) }, { dir: dataDir() }).zones().catch((e: unknown) => e);
    expect(since(v14, n).map((r) => r.query.has('token'))).toEqual([false, true]);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toContain('Invalid token or session expired.');
  });

  it('puts the token in the form body (not the URL) for writes in query mode', async () => {
    const n = v14.requests.length;
    await client(v14, { token: v14.apiToken }, { mode: 'query' }).flushCache();
    const [req] = since(v14, n);
    expect(req?.method).toBe('POST');
    expect(req?.query.has('token')).toBe(false);
    expect(new URLSearchParams(req?.body).get('token')).toBe(v14.apiToken);
  });

  it('sends booleans as true/false (the server refuses 1/0)', async () => {
    const n = v15.requests.length;
    await client(v15, { token: v15.apiToken }).records('home.lan', { zone: 'home.lan', listZone: true });
    expect(since(v15, n)[0]?.query.get('listZone')).toBe('true');
  });

  it('logs in with user and password, caches the session, and logs in again when it expires', async () => {
    const dir = dataDir();
    const creds = { user: v15.admin.user, password: v15.admin.password };
    const n = v15.requests.length;
    await client(v15, creds, { dir }).zones();
    expect(since(v15, n).map((r) => r.path)).toEqual(['/api/user/login', '/api/zones/list']);
    const login = since(v15, n)[0];
    expect(login?.method).toBe('POST');
    expect(login?.query.has('pass')).toBe(false);
    const m = v15.requests.length;
    await client(v15, creds, { dir }).zones();
    expect(since(v15, m).map((r) => r.path)).toEqual(['/api/zones/list']);
    v15.advanceClock(31 * 60_000);
    const k = v15.requests.length;
    expect((await client(v15, creds, { dir }).zones()).length).toBeGreaterThan(0);
    expect(since(v15, k).map((r) => r.path)).toEqual(['/api/zones/list', '/api/user/login', '/api/zones/list']);
    expect(since(v15, k)[0]?.status).toBe(200);
  });

  it('takes the token-passing mode of a session from the version the login reports', async () => {
    const dir = dataDir();
    const n = v14.requests.length;
    await client(v14, { user: v14.admin.user, password: v14.admin.password }, { dir }).zones();
    expect(since(v14, n).map((r) => [r.path, r.query.has('token'), r.headers.authorization ?? null])).toEqual([
      ['/api/user/login', false, null], ['/api/zones/list', true, null],
    ]);
  });

  it('says what to do for a wrong password and for an account with 2FA', async () => {
    const wrong = await client(v15, { user: 'admin', password: 'nope' }).zones().catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AuthError);
    expect((wrong as AuthError).hint).toContain('DNS_USER and DNS_PASSWORD');
    v15.auth.users.set('alice', { username: 'alice', password: 'alice-pass', displayName: 'Alice', totpSecret: 'JBSWY3DPEHPK3PXP' });
    const tfa = await client(v15, { user: 'alice', password: 'alice-pass' }).zones().catch((e: unknown) => e);
    expect(tfa).toBeInstanceOf(AuthError);
    expect((tfa as AuthError).message).toContain('two-factor');
    expect((tfa as AuthError).hint).toContain('DNS_TOKEN');
  });

  it('reports a server that is not Technitium (404) clearly', async () => {
    const http = new HttpClient({ service: 'dns', baseUrl: `${v15.url}/nothing`, retries: 0 });
    const err = await new DnsClient(http, { token: v15.apiToken }).zones().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toContain('Technitium');
  });
});
