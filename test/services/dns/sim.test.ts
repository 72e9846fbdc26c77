/**
 * The Technitium simulator, checked with raw HTTP requests against the fact sheet:
 * 200-with-status envelopes, token in header (v15+) or parameter, destructive update
 * defaults, CNAME rules, PTR side effects, session idle timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsSim, type DnsSim } from '../../../src/services/dns/sim/index.js';

type Envelope = { status: string; errorMessage?: string; response?: Record<string, unknown>; server?: string; [k: string]: unknown };

async function call(sim: DnsSim, path: string, params: Record<string, string>, init: { bearer?: string; post?: boolean } = {}): Promise<{ http: number; body: Envelope }> {
  const qs = new URLSearchParams(params).toString();
  const headers: Record<string, string> = init.bearer ? { authorization: `Bearer ${init.bearer}` } : {};
  const res = init.post
    ? await fetch(`${sim.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: qs })
    : await fetch(`${sim.url}${path}?${qs}`, { headers });
  return { http: res.status, body: (await res.json()) as Envelope };
}

type Rec = { name: string; type: string; ttl: number; disabled: boolean; comments?: string; rData: Record<string, unknown> };

async function records(sim: DnsSim, domain: string): Promise<Rec[]> {
  const { body } = await call(sim, '/api/zones/records/get', { domain }, { bearer: sim.apiToken });
  expect(body.status).toBe('ok');
  return (body.response as { records: Rec[] }).records;
}

describe('Technitium simulator (v15)', () => {
  let sim: DnsSim;
  beforeAll(async () => { sim = await startDnsSim(); });
  afterAll(async () => { await sim.close(); });

  it('answers errors with HTTP 200 and status error', async () => {
    const { http, body } = await call(sim, '/api/zones/records/get', { domain: 'nope.example' }, { bearer: sim.apiToken });
    expect(http).toBe(200);
    expect(body.status).toBe('error');
    expect(body.errorMessage).toMatch(/No authoritative zone/);
  });

  it('answers a missing or unknown token with invalid-token (HTTP 200)', async () => {
    const none = await call(sim, '/api/zones/list', {});
    expect(none.http).toBe(200);
    expect(none.body.status).toBe('invalid-token');
    const bad = await call(sim, '/api/zones/list', { token: 'f'.repeat(64) });
    expect(bad.body).toMatchObject({ status: 'invalid-token', errorMessage: 'Invalid token or session expired.' });
  });

  it('accepts the token as Bearer header and as query or form parameter', async () => {
    expect((await call(sim, '/api/zones/list', {}, { bearer: sim.apiToken })).body.status).toBe('ok');
    expect((await call(sim, '/api/zones/list', { token: sim.apiToken })).body.status).toBe('ok');
    expect((await call(sim, '/api/zones/list', { token: sim.apiToken }, { post: true })).body.status).toBe('ok');
  });

  it('lists the lab zones under response, with internal zones flagged', async () => {
    const { body } = await call(sim, '/api/zones/list', {}, { bearer: sim.apiToken });
    const zones = (body.response as { zones: { name: string; type: string; internal: boolean }[] }).zones;
    expect(body.server).toBe('dns.home.lan');
    expect(zones.find((z) => z.name === 'home.lan')).toMatchObject({ type: 'Primary', internal: false });
    expect(zones.find((z) => z.name === '0.5.10.in-addr.arpa')).toMatchObject({ type: 'Primary' });
    expect(zones.find((z) => z.name === 'localhost')?.internal).toBe(true);
    const paged = await call(sim, '/api/zones/list', { pageNumber: '1', zonesPerPage: '2' }, { bearer: sim.apiToken });
    expect(paged.body.response).toMatchObject({ pageNumber: 1, totalZones: zones.length });
    expect((paged.body.response as { zones: unknown[] }).zones).toHaveLength(2);
  });

  it('seeds a record per guest, CNAMEs and PTRs', async () => {
    const zone = (await call(sim, '/api/zones/records/get', { domain: 'home.lan', listZone: 'true' }, { bearer: sim.apiToken })).body;
    const all = (zone.response as { records: Rec[] }).records;
    expect(all.find((r) => r.name === 'forgejo.home.lan' && r.type === 'A')?.rData).toEqual({ ipAddress: '10.5.0.12' });
    expect(all.find((r) => r.name === 'git.home.lan')?.rData).toEqual({ cname: 'proxy.home.lan' });
    expect(all.some((r) => r.type === 'TXT')).toBe(true);
    expect(all.length).toBeGreaterThan(12);
    const ptr = await records(sim, '12.0.5.10.in-addr.arpa');
    expect(ptr[0]?.rData).toEqual({ ptrName: 'forgejo.home.lan' });
  });

  it('rejects booleans that are not true/false, as bool.Parse does', async () => {
    const { body } = await call(sim, '/api/zones/records/get', { domain: 'home.lan', listZone: '1' }, { bearer: sim.apiToken });
    expect(body).toMatchObject({ status: 'error', errorMessage: "String '1' was not recognized as a valid Boolean." });
  });

  it('adds an A record with its PTR, and deleting it removes the PTR', async () => {
    const add = await call(sim, '/api/zones/records/add', { domain: 'myhost.home.lan', type: 'A', ipAddress: '10.5.0.50', ttl: '600', ptr: 'true', comments: 'test' }, { bearer: sim.apiToken, post: true });
    expect(add.body.status).toBe('ok');
    expect(add.body.response).toMatchObject({ addedRecord: { name: 'myhost.home.lan', type: 'A', ttl: 600, comments: 'test', rData: { ipAddress: '10.5.0.50' } } });
    expect((await records(sim, '50.0.5.10.in-addr.arpa'))[0]?.rData).toEqual({ ptrName: 'myhost.home.lan' });
    const del = await call(sim, '/api/zones/records/delete', { domain: 'myhost.home.lan', type: 'A', ipAddress: '10.5.0.50' }, { bearer: sim.apiToken, post: true });
    expect(del.body).toMatchObject({ status: 'ok', response: {} });
    expect(await records(sim, '50.0.5.10.in-addr.arpa')).toEqual([]);
    const again = await call(sim, '/api/zones/records/delete', { domain: 'myhost.home.lan', type: 'A', ipAddress: '10.5.0.50' }, { bearer: sim.apiToken });
    expect(again.body).toMatchObject({ status: 'error', errorMessage: 'Cannot delete record: no such record exists.' });
  });

  it('refuses a PTR with no reverse zone before changing anything, on add and on update', async () => {
    const opts = { bearer: sim.apiToken, post: true };
    const add = await call(sim, '/api/zones/records/add', { domain: 'noptr.home.lan', type: 'A', ipAddress: '192.168.77.5', ptr: 'true' }, opts);
    expect(add.body).toMatchObject({ status: 'error', errorMessage: expect.stringContaining('No reverse zone available') });
    expect(await records(sim, 'noptr.home.lan')).toEqual([]);
    await call(sim, '/api/zones/records/add', { domain: 'noptr.home.lan', type: 'A', ipAddress: '10.5.0.77', ptr: 'true' }, opts);
    const upd = await call(sim, '/api/zones/records/update', { domain: 'noptr.home.lan', type: 'A', ipAddress: '10.5.0.77', newIpAddress: '192.168.77.5', ptr: 'true' }, opts);
    expect(upd.body.status).toBe('error');
    expect((await records(sim, 'noptr.home.lan')).map((r) => r.rData)).toEqual([{ ipAddress: '10.5.0.77' }]);
    expect((await records(sim, '77.0.5.10.in-addr.arpa')).map((r) => r.rData)).toEqual([{ ptrName: 'noptr.home.lan' }]);
  });

  it('resets TTL, disabled and comments on an update that omits them', async () => {
    await call(sim, '/api/zones/records/add', { domain: 'keep.home.lan', type: 'A', ipAddress: '10.5.0.60', ttl: '120', comments: 'note' }, { bearer: sim.apiToken });
    await call(sim, '/api/zones/records/update', { domain: 'keep.home.lan', type: 'A', ipAddress: '10.5.0.60', ttl: '120', comments: 'note', disable: 'true' }, { bearer: sim.apiToken });
    expect((await records(sim, 'keep.home.lan'))[0]).toMatchObject({ ttl: 120, disabled: true, comments: 'note' });
    const bare = await call(sim, '/api/zones/records/update', { domain: 'keep.home.lan', type: 'A', ipAddress: '10.5.0.60', newIpAddress: '10.5.0.61' }, { bearer: sim.apiToken });
    expect(bare.body.status).toBe('ok');
    const after = (await records(sim, 'keep.home.lan'))[0];
    expect(after).toMatchObject({ ttl: 3600, disabled: false, rData: { ipAddress: '10.5.0.61' } });
    expect(after?.comments).toBeUndefined();
  });

  it('refuses a second CNAME unless overwrite=true, and edits of internal zones', async () => {
    const dup = await call(sim, '/api/zones/records/add', { domain: 'git.home.lan', type: 'CNAME', cname: 'mgmt.home.lan' }, { bearer: sim.apiToken });
    expect(dup.body.status).toBe('error');
    const over = await call(sim, '/api/zones/records/add', { domain: 'git.home.lan', type: 'CNAME', value: 'proxy.home.lan', overwrite: 'true' }, { bearer: sim.apiToken });
    expect(over.body.status).toBe('ok');
    const internal = await call(sim, '/api/zones/records/add', { domain: 'x.localhost', type: 'A', ipAddress: '127.0.0.2' }, { bearer: sim.apiToken });
    expect(internal.body.errorMessage).toBe('Access was denied to manage internal DNS Server zone.');
  });

  it('reports a missing parameter and an invalid address', async () => {
    const missing = await call(sim, '/api/zones/records/add', { domain: 'a.home.lan', type: 'A' }, { bearer: sim.apiToken });
    expect(missing.body.errorMessage).toBe("Parameter 'ipAddress' missing.");
    const bad = await call(sim, '/api/zones/records/add', { domain: 'a.home.lan', type: 'A', ipAddress: '10.5.0.999' }, { bearer: sim.apiToken });
    expect(bad.body.status).toBe('error');
  });

  it('gives dashboard stats and flushes the cache', async () => {
    const before = await call(sim, '/api/dashboard/stats/get', { type: 'LastDay' }, { bearer: sim.apiToken });
    const stats = (before.body.response as { stats: Record<string, number> }).stats;
    expect(stats.totalQueries).toBeGreaterThan(stats.totalBlocked ?? 0);
    expect(stats.cachedEntries).toBeGreaterThan(0);
    expect((await call(sim, '/api/cache/flush', {}, { bearer: sim.apiToken, post: true })).body).toMatchObject({ status: 'ok', response: {} });
    const after = await call(sim, '/api/dashboard/stats/get', {}, { bearer: sim.apiToken });
    expect((after.body.response as { stats: Record<string, number> }).stats.cachedEntries).toBe(0);
  });

  it('logs in flat (not under response), and sessions die after the idle timeout', async () => {
    const login = await call(sim, '/api/user/login', { user: sim.admin.user, pass: sim.admin.password, includeInfo: 'true' }, { post: true });
    expect(login.body).toMatchObject({ status: 'ok', username: 'admin', info: { version: '15.2' } });
    expect(login.body.response).toBeUndefined();
    const token = String(login.body.token);
    expect((await call(sim, '/api/zones/list', {}, { bearer: token })).body.status).toBe('ok');
    sim.advanceClock(31 * 60_000);
    expect((await call(sim, '/api/zones/list', {}, { bearer: token })).body.status).toBe('invalid-token');
    expect((await call(sim, '/api/zones/list', {}, { bearer: sim.apiToken })).body.status).toBe('ok');
    const wrong = await call(sim, '/api/user/login', { user: 'admin', pass: 'nope' });
    expect(wrong.body.status).toBe('error');
  });

  it('answers an unknown /api/ path with HTTP 200 and status error (after the token check)', async () => {
    const unknown = await call(sim, '/api/allowed/list', {}, { bearer: sim.apiToken });
    expect(unknown).toMatchObject({ http: 200, body: { status: 'error', errorMessage: 'Invalid command: /api/allowed/list' } });
    const noToken = await call(sim, '/api/allowed/list', {});
    expect(noToken).toMatchObject({ http: 200, body: { status: 'invalid-token' } });
  });

  it('stores an IPv6 address in its canonical form and finds it written any way', async () => {
    const added = await call(sim, '/api/zones/records/add', { domain: 'v6c.home.lan', type: 'AAAA', ipAddress: 'FD00:0:0:0::70' }, { bearer: sim.apiToken, post: true });
    expect((added.body.response as { addedRecord: Rec }).addedRecord.rData).toEqual({ ipAddress: 'fd00::70' });
    const removed = await call(sim, '/api/zones/records/delete', { domain: 'v6c.home.lan', type: 'AAAA', ipAddress: 'fd00:0::70' }, { bearer: sim.apiToken, post: true });
    expect(removed.body.status).toBe('ok');
    expect((await records(sim, 'v6c.home.lan')).filter((r) => r.type === 'AAAA')).toEqual([]);
  });

  it('answers unknown non-API paths with an empty 404', async () => {
    const res = await fetch(`${sim.url}/nothing`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });
});

describe('Technitium simulator (v14)', () => {
  let sim: DnsSim;
  beforeAll(async () => { sim = await startDnsSim({ version: '14.3' }); });
  afterAll(async () => { await sim.close(); });

  it('ignores the Bearer header and takes only the token parameter (no parameter: the v14 missing-parameter error)', async () => {
    expect((await call(sim, '/api/zones/list', {}, { bearer: sim.apiToken })).body).toMatchObject({ status: 'error', errorMessage: "Parameter 'token' missing." });
    expect((await call(sim, '/api/zones/list', { token: sim.apiToken })).body.status).toBe('ok');
  });
});
