/**
 * The checks every request of the dashboard passes, over real sockets with explicit
 * headers: another site's request runs nothing and opens no session (a link followed gets
 * a page that leads on), told by Sec-Fetch-Site or, from a browser without it, by the
 * Origin or Referer, a loopback dashboard with a login answers loopback Host names
 * only (unless a proxy is named), every loopback address is one client to the login limit,
 * a form sent after the session ended gets a page saying nothing was done, a wrong method
 * is 405 with Allow, and the Origin must match the scheme too (a refusal behind a TLS proxy
 * saying what the proxy lacks).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginLimiter, clientOf } from '../../../src/surfaces/web/login-limiter.js';
import { hashPassword } from '../../../src/surfaces/web/passwords.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, csrfOf, startDashboard } from './helpers.js';

const lab = useLab({ services: ['pve'] });
const PASSWORD = 'correct horse battery';
let clock = Date.now();
let local: WebServer;
let login: WebServer;
let proxied: WebServer;

beforeAll(async () => {
  const passwords = new Map([['alice', await hashPassword(PASSWORD)]]);
  local = await startDashboard(lab.current, 'read');
  login = await startDashboard(lab.current, 'read', { passwords, now: () => clock, sessionLimits: { idleMs: 600_000 } });
  proxied = await startDashboard(lab.current, 'read', { passwords, trustProxy: ['127.0.0.1'] });
});
afterAll(async () => {
  await Promise.all([local, login, proxied].map((s) => s?.close()));
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request with exactly these headers (Host included), from `localAddress` when given. */
function raw(server: WebServer, method: string, path: string, headers: Record<string, string> = {}, body?: string, localAddress?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers, ...(localAddress ? { localAddress } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const CROSS_IMAGE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };
const CROSS_LINK = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };

describe('a request from another site', () => {
  it('runs nothing and opens no session in the login-free mode; a link followed gets a page that leads on', async () => {
    const before = local.state.sessions.size;
    for (const headers of [CROSS_IMAGE, { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' }, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' }]) {
      const res = await raw(local, 'GET', '/op/pve.nodes?refresh=true', headers);
      expect([headers['sec-fetch-site'], res.status]).toEqual([headers['sec-fetch-site'], 403]);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const home = await raw(local, 'GET', '/', CROSS_LINK);
    expect(home.status).toBe(200);
    expect(home.text).toContain('<a href="/">Open the dashboard</a>');
    expect(home.text).toContain('nothing has been run');
    expect(home.text).not.toContain('id="overview"');
    expect(home.headers['set-cookie']).toBeUndefined();
    const deep = await raw(local, 'GET', '/op/pve.nodes?refresh=true', CROSS_LINK);
    expect(deep.text).toContain('<a href="/op/pve.nodes?refresh=true">Open the dashboard</a>');
    expect(deep.text).not.toContain('pve1');
    expect(local.state.sessions.size).toBe(before);
    // The dashboard's own request, or a typed address, is served.
    for (const site of ['same-origin', 'none']) {
      const own = await raw(local, 'GET', '/', { 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate' });
      expect([site, own.status, own.text.includes('id="overview"')]).toEqual([site, 200, true]);
    }
  });

  it('runs nothing with a login either, though a same-site request carries the session cookie', async () => {
    const client = new WebClient(login.url);
    expect((await client.signIn('alice', PASSWORD)).status).toBe(303);
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    expect((await raw(login, 'GET', '/op/pve.nodes?refresh=true', { cookie })).status).toBe(200);
    expect((await raw(login, 'GET', '/op/pve.nodes?refresh=true', { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' })).status).toBe(403);
  });
});

describe('a request from another site, by a browser without Sec-Fetch-Site', () => {
  it('is judged by its Origin, else its Referer: another host runs nothing and opens no session', async () => {
    const before = local.state.sessions.size;
    const image = { accept: 'image/avif,image/webp,*/*' };
    const cases: Array<Record<string, string>> = [
      { ...image, referer: 'https://evil.example/page' },
      { ...image, referer: `http://127.0.0.1.evil.example:${local.port}/` },
      { accept: '*/*', origin: 'https://evil.example' },
      { accept: '*/*', origin: 'null' },
    ];
    for (const headers of cases) {
      const res = await raw(local, 'GET', '/op/pve.nodes?refresh=true', headers);
      expect([headers, res.status, res.text]).toEqual([headers, 403, 'Refused: this request comes from another site.']);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const posted = await raw(local, 'POST', '/op/pve.start', { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, 'vmid=201');
    expect([posted.status, posted.text]).toEqual([403, 'Refused: this request comes from another site.']);
    // A link followed (a GET asking for HTML) gets the page that leads on.
    const link = await raw(local, 'GET', '/op/pve.nodes?refresh=true', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', referer: 'https://mail.example/inbox' });
    expect(link.status).toBe(200);
    expect(link.text).toContain('<a href="/op/pve.nodes?refresh=true">Open the dashboard</a>');
    expect(link.text).not.toContain('pve1');
    expect(local.state.sessions.size).toBe(before);
    // The dashboard's own page as the Referer, or none (a typed address), is served.
    for (const headers of [{ accept: 'text/html', referer: `${local.url}/` }, { accept: 'text/html' }] as Array<Record<string, string>>) {
      const own = await raw(local, 'GET', '/op/pve.nodes', headers);
      expect([headers, own.status, own.text.includes('pve1')]).toEqual([headers, 200, true]);
    }
  });
});

describe('the Host header with a login', () => {
  it('is a loopback name on a loopback address without --trust-proxy, any name with it', async () => {
    const port = login.port;
    expect((await raw(login, 'GET', '/login', { host: `rebind.attacker.example:${port}` })).status).toBe(421);
    expect((await raw(login, 'POST', '/login', { host: `rebind.attacker.example:${port}`, origin: `http://rebind.attacker.example:${port}` }, 'user=alice&password=x')).status).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) expect([host, (await raw(login, 'GET', '/login', { host })).status]).toEqual([host, 200]);
    expect((await raw(proxied, 'GET', '/login', { host: 'dash.home.example' })).status).toBe(200);
  });
});

describe('the login limit on loopback', () => {
  it('counts 127.0.0.0/8, ::1 and ::ffff:127.x as one client', async () => {
    expect(new Set(['127.0.0.1', '127.0.0.2', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.3', '::ffff:7f00:4'].map(clientOf))).toEqual(new Set(['loopback']));
    expect(clientOf('10.0.0.1')).toBe('10.0.0.1');
    expect(clientOf('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(clientOf('128.0.0.1')).toBe('128.0.0.1');
    const limiter = new LoginLimiter();
    for (let i = 2; i < 7; i++) limiter.fail(`127.0.0.${i}`, 'bob');
    expect(limiter.retryAfterMs('127.0.0.200', 'bob')).toBeGreaterThan(0);
    expect(limiter.retryAfterMs('::1', 'bob')).toBeGreaterThan(0);
  });

  it('refuses a sixth wrong password from a sixth loopback address (429)', async () => {
    const server = await startDashboard(lab.current, 'read', { passwords: new Map([['carol', await hashPassword(PASSWORD)]]) });
    try {
      const attempt = async (from: string): Promise<number> => {
        const page = await raw(server, 'GET', '/login', {}, undefined, from);
        const token = (page.headers['set-cookie'] as string[]).find((l) => l.startsWith('homelab_login='))?.split(';')[0] as string;
        const body = new URLSearchParams({ _csrf: csrfOf(page.text), user: 'carol', password: 'wrong password', next: '/' }).toString();
        return (await raw(server, 'POST', '/login', { cookie: token, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body, from)).status;
      };
      for (let i = 2; i < 7; i++) expect(await attempt(`127.0.0.${i}`)).toBe(401);
      expect(await attempt('127.0.0.7')).toBe(429);
    } finally {
      await server.close();
    }
  });
});

describe('a form sent after the session ended', () => {
  it('gets the sign-in page saying nothing was done (401), with a link back to the page', async () => {
    const client = new WebClient(login.url);
    expect((await client.signIn('alice', PASSWORD)).status).toBe(303);
    const form = await client.get('/op/pve.start?vmid=201');
    const csrf = csrfOf(form.text);
    clock += 601_000;
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = new URLSearchParams({ _csrf: csrf, vmid: '201' }).toString();
    const sent = await raw(login, 'POST', '/op/pve.start', { cookie, origin: login.url, referer: `${login.url}/op/pve.start?vmid=201`, 'content-type': 'application/x-www-form-urlencoded' }, body);
    expect(sent.status).toBe(401);
    expect(sent.headers['content-type']).toContain('text/html');
    expect(sent.text).toContain('nothing was done');
    expect(sent.text).toContain('href="/login?next=%2Fop%2Fpve.start%3Fvmid%3D201"');
    // Without a Referer of this origin, back to the overview; a fragment still gets one line.
    const elsewhere = await raw(login, 'POST', '/op/pve.start', { origin: login.url, referer: 'http://other.example/x', 'content-type': 'application/x-www-form-urlencoded' }, body);
    expect([elsewhere.status, elsewhere.text.includes('href="/login"')]).toEqual([401, true]);
    const fragment = await raw(login, 'POST', '/op/pve.start', { origin: login.url, 'x-fragment': '1', 'content-type': 'application/x-www-form-urlencoded' }, body);
    expect([fragment.status, fragment.text]).toEqual([401, 'Sign in first.']);
    // A page is still a redirect to the sign-in form.
    const page = await raw(login, 'GET', '/s/pve');
    expect([page.status, page.headers.location]).toEqual([303, '/login?next=%2Fs%2Fpve']);
  });
});

describe('a wrong method', () => {
  it('is 405 with Allow on a path the dashboard serves, 404 on one it does not', async () => {
    const cases: Array<[string, string, string]> = [
      ['PUT', '/', 'GET, HEAD'], ['DELETE', '/', 'GET, HEAD'], ['PATCH', '/', 'GET, HEAD'], ['OPTIONS', '/', 'GET, HEAD'],
      ['POST', '/audit', 'GET, HEAD'], ['GET', '/logout', 'POST'], ['GET', '/confirm/x', 'POST'], ['DELETE', '/login', 'GET, HEAD, POST'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await raw(local, method, path);
      expect([method, path, res.status, res.headers.allow]).toEqual([method, path, 405, allow]);
    }
    expect((await raw(local, 'GET', '/nowhere')).status).toBe(404);
    // An unknown path with any method is no 405 (here the Origin check refuses the PUT first).
    const unknown = await raw(local, 'PUT', '/nowhere');
    expect([unknown.status, unknown.headers.allow]).toEqual([403, undefined]);
    expect((await raw(local, 'HEAD', '/audit')).status).toBe(200);
  });
});

describe('the Origin of a form', () => {
  it('must match the scheme too; with --trust-proxy, the proxy\'s X-Forwarded-Proto says which', async () => {
    const client = new WebClient(local.url);
    const csrf = csrfOf((await client.get('/op/pve.start?vmid=201')).text);
    const https = await client.post('/op/pve.start', { vmid: '201', _csrf: csrf }, { origin: local.url.replace('http:', 'https:') });
    expect([https.status, https.text.includes('(Origin)')]).toEqual([403, true]);
    expect((await client.post('/op/pve.start', { vmid: '201', _csrf: csrf })).text).toContain('read-only');
    // Behind a TLS proxy named with --trust-proxy: https is the browser's scheme, http is not.
    const host = `dash.home.example`;
    const form = 'user=alice&password=x&_csrf=y';
    const post = (origin: string, proto: string): Promise<Raw> => raw(proxied, 'POST', '/login', { host, origin, 'x-forwarded-proto': proto, 'content-type': 'application/x-www-form-urlencoded' }, form);
    const viaTls = await post(`https://${host}`, 'https');
    expect([viaTls.status, viaTls.text.includes('The sign-in form expired')]).toEqual([403, true]);
    const downgraded = await post(`http://${host}`, 'https');
    expect([downgraded.status, downgraded.text.includes('(Origin)')]).toEqual([403, true]);
    // A TLS proxy not named: its https Origin is refused, with what to do.
    const untrusted = await raw(login, 'POST', '/login', { origin: login.url.replace('http:', 'https:'), 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded' }, form);
    expect([untrusted.status, untrusted.text]).toEqual([403, 'Refused: the request does not come from this dashboard (Origin). Behind a TLS reverse proxy, name it with --trust-proxy.']);
    // A named proxy that does not say the scheme, or a proxy that does neither: the refusal names what is missing.
    const silent = await raw(proxied, 'POST', '/login', { host, origin: `https://${host}`, 'content-type': 'application/x-www-form-urlencoded' }, form);
    expect([silent.status, silent.text]).toEqual([403, 'Refused: the request does not come from this dashboard (Origin). Behind a TLS reverse proxy, have the proxy send X-Forwarded-Proto.']);
    const neither = await raw(login, 'POST', '/login', { origin: login.url.replace('http:', 'https:'), 'content-type': 'application/x-www-form-urlencoded' }, form);
    expect([neither.status, neither.text]).toEqual([403, 'Refused: the request does not come from this dashboard (Origin). Behind a TLS reverse proxy, have the proxy send X-Forwarded-Proto (and name it with --trust-proxy).']);
    // Another host is no proxy's doing: no hint.
    const elsewhere = await raw(login, 'POST', '/login', { origin: 'https://evil.example', 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded' }, form);
    expect([elsewhere.status, elsewhere.text]).toEqual([403, 'Refused: the request does not come from this dashboard (Origin).']);
  });
});
