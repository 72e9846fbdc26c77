/**
 * The Kuma client against the simulator over real sockets: `/metrics` with the API key,
 * the Socket.IO session (token cache and `loginByToken`, reconnect with `loginByToken`,
 * the 2FA paths, unanswered first calls), both callback styles, and editMonitor's
 * fetch-change-send-whole.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOTP, Secret } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, ConfigError, NotFoundError } from '../../../src/core/errors.js';
import { KumaClient, type KumaClientOptions } from '../../../src/services/kuma/client.js';
import { KumaTokenCache } from '../../../src/services/kuma/token-cache.js';
import { startKumaSim, type KumaSim, type KumaSimOptions } from '../../../src/services/kuma/sim/index.js';

const dirs: string[] = [];
const clients: KumaClient[] = [];

function client(sim: KumaSim, options: Partial<KumaClientOptions> & { dir?: string } = {}): KumaClient {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'kuma-client-'));
  dirs.push(dir);
  const v = sim.credentials.values;
  const c = new KumaClient({
    url: sim.url, timeoutMs: 3000, apiKey: v.KUMA_API_KEY, username: v.KUMA_USERNAME, password: v.KUMA_PASSWORD, totpSecret: v.KUMA_TOTP_SECRET,
    tokens: new KumaTokenCache(dir, sim.url, v.KUMA_USERNAME ?? ''), ...options,
  });
  clients.push(c);
  return c;
}

const eventsSince = (sim: KumaSim): (() => string[]) => {
  const start = sim.events.length;
  return () => sim.events.slice(start).map((e) => e.event);
};

afterEach(async () => { while (clients.length) await clients.pop()?.close(); });
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('Kuma client (2.x)', () => {
  let sim: KumaSim;
  beforeAll(async () => { sim = await startKumaSim({ afterLoginDelayMs: 20 }); });
  afterAll(async () => { await sim.close(); });

  it('reads /metrics with the API key and no socket at all', async () => {
    const before = sim.connectionCount();
    const states = await client(sim).metrics();
    expect(states[0]).toMatchObject({ name: 'media', status: 'down', responseMs: null, certDaysLeft: 48, type: 'http', target: 'https://media.home.lan' });
    expect(states.find((s) => s.name === 'forgejo')).toMatchObject({ certDaysLeft: 5, certValid: true, status: 'up', id: sim.monitorId('forgejo') });
    expect(states.find((s) => s.name === 'pve1')).toMatchObject({ type: 'ping', target: '10.5.0.1', certDaysLeft: null });
    expect(states.find((s) => s.name === 'beszel-heartbeat')?.target).toBe('-');
    expect(sim.connectionCount()).toBe(before);
    expect(sim.requests.at(-1)?.headers.authorization).toMatch(/^Basic /);
  });

  it('refuses a wrong API key as an auth error (exit 5)', async () => {
    const err = await client(sim, { apiKey: 'uk1_wrongwrongwrong' }).metrics().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).hint).toContain('API key');
  });

  it('logs in with the password once, keeps the token 0600, and uses loginByToken next time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuma-token-'));
    dirs.push(dir);
    const first = await client(sim, { dir }).socket();
    expect(first.logins).toEqual({ token: 0, password: 1 });
    expect(statSync(join(dir, 'kuma', 'token.json')).mode & 0o777).toBe(0o600);
    const events = eventsSince(sim);
    const second = await client(sim, { dir }).socket();
    expect(second.logins).toEqual({ token: 1, password: 0 });
    expect(events()).toEqual(['loginByToken']);
  });

  it('falls back to the password when the cached token is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuma-stale-'));
    dirs.push(dir);
    await client(sim, { dir }).socket();
    sim.auth.rotateSecret();
    const events = eventsSince(sim);
    const session = await client(sim, { dir }).socket();
    expect(session.logins).toEqual({ token: 0, password: 1 });
    expect(events()).toEqual(['loginByToken', 'login']);
  });

  it('reconnects after a network drop and logs in again with loginByToken before the next call', async () => {
    const c = client(sim);
    const session = await c.socket();
    await session.monitorList();
    const events = eventsSince(sim);
    sim.dropConnections();
    const media = await c.resolve('media');
    const ack = await session.expectOk('pauseMonitor', [media.id], true);
    expect(ack.ok).toBe(true);
    const seen = events();
    expect(seen).toContain('loginByToken');
    expect(seen.indexOf('loginByToken')).toBeLessThan(seen.indexOf('pauseMonitor'));
    expect(seen).not.toContain('login');
    expect(session.logins.token).toBeGreaterThanOrEqual(1);
    expect(sim.state.monitors.get(media.id)?.active).toBe(false);
    await session.expectOk('resumeMonitor', [media.id], true);
  });

  it('resolves monitors by id or name, case-insensitively, and refuses unknown ones', async () => {
    const c = client(sim);
    expect((await c.resolve('Forgejo')).id).toBe(sim.monitorId('forgejo'));
    expect((await c.resolve(String(sim.monitorId('pve2')))).name).toBe('pve2');
    // Not found, for a plan's undo ("nothing to undo"), and still a usage error's exit 2 for the user.
    await expect(c.resolve('nosuch')).rejects.toSatisfy((e) => e instanceof NotFoundError && e.exitCode === 2);
    await expect(c.resolve('9999')).rejects.toThrow('no monitor with id 9999');
  });

  it('keeps the monitor map current from updateMonitorIntoList and deleteMonitorFromList', async () => {
    const c = client(sim);
    const session = await c.socket();
    const list = await session.monitorList();
    const added = await session.expectOk('add', [{ type: 'ping', name: 'tmp-map', hostname: '10.5.0.99', interval: 60, retryInterval: 60, accepted_statuscodes: ['200-299'], conditions: [], notificationIDList: {} }], false);
    const id = Number(added.monitorID);
    await expect.poll(() => list.get(id)?.name).toBe('tmp-map');
    await session.expectOk('deleteMonitor', [id], false);
    await expect.poll(() => list.has(id)).toBe(false);
  });

  it('needs the username and password for the socket, not for /metrics', async () => {
    const c = client(sim, { username: undefined, password: undefined });
    await expect(c.socket()).rejects.toBeInstanceOf(ConfigError);
    expect((await c.metrics()).length).toBeGreaterThan(5);
  });

  it('reports a wrong password as an auth error with the message translated from the i18n key', async () => {
    const err = await client(sim, { password: 'not-it-12345' }).socket().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toBe('kuma: login refused: incorrect username or password');
    expect((err as AuthError).message).not.toContain('not-it-12345');
  });
});

describe('Kuma client with 2FA', () => {
  const secret = new Secret({ size: 20 }).base32;
  let sim: KumaSim;
  beforeAll(async () => { sim = await startKumaSim({ totpSecret: secret, afterLoginDelayMs: 0 }); });
  afterAll(async () => { await sim.close(); });

  it('generates the code from KUMA_TOTP_SECRET, then never needs it again thanks to the token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuma-2fa-'));
    dirs.push(dir);
    const session = await client(sim, { dir }).socket();
    expect(session.logins.password).toBe(1);
    const again = await client(sim, { dir, totpSecret: undefined }).socket();
    expect(again.logins).toEqual({ token: 1, password: 0 });
  });

  it('asks the surface for the code when there is no KUMA_TOTP_SECRET', async () => {
    const questions: string[] = [];
    // codes are single-use: answer with the next period's code, which the server's ±1 window accepts
    const prompt = async (q: string): Promise<string> => { questions.push(q); return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + 30_000 }); };
    const session = await client(sim, { totpSecret: undefined, prompt }).socket();
    expect(questions).toEqual(['Uptime Kuma 2FA code:']);
    expect(session.logins.password).toBe(1);
    const logins = sim.events.filter((e) => e.event === 'login');
    expect(logins.at(-2)?.args[0]).not.toHaveProperty('token');
    expect((logins.at(-1)?.args[0] as { token?: string }).token).toMatch(/^\d{6}$/);
  });

  it('says how to get a code when it can neither ask nor generate one (exit 3)', async () => {
    const err = await client(sim, { totpSecret: undefined }).socket().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).hint).toContain('KUMA_TOTP_SECRET');
  });
});

describe('Kuma client against 1.23 and a server that drops its first calls', () => {
  const start = (o: KumaSimOptions): Promise<KumaSim> => startKumaSim({ afterLoginDelayMs: 0, ...o });

  it('retries an unanswered login, then works', async () => {
    const sim = await start({ unansweredFirstCalls: 1 });
    try {
      const session = await client(sim, { timeoutMs: 1000 }).socket();
      expect(session.logins.password).toBe(1);
      expect(sim.events.filter((e) => e.event === 'login')).toHaveLength(2);
    } finally {
      await sim.close();
    }
  });

  it('reads the 1.23 English callbacks and its full monitorList re-sends', async () => {
    const sim = await start({ version: '1.23.17' });
    try {
      const c = client(sim);
      const session = await c.socket();
      await session.monitorList();
      expect(await session.serverVersion()).toBe('1.23.17');
      const id = (await c.resolve('proxy')).id;
      const ack = await session.expectOk('pauseMonitor', [id], true);
      expect(ack.msg).toBe('Paused Successfully.');
      await expect.poll(() => session.monitors.get(id)?.active).toBe(false);
      const refused = await session.expectOk('pauseMonitor', [424242], true).catch((e: unknown) => e);
      expect((refused as Error).message).toBe('kuma: pauseMonitor refused: You do not own this monitor.');
    } finally {
      await sim.close();
    }
  });

  it('pins the TLS certificate of an HTTPS server for the socket and /metrics', async () => {
    const sim = await startKumaSim({ tls: true, afterLoginDelayMs: 0 });
    try {
      expect(sim.fingerprint).toBeTruthy();
      const good = client(sim, { fingerprint: sim.fingerprint });
      expect((await good.metrics()).length).toBeGreaterThan(5);
      expect((await good.socket()).logins.password).toBe(1);
      const events = eventsSince(sim);
      const bad = client(sim, { fingerprint: Array(32).fill('AB').join(':'), timeoutMs: 800 });
      await expect(bad.metrics()).rejects.toThrow(/does not match the pinned/);
      await expect(bad.socket()).rejects.toThrow();
      expect(events()).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
