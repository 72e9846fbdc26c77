/**
 * Sign-in and request checks of the dashboard over HTTP (no browser): the login page
 * for a request without a session, the session cookie's attributes and expiry, the
 * login rate limit (per client address and user name, looser per address, an IPv6 client by
 * its /64, a name guessed from many addresses slowed except for a browser with its known-device cookie; the client's address from the
 * X-Forwarded-For of a proxy named with --trust-proxy only, loopback included), refusals of POSTs without a same-origin Origin or the CSRF token,
 * the local mode (no password file: loopback host names only), and the password file
 * (scrypt hashes, mode 0600, a readable file refused, no write through a planted link).
 */
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { TrustedProxies, clientAddress } from '../../../src/surfaces/web/client-address.js';
import { serveCommand } from '../../../src/surfaces/web/command.js';
import { deviceKeyFile } from '../../../src/surfaces/web/known-device.js';
import { LoginLimiter, clientOf } from '../../../src/surfaces/web/login-limiter.js';
import { hashPassword, loadPasswords, passwordsFile, setPassword, verifyPassword } from '../../../src/surfaces/web/passwords.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, csrfOf, startDashboard } from './helpers.js';

const lab = useLab({ services: ['pve'] });

/** Signs in as `user` with the right password, answering the raw response (its Set-Cookie lines). */
async function fetchSignIn(client: WebClient, user: string): Promise<Response> {
  const login = await client.get('/login');
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${client.base}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { ...client.headers, cookie, origin: client.base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfOf(login.text), user, password: PASSWORD, next: '/' }).toString(),
  });
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    if (!/max-age=0/i.test(line) && pair.slice(at + 1)) client.cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return res;
}
const PASSWORD = 'correct horse battery';
let passwords: Map<string, string>;
let clock = Date.now();
let server: WebServer;
let local: WebServer;

beforeAll(async () => {
  passwords = new Map([['alice', await hashPassword(PASSWORD)]]);
  server = await startDashboard(lab.current, 'read', { passwords, now: () => clock, sessionLimits: { maxAgeMs: 3_600_000, idleMs: 600_000 } });
  local = await startDashboard(lab.current, 'read');
});
afterAll(async () => {
  await server?.close();
  await local?.close();
});

describe('sign-in', () => {
  it('answers a request without a session with the login page', async () => {
    const client = new WebClient(server.url);
    const first = await client.get('/s/pve');
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/login?next=%2Fs%2Fpve');
    const page = await client.open('/s/pve');
    expect(page.path).toMatch(/^\/login/);
    expect(page.text).toContain('<label for="user">User name</label>');
    expect(page.text).toContain('<label for="password">Password</label>');
    expect(page.text).not.toContain('pve list');
    // Fragments and event streams get 401, not a page.
    expect((await client.get('/fragment/overview', { 'x-fragment': '1' })).status).toBe(401);
    expect((await client.get('/events', { accept: 'text/event-stream' })).status).toBe(401);
  });

  it('signs in with the right password: an HttpOnly, SameSite=Strict cookie with an expiry', async () => {
    const client = new WebClient(server.url);
    const login = await client.get('/login?next=/s/pve');
    const res = await fetch(`${server.url}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: new URLSearchParams({ _csrf: csrfOf(login.text), user: 'alice', password: PASSWORD, next: '/s/pve' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/s/pve');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('homelab_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Max-Age=3600/i);
    expect(cookie).not.toContain(PASSWORD);
    const id = (cookie as string).split(';')[0] as string;
    const page = await fetch(`${server.url}/s/pve`, { headers: { cookie: id } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('>alice<');
  });

  it('marks its cookies Secure when a TLS reverse proxy says the browser came over HTTPS, and only then', async () => {
    const signIn = async (headers: Record<string, string>): Promise<{ login: string | undefined; session: string | undefined }> => {
      const page = await fetch(`${server.url}/login`, { headers });
      const loginCookie = page.headers.getSetCookie().find((c) => c.startsWith('homelab_login='));
      const res = await fetch(`${server.url}/login`, {
        method: 'POST', redirect: 'manual',
        headers: { ...headers, origin: server.url, 'content-type': 'application/x-www-form-urlencoded', cookie: (loginCookie ?? '').split(';')[0] as string },
        body: new URLSearchParams({ _csrf: csrfOf(await page.text()), user: 'alice', password: PASSWORD }).toString(),
      });
      expect(res.status).toBe(303);
      return { login: loginCookie, session: res.headers.getSetCookie().find((c) => c.startsWith('homelab_session=')) };
    };
    const proxied = await signIn({ 'x-forwarded-proto': 'https' });
    expect(proxied.login).toMatch(/;\s*Secure/i);
    expect(proxied.session).toMatch(/;\s*Secure/i);
    const plain = await signIn({});
    expect(plain.login).not.toMatch(/Secure/i);
    expect(plain.session).not.toMatch(/Secure/i);
  });

  it('goes back after signing in to a path on this dashboard only', async () => {
    for (const [next, location] of [['/s/pve?x=1', '/s/pve?x=1'] as const, ['//evil.example/x', '/'], ['/\\evil.example', '/'], ['/\t/evil.example', '/'], ['/\n/evil.example', '/'], ['https://evil.example/', '/'], ['/..//evil.example/x', '/'], ['/a/../..//evil.example', '/'], ['/./\\evil.example', '/'], ['/s/../s/pve', '/s/pve']]) {
      const page = await fetch(`${server.url}/login`);
      const loginCookie = (page.headers.getSetCookie().find((c) => c.startsWith('homelab_login=')) ?? '').split(';')[0] as string;
      const res = await fetch(`${server.url}/login`, {
        method: 'POST', redirect: 'manual',
        headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
        body: new URLSearchParams({ _csrf: csrfOf(await page.text()), user: 'alice', password: PASSWORD, next }).toString(),
      });
      expect([next, res.status, res.headers.get('location')]).toEqual([next, 303, location]);
    }
  });

  it('refuses a wrong password without saying which part was wrong, and never echoes the password', async () => {
    const client = new WebClient(server.url);
    const wrong = await client.signIn('alice', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong user name or password.');
    expect(wrong.text).not.toContain('not the password');
    const unknown = await client.signIn('mallory', PASSWORD);
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('Wrong user name or password.');
    expect(unknown.text).not.toContain(PASSWORD);
    expect(client.cookies.has('homelab_session')).toBe(false);
  });

  it('refuses a login POST without its form token or from another origin', async () => {
    const client = new WebClient(server.url);
    await client.get('/login');
    expect((await client.post('/login', { user: 'alice', password: PASSWORD })).status).toBe(403);
    const page = await client.get('/login');
    expect((await client.post('/login', { _csrf: csrfOf(page.text), user: 'alice', password: PASSWORD }, { origin: 'http://evil.example' })).status).toBe(403);
    expect(client.cookies.has('homelab_session')).toBe(false);
  });

  it('ends a session after its idle time and after sign-out', async () => {
    const client = new WebClient(server.url);
    expect((await client.signIn('alice', PASSWORD)).status).toBe(303);
    expect((await client.get('/audit')).status).toBe(200);
    clock += 601_000;
    expect((await client.get('/audit')).status).toBe(303);
    expect((await client.signIn('alice', PASSWORD)).status).toBe(303);
    const page = await client.get('/audit');
    const out = await client.post('/logout', { _csrf: csrfOf(page.text.slice(page.text.indexOf('action="/logout"'))) });
    expect(out.status).toBe(303);
    expect((await fetch(`${server.url}/audit`, { redirect: 'manual', headers: { cookie: `homelab_session=${'x'.repeat(43)}` } })).status).toBe(303);
  });
});

describe('the login rate limit', () => {
  it('refuses every attempt after 5 failures, the right password included, with Retry-After', async () => {
    let now = Date.now();
    const limited = await startDashboard(lab.current, 'read', { passwords, now: () => now });
    try {
      const client = new WebClient(limited.url);
      for (let i = 0; i < 5; i++) expect((await client.signIn('alice', `guess ${i}`)).status).toBe(401);
      const blocked = await client.signIn('alice', PASSWORD);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(blocked.text).toContain('Too many failed sign-ins');
      expect(client.cookies.has('homelab_session')).toBe(false);
      now += 15 * 60_000 + 1000;
      expect((await client.signIn('alice', PASSWORD)).status).toBe(303);
    } finally {
      await limited.close();
    }
  });
});

describe('the login rate limit per client', () => {
  // Addresses in X-Forwarded-For are only header text (documentation ranges): every request goes to 127.0.0.1,
  // trusted as a proxy because it is named, as `--trust-proxy 127.0.0.1` names it.
  const attacker = { 'x-forwarded-for': '198.51.100.7' };
  const bobsLaptop = { 'x-forwarded-for': '203.0.113.20' };
  const behindProxy = { trustProxy: ['127.0.0.1'] };

  it("a wrong-password storm for bob from one address does not lock bob out elsewhere, and still stops the attacker", async () => {
    let now = Date.now();
    const users = new Map([...passwords, ['bob', await hashPassword(PASSWORD)]]);
    const limited = await startDashboard(lab.current, 'read', { passwords: users, now: () => now, ...behindProxy });
    try {
      const storm = new WebClient(limited.url, attacker);
      for (let i = 0; i < 5; i++) expect((await storm.signIn('bob', `guess ${i}`)).status).toBe(401);
      expect((await storm.signIn('bob', `guess 5`)).status).toBe(429);
      // The attacker holding the right password is refused too: the limit answers before the password is checked.
      expect((await storm.signIn('bob', PASSWORD)).status).toBe(429);
      const bob = new WebClient(limited.url, bobsLaptop);
      expect((await bob.signIn('bob', PASSWORD)).status).toBe(303);
      expect((await bob.get('/audit')).status).toBe(200);
      // Spreading guesses over other names meets the looser limit of the address (20 in the window).
      for (let i = 0; i < 15; i++) expect((await storm.signIn(`user${i % 3}`, 'guess')).status).toBe(401);
      const spread = await storm.signIn('alice', PASSWORD);
      expect(spread.status).toBe(429);
      expect(Number(spread.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await new WebClient(limited.url, bobsLaptop).signIn('alice', PASSWORD)).status).toBe(303);
      now += 15 * 60_000 + 1000;
      expect((await storm.signIn('bob', PASSWORD)).status).toBe(303);
    } finally {
      await limited.close();
    }
  });

  it('believes X-Forwarded-For only from a proxy given with --trust-proxy, loopback only when named', () => {
    // A visitor through a tunnel (ssh -L, socat) arrives from loopback: not a proxy unless named.
    const none = new TrustedProxies();
    expect(clientAddress('127.0.0.1', '203.0.113.20', none)).toBe('127.0.0.1');
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.20', none)).toBe('127.0.0.1');
    expect(clientAddress('::1', '203.0.113.20', none)).toBe('::1');
    // A visitor that is not a trusted proxy cannot pose as another address.
    expect(clientAddress('198.51.100.7', '203.0.113.20', none)).toBe('198.51.100.7');
    const local = new TrustedProxies(['127.0.0.1', '::1']);
    expect(clientAddress('127.0.0.1', '203.0.113.20', local)).toBe('203.0.113.20');
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.20', local)).toBe('203.0.113.20');
    expect(clientAddress('::1', '2001:db8::5', local)).toBe('2001:db8::5');
    expect(clientAddress('127.0.0.2', '203.0.113.20', local)).toBe('127.0.0.2');
    const npm = new TrustedProxies(['10.5.0.0/24', 'fd00::2']);
    expect(clientAddress('10.5.0.9', '203.0.113.20', npm)).toBe('203.0.113.20');
    expect(clientAddress('fd00::2', '2001:db8::5', npm)).toBe('2001:db8::5');
    // Read from the right: what the client wrote itself at the left is not believed.
    expect(clientAddress('10.5.0.9', '192.0.2.1, 203.0.113.20', npm)).toBe('203.0.113.20');
    expect(clientAddress('10.5.0.9', '203.0.113.20, 10.5.0.3', npm)).toBe('203.0.113.20');
    // Garbage ends the walk at the hop that sent it.
    expect(clientAddress('10.5.0.9', 'nonsense', npm)).toBe('10.5.0.9');
    expect(clientAddress('10.5.0.9', '203.0.113.20, nonsense', npm)).toBe('10.5.0.9');
    expect(() => new TrustedProxies(['10.5.0.0/33'])).toThrow(/not an address or CIDR range/);
  });

  it('limits an address across names more loosely than one name from it', () => {
    let now = 0;
    const limiter = new LoginLimiter({}, () => now);
    for (let i = 0; i < 5; i++) limiter.fail('a', 'bob');
    expect(limiter.retryAfterMs('a', 'bob')).toBe(15 * 60_000);
    expect(limiter.retryAfterMs('a', 'BOB')).toBe(15 * 60_000);
    expect(limiter.retryAfterMs('a', 'alice')).toBe(0);
    expect(limiter.retryAfterMs('b', 'bob')).toBe(0);
    now = 60_000;
    for (let i = 0; i < 15; i++) limiter.fail('a', `u${i}`);
    expect(limiter.retryAfterMs('a', 'carol')).toBe(14 * 60_000);
    expect(limiter.retryAfterMs('b', 'carol')).toBe(0);
    limiter.succeed('b', 'bob');
    now = 15 * 60_000;
    expect(limiter.retryAfterMs('a', 'bob')).toBe(0);
  });

  it('counts an IPv6 client by its /64: rotating addresses within it gains nothing', () => {
    expect(clientOf('2001:DB8:0:1:0:0:0:5')).toBe('2001:db8:0:1::/64');
    expect(clientOf('2001:db8:0:1::ffff')).toBe('2001:db8:0:1::/64');
    expect(clientOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientOf('198.51.100.7')).toBe('198.51.100.7');
    const now = 0;
    const limiter = new LoginLimiter({}, () => now);
    for (let i = 1; i <= 5; i++) limiter.fail(`2001:db8:0:1::${i}`, 'bob');
    expect(limiter.retryAfterMs('2001:db8:0:1::99', 'bob')).toBe(15 * 60_000);
    expect(limiter.retryAfterMs('2001:db8:0:1:abcd:1:2:3', 'bob')).toBe(15 * 60_000);
    // Another /64 is another client.
    expect(limiter.retryAfterMs('2001:db8:0:2::1', 'bob')).toBe(0);
    for (let i = 0; i < 15; i++) limiter.fail(`2001:db8:0:1:${i}::1`, `u${i}`);
    expect(limiter.retryAfterMs('2001:db8:0:1::7', 'carol')).toBe(15 * 60_000);
    expect(limiter.retryAfterMs('2001:db8:0:2::7', 'carol')).toBe(0);
  });

  it('slows a name guessed from many addresses (past 50 in the window: one try a minute), without a long lock-out', () => {
    let now = 0;
    const limiter = new LoginLimiter({}, () => now);
    // Ten addresses, five guesses each (each pair's limit): 50 failures for bob.
    for (let a = 0; a < 10; a++) for (let i = 0; i < 5; i++) limiter.fail(`198.51.100.${a}`, 'bob');
    expect(limiter.retryAfterMs('203.0.113.20', 'bob')).toBe(60_000);
    expect(limiter.retryAfterMs('203.0.113.20', 'BOB')).toBe(60_000);
    expect(limiter.retryAfterMs('203.0.113.20', 'alice')).toBe(0);
    // A minute after the latest failure one more try is allowed; failing, it slows the name for another minute.
    now = 60_000;
    expect(limiter.retryAfterMs('203.0.113.21', 'bob')).toBe(0);
    limiter.fail('203.0.113.21', 'bob');
    now = 61_000;
    expect(limiter.retryAfterMs('203.0.113.22', 'bob')).toBe(59_000);
    // A successful sign-in does not clear the name's count: the guessing stays slowed.
    limiter.succeed('203.0.113.20', 'bob');
    expect(limiter.retryAfterMs('203.0.113.22', 'bob')).toBe(59_000);
    // Once the failures leave the window, nothing is left of it.
    now = 15 * 60_000;
    expect(limiter.retryAfterMs('203.0.113.22', 'bob')).toBe(0);
  });

  it('a name slowed by guesses from many addresses answers 429 for a minute, with Retry-After, then lets bob in', async () => {
    let now = Date.now();
    const users = new Map([...passwords, ['bob', await hashPassword(PASSWORD)]]);
    const limited = await startDashboard(lab.current, 'read', { passwords: users, now: () => now, loginLimits: { userFailures: 10 }, ...behindProxy });
    try {
      // Five IPv6 addresses of one /64 are one client: its sixth guess is refused.
      for (let i = 1; i <= 5; i++) expect((await new WebClient(limited.url, { 'x-forwarded-for': `2001:db8:0:1::${i}` }).signIn('bob', 'guess')).status).toBe(401);
      expect((await new WebClient(limited.url, { 'x-forwarded-for': '2001:db8:0:1::6' }).signIn('bob', 'guess')).status).toBe(429);
      // Another five from other addresses reach the name's limit (10 here).
      for (let i = 1; i <= 5; i++) expect((await new WebClient(limited.url, { 'x-forwarded-for': `198.51.100.${i}` }).signIn('bob', 'guess')).status).toBe(401);
      const slowed = await new WebClient(limited.url, bobsLaptop).signIn('bob', PASSWORD);
      expect(slowed.status).toBe(429);
      expect(Number(slowed.headers.get('retry-after'))).toBe(60);
      expect((await new WebClient(limited.url, bobsLaptop).signIn('alice', PASSWORD)).status).toBe(303);
      now += 60_000;
      expect((await new WebClient(limited.url, bobsLaptop).signIn('bob', PASSWORD)).status).toBe(303);
    } finally {
      await limited.close();
    }
  });

  it('a storm over many addresses cannot keep bob out of a browser he signed in from before (its known-device cookie)', async () => {
    let now = Date.now();
    const users = new Map([...passwords, ['bob', await hashPassword(PASSWORD)]]);
    const limited = await startDashboard(lab.current, 'read', { passwords: users, now: () => now, loginLimits: { userFailures: 10 }, ...behindProxy });
    try {
      const laptop = new WebClient(limited.url, bobsLaptop);
      const first = await fetchSignIn(laptop, 'bob');
      expect(first.status).toBe(303);
      const device = first.headers.getSetCookie().find((line) => line.startsWith('homelab_device='));
      expect(device).toMatch(/HttpOnly/i);
      expect(device).toMatch(/SameSite=Strict/i);
      expect(Number(/Max-Age=(\d+)/i.exec(device ?? '')?.[1])).toBeGreaterThan(30 * 24 * 3600);
      // Twelve addresses, one guess each every minute: the name stays past its limit.
      for (let round = 0; round < 3; round++) {
        for (let a = 0; a < 12; a++) await new WebClient(limited.url, { 'x-forwarded-for': `198.51.${round}.${a}` }).signIn('bob', 'guess');
        expect((await new WebClient(limited.url, { 'x-forwarded-for': '198.51.100.200' }).signIn('bob', 'guess')).status).toBe(429);
        // A browser without the cookie, with a forged one or with alice's is paused like the attacker.
        expect((await new WebClient(limited.url, bobsLaptop).signIn('bob', PASSWORD)).status).toBe(429);
        const forged = new WebClient(limited.url, bobsLaptop);
        forged.cookies.set('homelab_device', `${Buffer.from('bob').toString('base64url')}.${'A'.repeat(43)}`);
        expect((await forged.signIn('bob', PASSWORD)).status).toBe(429);
        // Bob's laptop, holding the cookie, signs in.
        expect((await laptop.signIn('bob', PASSWORD)).status).toBe(303);
        now += 60_000;
      }
      const alices = new WebClient(limited.url, { 'x-forwarded-for': '203.0.113.30' });
      expect((await alices.signIn('alice', PASSWORD)).status).toBe(303);
      expect((await new WebClient(limited.url, { 'x-forwarded-for': '198.51.9.9' }).signIn('bob', 'guess')).status).toBe(401);
      expect((await alices.signIn('bob', PASSWORD)).status).toBe(429);
      // The per-pair limit still applies to a known device.
      for (let i = 0; i < 5; i++) await laptop.signIn('bob', 'typo');
      expect((await laptop.signIn('bob', PASSWORD)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it("keeps bob's browser known across a restart of the dashboard (the secret in <data>/web/device-key, mode 0600)", async () => {
    const now = Date.now();
    const users = new Map([...passwords, ['bob', await hashPassword(PASSWORD)]]);
    const options = { passwords: users, now: () => now, loginLimits: { userFailures: 10 }, ...behindProxy };
    const before = await startDashboard(lab.current, 'read', options);
    const laptop = new WebClient(before.url, bobsLaptop);
    try {
      expect((await fetchSignIn(laptop, 'bob')).status).toBe(303);
    } finally {
      await before.close();
    }
    const key = deviceKeyFile(lab.current.env);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const after = await startDashboard(lab.current, 'read', options);
    try {
      for (let a = 0; a < 12; a++) await new WebClient(after.url, { 'x-forwarded-for': `198.51.7.${a}` }).signIn('bob', 'guess');
      expect((await new WebClient(after.url, bobsLaptop).signIn('bob', PASSWORD)).status).toBe(429);
      const again = new WebClient(after.url, bobsLaptop);
      again.cookies.set('homelab_device', laptop.cookies.get('homelab_device') as string);
      expect((await again.signIn('bob', PASSWORD)).status).toBe(303);
    } finally {
      await after.close();
    }
  });

  it('a client through a tunnel to loopback cannot pose as a fresh address on every try', async () => {
    let now = Date.now();
    const limited = await startDashboard(lab.current, 'read', { passwords, now: () => now });
    try {
      for (let i = 0; i < 5; i++) expect((await new WebClient(limited.url, { 'x-forwarded-for': `198.51.100.${i}` }).signIn('alice', 'guess')).status).toBe(401);
      expect((await new WebClient(limited.url, { 'x-forwarded-for': '198.51.100.99' }).signIn('alice', PASSWORD)).status).toBe(429);
      now += 15 * 60_000 + 1000;
      expect((await new WebClient(limited.url).signIn('alice', PASSWORD)).status).toBe(303);
    } finally {
      await limited.close();
    }
  });
});

describe('state-changing requests', () => {
  it('refuses a POST without the CSRF token, with a wrong one, without Origin or from another origin', async () => {
    const client = new WebClient(server.url);
    await client.signIn('alice', PASSWORD);
    const csrf = csrfOf((await client.get('/op/pve.start?vmid=201')).text);
    const cases = [
      await client.post('/op/pve.start', { vmid: '201' }),
      await client.post('/op/pve.start', { vmid: '201', _csrf: `${csrf}x` }),
      await client.post('/op/pve.start', { vmid: '201', _csrf: csrf }, { origin: null }),
      await client.post('/op/pve.start', { vmid: '201', _csrf: csrf }, { origin: 'http://127.0.0.1.evil.example' }),
    ];
    for (const res of cases) expect(res.status).toBe(403);
    expect(cases[0]?.text).toContain('CSRF');
    expect(cases[2]?.text).toContain('Origin');
    // The same form with both gets as far as the read-only refusal.
    const allowed = await client.post('/op/pve.start', { vmid: '201', _csrf: csrf });
    expect(allowed.status).toBe(403);
    expect(allowed.text).toContain('read-only');
  });
});

describe('the local mode (no password file)', () => {
  it('serves the local user without sign-in, on loopback host names only', async () => {
    const client = new WebClient(local.url);
    const page = await client.get('/audit');
    expect(page.status).toBe(200);
    expect(page.text).toContain('>tester<');
    expect(page.text).not.toContain('Sign out');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${local.url}/`, { headers: { host: 'dashboard.attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
    // POSTs still need the token and Origin.
    expect((await client.post('/op/pve.start', { vmid: '201' })).status).toBe(403);
  });

  it('refuses a non-loopback --host while no login is configured (exit 3, nothing bound)', async () => {
    const err = await serveCommand(['--host', '0.0.0.0', '--port', '0'], { ...lab.current.env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(3);
    expect((err as ConfigError).message).toContain('not a loopback address');
    expect((err as ConfigError).hint).toContain('homelab serve passwd');
  });
});

describe('the password file', () => {
  it('keeps scrypt hashes only, mode 0600, and refuses a file others can read', async () => {
    const env = { HOMELAB_CONFIG_HOME: join(lab.current.dir, 'pw-config') };
    expect(loadPasswords(env)).toBeUndefined();
    const file = await setPassword('bob', 'a long password', env);
    expect(file).toBe(passwordsFile(env));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^bob:scrypt\$32768\$8\$1\$/);
    expect(text).not.toContain('a long password');
    const users = loadPasswords(env);
    expect(await verifyPassword('a long password', users?.get('bob'))).toBe(true);
    expect(await verifyPassword('a long passwore', users?.get('bob'))).toBe(false);
    expect(await verifyPassword('a long password', undefined)).toBe(false);
    await expect(setPassword('bob', 'short', env)).rejects.toThrow(/at least 8/);
    await expect(setPassword('bad name', 'a long password', env)).rejects.toThrow(/not valid/);
    chmodSync(file, 0o644);
    const refused = (() => { try { loadPasswords(env); } catch (e) { return e; } return undefined; })();
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).message).toContain('readable by group or others (mode 644)');
    expect((refused as ConfigError).hint).toBe(`run: chmod 600 ${file}`);
    mkdirSync(join(lab.current.dir, 'pw2', 'web'), { recursive: true });
    writeFileSync(join(lab.current.dir, 'pw2', 'web', 'passwords'), 'carol:plaintext\n', { mode: 0o600 });
    expect(() => loadPasswords({ HOMELAB_CONFIG_HOME: join(lab.current.dir, 'pw2') })).toThrow(/line 1: not a user:scrypt-hash line/);
  });

  it('never writes through a link planted where its temporary file goes', async () => {
    const env = { HOMELAB_CONFIG_HOME: join(lab.current.dir, 'pw-link') };
    const file = await setPassword('bob', 'a long password', env);
    const victim = join(lab.current.dir, 'pw-victim');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, `${file}.${process.pid}.tmp`);
    await setPassword('carol', 'another long password', env);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect([...(loadPasswords(env)?.keys() ?? [])]).toEqual(['bob', 'carol']);
  });
});
