/**
 * The NPM simulator, checked with raw HTTP requests against the fact sheet: token
 * login and expiry, the 400/403/404/500 auth answers, strict schemas, 201 creates,
 * domains unique across host types, soft deletes, nginx_online/nginx_err, 2FA, setup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP, Secret } from 'otpauth';
import { startProxySim, type ProxySim } from '../../../src/services/proxy/sim/index.js';

type Json = Record<string, unknown>;

async function api(sim: ProxySim, method: string, path: string, init: { token?: string; body?: unknown; raw?: string } = {}): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.url}${path}`, { method, headers, body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)), redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function login(sim: ProxySim, email = sim.users.automation.email, password = sim.users.automation.password): Promise<string> {
  const res = await api(sim, 'POST', '/api/tokens', { body: { identity: email, secret: password } });
  expect(res.status).toBe(200);
  return String((res.body as Json).token);
}

describe('NPM simulator', () => {
  let sim: ProxySim;
  let token: string;
  beforeAll(async () => {
    sim = await startProxySim();
    token = await login(sim);
  });
  afterAll(async () => { await sim.close(); });

  it('reports health with setup and version, and redirects /api', async () => {
    expect(await api(sim, 'GET', '/api/')).toEqual({ status: 200, body: { status: 'OK', setup: true, version: { major: 2, minor: 15, revision: 1 } } });
    const res = await fetch(`${sim.url}/api`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/api/');
  });

  it('logs in with identity/secret and refuses extra keys and wrong passwords with 400', async () => {
    const res = await api(sim, 'POST', '/api/tokens', { body: { identity: ' HOMELAB@home.lan ', secret: sim.users.automation.password } });
    expect(res.status).toBe(200);
    expect(Date.parse(String((res.body as Json).expires))).toBeGreaterThan(Date.now());
    const extra = await api(sim, 'POST', '/api/tokens', { body: { identity: sim.users.automation.email, secret: 'x', expiry: '1y' } });
    expect(extra).toEqual({ status: 400, body: { error: { code: 400, message: 'data must NOT have additional properties' } } });
    const wrong = await api(sim, 'POST', '/api/tokens', { body: { identity: sim.users.automation.email, secret: 'nope' } });
    expect(wrong).toEqual({ status: 400, body: { error: { code: 400, message: 'Invalid email or password', message_i18n: 'error.invalid-auth' } } });
  });

  it('answers no token 403, a garbage token 500, lower-case bearer 403', async () => {
    expect((await api(sim, 'GET', '/api/nginx/proxy-hosts')).status).toBe(403);
    expect(await api(sim, 'GET', '/api/nginx/proxy-hosts', { token: 'abc.def.ghi' })).toEqual({ status: 500, body: { error: { code: 500, message: 'Internal Error' } } });
    const res = await fetch(`${sim.url}/api/nginx/proxy-hosts`, { headers: { authorization: `bearer ${token}` } });
    expect(res.status).toBe(403);
  });

  it('expires tokens on its clock with 400 Token has expired, and refreshes valid ones', async () => {
    const own = await login(sim);
    const refreshed = await api(sim, 'GET', '/api/tokens?expiry=7d', { token: own });
    expect(refreshed.status).toBe(200);
    const days = (Date.parse(String((refreshed.body as Json).expires)) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(7);
    sim.advanceClock(2 * 86_400_000);
    try {
      expect(await api(sim, 'GET', '/api/nginx/proxy-hosts', { token: own })).toEqual({ status: 400, body: { error: { code: 400, message: 'Token has expired' } } });
      expect((await api(sim, 'GET', '/api/nginx/proxy-hosts', { token: String((refreshed.body as Json).token) })).status).toBe(200);
    } finally {
      sim.advanceClock(-2 * 86_400_000);
    }
  });

  it('lists the seeded proxy hosts sorted by domain with nginx state', async () => {
    const res = await api(sim, 'GET', '/api/nginx/proxy-hosts?expand=certificate,access_list', { token });
    const hosts = res.body as Json[];
    const domains = hosts.map((h) => (h.domain_names as string[])[0]);
    expect(domains).toEqual([...domains].sort());
    expect(domains).toContain('git.home.lan');
    const git = hosts.find((h) => (h.domain_names as string[])[0] === 'git.home.lan') as Json;
    expect(git).toMatchObject({ forward_host: '10.5.0.12', forward_port: 3000, enabled: true, meta: { nginx_online: true, nginx_err: null } });
    expect((git.certificate as Json).meta).toEqual({});
    expect(hosts.some((h) => h.access_list !== null)).toBe(true);
    expect('is_deleted' in git).toBe(false);
  });

  it('keeps private keys in custom certificate meta and the expiring git certificate', async () => {
    const certs = (await api(sim, 'GET', '/api/nginx/certificates', { token })).body as Json[];
    expect(certs.find((c) => c.provider === 'other')?.meta).toHaveProperty('certificate_key');
    const git = certs.find((c) => c.nice_name === 'git.home.lan') as Json;
    const days = (Date.parse(`${String(git.expires_on).replace(' ', 'T')}Z`) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(5);
  });

  it('creates with 201, refuses unknown keys, bad patterns and used domains', async () => {
    const created = await api(sim, 'POST', '/api/nginx/proxy-hosts', { token, body: { domain_names: ['new.home.lan'], forward_scheme: 'http', forward_host: '10.5.0.40', forward_port: 8080 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ meta: {}, ssl_forced: false, locations: null, certificate: null, access_list: null, owner: { email: 'homelab@home.lan' } });
    const id = Number((created.body as Json).id);
    expect((await api(sim, 'GET', `/api/nginx/proxy-hosts/${id}`, { token })).body).toMatchObject({ meta: { nginx_online: true, nginx_err: null } });
    expect((await api(sim, 'POST', '/api/nginx/proxy-hosts', { token, body: { domain_names: ['x.home.lan'], forward_scheme: 'http', forward_host: 'h', forward_port: 1, id: 3 } })).body)
      .toEqual({ error: { code: 400, message: 'data must NOT have additional properties' } });
    const pattern = await api(sim, 'POST', '/api/nginx/proxy-hosts', { token, body: { domain_names: ['bad name'], forward_scheme: 'http', forward_host: 'h', forward_port: 1 } });
    expect((pattern.body as { error: Json }).error.message).toMatch(/^data\/domain_names\/0 must match pattern/);
    const port = await api(sim, 'POST', '/api/nginx/proxy-hosts', { token, body: { domain_names: ['y.home.lan'], forward_scheme: 'http', forward_host: 'h', forward_port: 70000 } });
    expect((port.body as { error: Json }).error.message).toBe('data/forward_port must be <= 65535');
    const dup = await api(sim, 'POST', '/api/nginx/proxy-hosts', { token, body: { domain_names: ['wiki.home.lan'], forward_scheme: 'http', forward_host: 'h', forward_port: 1 } });
    expect(dup).toEqual({ status: 400, body: { error: { code: 400, message: 'wiki.home.lan is already in use' } } });
  });

  it('updates partially, soft-deletes and keeps counting ids', async () => {
    const a = (await api(sim, 'POST', '/api/nginx/proxy-hosts', { token, body: { domain_names: ['a.home.lan'], forward_scheme: 'http', forward_host: '10.5.0.41', forward_port: 80, block_exploits: true } })).body as Json;
    const put = await api(sim, 'PUT', `/api/nginx/proxy-hosts/${a.id}`, { token, body: { forward_port: 81 } });
    expect(put.body).toMatchObject({ forward_port: 81, block_exploits: true, forward_host: '10.5.0.41' });
    expect((await api(sim, 'PUT', `/api/nginx/proxy-hosts/${a.id}`, { token, body: {} })).status).toBe(400);
    expect(await api(sim, 'DELETE', `/api/nginx/proxy-hosts/${a.id}`, { token })).toEqual({ status: 200, body: true });
    expect(await api(sim, 'GET', `/api/nginx/proxy-hosts/${a.id}`, { token })).toEqual({ status: 404, body: { error: { code: 404, message: `Not Found - ${a.id}` } } });
    const b = (await api(sim, 'POST', '/api/nginx/proxy-hosts', { token, body: { domain_names: ['a.home.lan'], forward_scheme: 'http', forward_host: '10.5.0.41', forward_port: 80 } })).body as Json;
    expect(Number(b.id)).toBe(Number(a.id) + 1);
  });

  it('refuses enabling an enabled host, and reports a bad advanced_config in nginx_err', async () => {
    const h = (await api(sim, 'POST', '/api/nginx/proxy-hosts', { token, body: { domain_names: ['broken.home.lan'], forward_scheme: 'http', forward_host: '10.5.0.42', forward_port: 80, advanced_config: 'proxy_pass_bogus on;' } })).body as Json;
    expect(await api(sim, 'POST', `/api/nginx/proxy-hosts/${h.id}/enable`, { token })).toEqual({ status: 400, body: { error: { code: 400, message: 'Host is already enabled' } } });
    const got = (await api(sim, 'GET', `/api/nginx/proxy-hosts/${h.id}`, { token })).body as { meta: Json };
    expect(got.meta.nginx_online).toBe(false);
    expect(String(got.meta.nginx_err)).toContain('unknown directive "proxy_pass_bogus"');
    expect(await api(sim, 'POST', `/api/nginx/proxy-hosts/${h.id}/disable`, { token })).toEqual({ status: 200, body: true });
  });

  it('lists redirects, streams, dead hosts, access lists (masked), audit log newest first', async () => {
    expect(((await api(sim, 'GET', '/api/nginx/redirection-hosts', { token })).body as Json[])[0]).toMatchObject({ forward_http_code: 301 });
    expect(((await api(sim, 'GET', '/api/nginx/streams', { token })).body as Json[])[0]).toMatchObject({ incoming_port: 2222, forwarding_port: 22 });
    expect(((await api(sim, 'GET', '/api/nginx/dead-hosts', { token })).body as Json[])).toHaveLength(1);
    const lists = (await api(sim, 'GET', '/api/nginx/access-lists?expand=items,clients', { token })).body as Json[];
    expect(lists[0]).toMatchObject({ name: 'LAN only', items: [{ username: 'admin', password: '', hint: 'l*************' }] });
    const audit = (await api(sim, 'GET', '/api/audit-log', { token })).body as Json[];
    expect(Number(audit[0]?.id)).toBeGreaterThan(Number(audit[1]?.id));
  });

  it('answers unknown and trailing-slash routes with 404 Not Found - path', async () => {
    expect(await api(sim, 'GET', '/api/nginx/proxy-hosts/', { token })).toEqual({ status: 404, body: { error: { code: 404, message: 'Not Found - /nginx/proxy-hosts/' } } });
  });

  it('asks for a second factor for a 2FA account and completes with a TOTP code', async () => {
    const first = await api(sim, 'POST', '/api/tokens', { body: { identity: sim.users.twoFactor.email, secret: sim.users.twoFactor.password } });
    expect(first.body).toMatchObject({ requires_2fa: true });
    const code = new TOTP({ secret: Secret.fromBase32(sim.users.twoFactor.totpSecret) }).generate();
    const done = await api(sim, 'POST', '/api/tokens/2fa', { body: { challenge_token: (first.body as Json).challenge_token, code } });
    expect(done.status).toBe(200);
    expect(done.body).toHaveProperty('token');
    expect((await api(sim, 'GET', '/api/nginx/proxy-hosts', { token: String((first.body as Json).challenge_token) })).status).toBe(403);
  });
});

describe('NPM simulator before setup', () => {
  let sim: ProxySim;
  beforeAll(async () => { sim = await startProxySim({ setup: false, unauthenticatedStatus: 404 }); });
  afterAll(async () => { await sim.close(); });

  it('reports setup false, accepts the first user without auth as admin', async () => {
    expect((await api(sim, 'GET', '/api/')).body).toMatchObject({ setup: false });
    expect((await api(sim, 'GET', '/api/nginx/proxy-hosts')).body).toEqual({ error: { code: 404, message: 'Not Found - /nginx/proxy-hosts' } });
    const created = await api(sim, 'POST', '/api/users', { body: { name: 'Me', nickname: 'me', email: 'me@home.lan', roles: [], auth: { type: 'password', secret: 'longenough' } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ roles: ['admin'] });
    expect((await api(sim, 'GET', '/api/')).body).toMatchObject({ setup: true });
    expect((await api(sim, 'POST', '/api/users', { body: { name: 'X', nickname: 'x', email: 'x@home.lan' } })).status).toBe(403);
  });
});
