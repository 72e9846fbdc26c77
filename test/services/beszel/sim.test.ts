/**
 * The Beszel simulator, checked with raw HTTP requests against the fact sheet
 * (shared/api/beszel.md): auth, rules, list envelope, filters, the empty list for a bad token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_USER, startBeszelSim, type BeszelSim } from '../../../src/services/beszel/sim/index.js';
import { guestById, guests } from '../../../src/lab/inventory.js';
import { trouble } from '../../../src/lab/trouble.js';

let sim: BeszelSim;

async function call(path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = init.token;
  const res = await fetch(`${sim.url}${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function login(collection = 'users', identity = sim.credentials.values.BESZEL_EMAIL, password = sim.credentials.values.BESZEL_PASSWORD): Promise<string> {
  const res = await call(`/api/collections/${collection}/auth-with-password`, { method: 'POST', body: JSON.stringify({ identity, password }) });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

beforeAll(async () => { sim = await startBeszelSim(); });
afterAll(async () => { await sim.close(); });

describe('beszel simulator', () => {
  it('answers the health check without auth', async () => {
    expect(await call('/api/health')).toEqual({ status: 200, body: { code: 200, message: 'API is healthy.', data: {} } });
  });

  it('logs in by email only and returns a JWT with exp and the record', async () => {
    const res = await call('/api/collections/users/auth-with-password', {
      method: 'POST', body: JSON.stringify({ identity: sim.credentials.values.BESZEL_EMAIL, password: sim.credentials.values.BESZEL_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const record = res.body.record as Record<string, unknown>;
    expect(record).toMatchObject({ collectionName: 'users', verified: true, role: 'admin' });
    expect(record).not.toHaveProperty('password');
    const payload = JSON.parse(Buffer.from(String(res.body.token).split('.')[1] ?? '', 'base64url').toString()) as { exp: number; id: string };
    expect(payload.id).toBe(record.id);
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000 + 86_400);
    const byName = await call('/api/collections/users/auth-with-password', { method: 'POST', body: JSON.stringify({ identity: 'admin', password: sim.credentials.values.BESZEL_PASSWORD }) });
    expect(byName).toEqual({ status: 400, body: { status: 400, message: 'Failed to authenticate.', data: {} } });
  });

  it('refuses blank fields with per-field data', async () => {
    const res = await call('/api/collections/users/auth-with-password', { method: 'POST', body: JSON.stringify({ identity: 'x@y.z' }) });
    expect(res.status).toBe(400);
    expect(res.body.data).toEqual({ password: { code: 'validation_required', message: 'Cannot be blank.' } });
  });

  it('lists every inventory system with short info keys; the stopped guest is down and the full disk shows', async () => {
    const token = await login();
    const res = await call('/api/collections/systems/records?perPage=100&sort=name', { token });
    expect(res.status).toBe(200);
    const items = res.body.items as { name: string; status: string; info: Record<string, unknown>; port: string; collectionName: string }[];
    const expected = ['pve1', 'pve2', ...guests.filter((g) => g.beszel).map((g) => g.name)].sort();
    expect(items.map((i) => i.name)).toEqual(expected);
    expect(res.body).toMatchObject({ page: 1, perPage: 100, totalItems: expected.length, totalPages: 1 });
    const media = items.find((i) => i.name === guests.find((g) => g.vmid === trouble.stoppedGuest)?.name);
    expect(media?.status).toBe('down');
    const pbs = items.find((i) => i.name === trouble.fullDiskSystem);
    expect(Number(pbs?.info.dp)).toBeGreaterThan(93);
    expect(pbs?.port).toBe('45876');
    expect(items.find((i) => i.name === 'pve1')?.info).toHaveProperty('dt');
  });

  it('returns an empty list, not an error, for a missing or invalidated token', async () => {
    const token = await login();
    expect(((await call('/api/collections/systems/records', { token })).body.items as unknown[]).length).toBeGreaterThan(0);
    sim.expireTokens();
    const stale = await call('/api/collections/systems/records', { token });
    expect(stale).toEqual({ status: 200, body: { page: 1, perPage: 30, totalItems: 0, totalPages: 0, items: [] } });
    expect((await call('/api/collections/systems/records')).body.items).toEqual([]);
    const refresh = await call('/api/collections/users/auth-refresh', { method: 'POST', token });
    expect(refresh.status).toBe(401);
    const fresh = await login();
    expect((await call('/api/collections/users/auth-refresh', { method: 'POST', token: `Bearer ${fresh}` })).status).toBe(200);
  });

  it('lets a user see only their own systems', async () => {
    const token = await login('users', OTHER_USER.email, OTHER_USER.password);
    expect((await call('/api/collections/systems/records', { token })).body.totalItems).toBe(0);
    expect((await call('/api/collections/users/auth-refresh', { method: 'POST', token })).status).toBe(200);
  });

  it('pages, filters, sorts, trims fields and skips totals', async () => {
    const token = await login();
    const id = sim.systemId('pve1');
    const q = new URLSearchParams({ filter: `system='${id}' && type='1m'`, sort: '-created', perPage: '1', fields: 'created,stats', skipTotal: '1' });
    const res = await call(`/api/collections/system_stats/records?${q}`, { token });
    expect(res.body).toMatchObject({ page: 1, perPage: 1, totalItems: -1, totalPages: -1 });
    const items = res.body.items as Record<string, unknown>[];
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(['created', 'stats']);
    expect(String(items[0]?.created)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
    const all = await call(`/api/collections/system_stats/records?${new URLSearchParams({ filter: `system='${id}' && type='1m'`, perPage: '5000' })}`, { token });
    expect(all.body).toMatchObject({ perPage: 1000, totalItems: 60 });
    const since = (all.body.items as { created: string }[])[50]?.created ?? '';
    const newer = await call(`/api/collections/system_stats/records?${new URLSearchParams({ filter: `system = "${id}" && type = '1m' && created > '${since}'` })}`, { token });
    expect(newer.body.totalItems).toBe(9);
    const page2 = await call(`/api/collections/system_stats/records?${new URLSearchParams({ filter: `system='${id}'`, page: '2', perPage: '50' })}`, { token });
    // Every bucket the hub keeps: 60 of 1m, 72 of 10m, 72 of 20m, 84 of 120m, 90 of 480m.
    expect(page2.body).toMatchObject({ page: 2, totalItems: 378, totalPages: 8 });
    expect((page2.body.items as unknown[]).length).toBe(50);
  });

  it('refuses bad filters and sort fields with 400', async () => {
    const token = await login();
    const bad = await call(`/api/collections/systems/records?${new URLSearchParams({ filter: "nope = 'x'" })}`, { token });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 400, data: {} });
    expect((await call(`/api/collections/systems/records?${new URLSearchParams({ filter: "name = 'x" })}`, { token })).status).toBe(400);
    expect((await call('/api/collections/systems/records?sort=-nope', { token })).status).toBe(400);
  });

  it('has no view rule on stats and alerts (403), a member view on systems', async () => {
    const token = await login();
    const id = sim.systemId('pve1');
    expect((await call(`/api/collections/systems/records/${id}`, { token })).body).toMatchObject({ id, name: 'pve1' });
    expect((await call(`/api/collections/systems/records/${id}`)).status).toBe(404);
    const alerts = await call('/api/collections/alerts/records?perPage=200', { token });
    const first = (alerts.body.items as { id: string }[])[0];
    const view = await call(`/api/collections/alerts/records/${first?.id}`, { token });
    expect(view).toEqual({ status: 403, body: { status: 403, message: 'Only superusers can perform this action.', data: {} } });
    const su = await login('_superusers');
    expect((await call(`/api/collections/alerts/records/${first?.id}`, { token: su })).status).toBe(200);
  });

  it('seeds triggered alerts for the down system and the full disk', async () => {
    const token = await login();
    const res = await call(`/api/collections/alerts/records?${new URLSearchParams({ filter: 'triggered = true', perPage: '200' })}`, { token });
    const items = res.body.items as { name: string; system: string }[];
    const names = items.map((a) => `${a.name}:${a.system}`).sort();
    const running = guestById(trouble.beszelDownWhileRunning).name;
    expect(names).toEqual([`Disk:${sim.systemId(trouble.fullDiskSystem)}`, `Status:${sim.systemId('media')}`, `Status:${sim.systemId(running)}`].sort());
  });

  it('carries container stats as arrays of short keys', async () => {
    const token = await login();
    const q = new URLSearchParams({ filter: `system='${sim.systemId('dockge')}'`, sort: '-created', perPage: '1' });
    const res = await call(`/api/collections/container_stats/records?${q}`, { token });
    const stats = (res.body.items as { stats: { n: string; c: number; m: number; b: number[] }[] }[])[0]?.stats ?? [];
    expect(stats.length).toBeGreaterThan(2);
    expect(stats[0]).toEqual({ n: expect.any(String), c: expect.any(Number), m: expect.any(Number), b: [expect.any(Number), expect.any(Number)] });
  });

  it('refuses unverified users with 403 and answers MFA hubs with 401 mfaId', async () => {
    const unverified = await startBeszelSim({ verified: false });
    const mfa = await startBeszelSim({ mfa: true });
    try {
      const body = JSON.stringify({ identity: unverified.credentials.values.BESZEL_EMAIL, password: unverified.credentials.values.BESZEL_PASSWORD });
      const a = await fetch(`${unverified.url}/api/collections/users/auth-with-password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(a.status).toBe(403);
      const b = await fetch(`${mfa.url}/api/collections/users/auth-with-password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(b.status).toBe(401);
      expect(await b.json()).toEqual({ mfaId: expect.stringMatching(/^[a-z0-9]{15}$/) });
    } finally {
      await unverified.close();
      await mfa.close();
    }
  });

  it('lets tokens expire by lifetime (tokenTtlSeconds): lists go empty, auth-refresh says 401', async () => {
    const short = await startBeszelSim({ tokenTtlSeconds: 0 });
    try {
      const body = JSON.stringify({ identity: short.credentials.values.BESZEL_EMAIL, password: short.credentials.values.BESZEL_PASSWORD });
      const login = await fetch(`${short.url}/api/collections/users/auth-with-password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const { token } = await login.json() as { token: string };
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number };
      expect(claims.exp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
      const list = await fetch(`${short.url}/api/collections/systems/records`, { headers: { authorization: token } });
      expect(await list.json()).toMatchObject({ totalItems: 0, items: [] });
      const refresh = await fetch(`${short.url}/api/collections/users/auth-refresh`, { method: 'POST', headers: { authorization: token } });
      expect(refresh.status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('pauses a system with PATCH, clearing info, and requires auth for /api/beszel/info', async () => {
    const token = await login();
    const id = sim.systemId('dns');
    const res = await call(`/api/collections/systems/records/${id}`, { method: 'PATCH', token, body: JSON.stringify({ status: 'paused' }) });
    expect(res.body).toMatchObject({ status: 'paused', info: {} });
    await call(`/api/collections/systems/records/${id}`, { method: 'PATCH', token, body: JSON.stringify({ status: 'pending' }) });
    expect((await call('/api/beszel/info')).status).toBe(401);
    expect((await call('/api/beszel/info', { token })).body).toMatchObject({ v: '0.18.8' });
  });
});
