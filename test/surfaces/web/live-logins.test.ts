/**
 * A running dashboard follows its password file (over HTTP, no browser): started without
 * a login, it asks everyone to sign in once `serve passwd` writes one, and the sessions
 * made without a login end, their open event streams too (on the next request, or by the
 * once-a-period look without any request); a user whose password is set again, or who is
 * removed, is signed out, nobody else; a file made readable by others fails closed (every
 * sign-in refused, the log naming `chmod 600`) until fixed; once it has had a file, a
 * dashboard whose file goes away (deleted, moved) fails closed until it is restored, on
 * loopback too and behind a reverse proxy on the same machine, while one started without a
 * file stays login-free on loopback, but never through a proxy; the file is looked at no
 * more than once per check period.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginMark, Logins } from '../../../src/surfaces/web/logins.js';
import { passwordsFile, setPassword } from '../../../src/surfaces/web/passwords.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, startDashboard } from './helpers.js';

const lab = useLab({ services: ['pve'] });
const PASSWORD = 'correct horse battery';

/** An overview event stream opened with `client`'s session: `ended` resolves when the server closes it (rejects after 15 s). */
async function openStream(client: WebClient): Promise<{ ended: Promise<void> }> {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${client.base}/events`, { headers: { accept: 'text/event-stream', cookie }, signal: AbortSignal.timeout(15_000) });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  while (!text.includes('event: ready')) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended before it was ready');
    text += new TextDecoder().decode(value);
  }
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return;
  })();
  return { ended };
}

/** Removes `user`'s line from the password file, as a hand edit would (kept 0600). */
function removeUser(file: string, user: string): void {
  const kept = readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith(`${user}:`));
  writeFileSync(`${file}.edit`, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  renameSync(`${file}.edit`, file);
}

describe('a dashboard started without a login, given one while it runs', () => {
  let server: WebServer;
  let env: NodeJS.ProcessEnv;
  let file: string;
  const logged: string[] = [];

  beforeAll(async () => {
    env = { HOMELAB_CONFIG_HOME: join(lab.current.dir, 'live-logins') };
    file = passwordsFile(env);
    server = await startDashboard(lab.current, 'read', { passwordsFile: file, passwordsCheckMs: 0, log: (line) => logged.push(line) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('asks everyone to sign in from then on: the sessions made without a login end, their event streams too', async () => {
    const local = new WebClient(server.url);
    const before = await local.get('/');
    expect(before.status).toBe(200);
    expect(local.cookies.has('homelab_session')).toBe(true);
    const stream = await openStream(local);
    await setPassword('alice', PASSWORD, env);
    // The login-free session has ended: the next request is sent to sign in.
    const after = await local.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/login');
    expect((await local.get('/fragment/overview', { 'x-fragment': '1' })).status).toBe(401);
    await stream.ended;
    const stranger = new WebClient(server.url);
    expect((await stranger.get('/')).headers.get('location')).toBe('/login');
    expect(logged).toContain('the password file changed: sign-in required (1 user); sessions without a login, or of a removed or changed user, ended');
    const alice = new WebClient(server.url);
    expect((await alice.signIn('alice', PASSWORD)).status).toBe(303);
    const page = await alice.get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sign out');
    expect(logged.join('\n')).not.toContain('scrypt$');
  });

  it("signs a user out when their password is set again or they are removed, and nobody else", async () => {
    await setPassword('bob', PASSWORD, env);
    const alice = new WebClient(server.url);
    const bob = new WebClient(server.url);
    expect((await alice.signIn('alice', PASSWORD)).status).toBe(303);
    expect((await bob.signIn('bob', PASSWORD)).status).toBe(303);
    await setPassword('alice', 'another long password', env);
    expect((await alice.get('/')).status).toBe(303);
    expect((await bob.get('/')).status).toBe(200);
    expect((await alice.signIn('alice', PASSWORD)).status).toBe(401);
    expect((await alice.signIn('alice', 'another long password')).status).toBe(303);
    removeUser(file, 'bob');
    expect((await bob.get('/')).headers.get('location')).toBe('/login');
    expect((await alice.get('/')).status).toBe(200);
    expect((await bob.signIn('bob', PASSWORD)).status).toBe(401);
  });

  it('fails closed while the file is readable by others (0600 checked on every reload), and serves again once fixed', async () => {
    const alice = new WebClient(server.url);
    expect((await alice.signIn('alice', 'another long password')).status).toBe(303);
    chmodSync(file, 0o644);
    expect((await alice.get('/')).headers.get('location')).toBe('/login');
    const refused = await alice.signIn('alice', 'another long password');
    expect(refused.status).toBe(503);
    expect(refused.text).toContain('Sign-in is unavailable until the password file is fixed');
    expect(logged.some((l) => l.includes('readable by group or others (mode 644)') && l.includes(`chmod 600 ${file}`))).toBe(true);
    expect((await new WebClient(server.url).get('/')).headers.get('location')).toBe('/login');
    chmodSync(file, 0o600);
    expect((await alice.signIn('alice', 'another long password')).status).toBe(303);
    expect((await alice.get('/')).status).toBe(200);
  });

  it('fails closed on loopback when the file goes away (never login-free again), and serves again once it is restored', async () => {
    const alice = new WebClient(server.url);
    expect((await alice.signIn('alice', 'another long password')).status).toBe(303);
    renameSync(file, `${file}.moved`);
    expect((await alice.get('/')).headers.get('location')).toBe('/login');
    const local = new WebClient(server.url);
    const page = await local.get('/');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login');
    expect(page.text).not.toContain('>tester<');
    expect((await local.get('/fragment/overview', { 'x-fragment': '1' })).status).toBe(401);
    const refused = await alice.signIn('alice', 'another long password');
    expect(refused.status).toBe(503);
    expect(server.state.sessions.size).toBe(0);
    expect(logged).toContain(`the password file ${file} is gone: every sign-in is refused and every session ended until it is restored, or the dashboard restarted`);
    renameSync(`${file}.moved`, file);
    expect((await alice.signIn('alice', 'another long password')).status).toBe(303);
    expect((await alice.get('/')).status).toBe(200);
  });
});

describe('behind a reverse proxy on the same machine (--trust-proxy 127.0.0.1)', () => {
  const visitor = { 'x-forwarded-for': '203.0.113.9' };

  it('a remote visitor gets no session when the password file goes away', async () => {
    const env = { HOMELAB_CONFIG_HOME: join(lab.current.dir, 'live-logins-proxy') };
    const file = await setPassword('alice', PASSWORD, env);
    const server = await startDashboard(lab.current, 'danger', { passwordsFile: file, passwordsCheckMs: 0, trustProxy: ['127.0.0.1'] });
    try {
      // nginx `proxy_pass http://127.0.0.1:8480` sends that Host: the loopback Host check passes.
      const remote = new WebClient(server.url, visitor);
      expect((await remote.get('/')).headers.get('location')).toBe('/login');
      rmSync(file);
      const after = await remote.get('/');
      expect(after.status).toBe(303);
      expect(after.headers.get('location')).toBe('/login');
      expect(after.text).not.toContain('Sign out');
      expect(remote.cookies.has('homelab_session')).toBe(false);
      expect((await remote.get('/fragment/overview', { 'x-fragment': '1' })).status).toBe(401);
      expect(server.state.sessions.size).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('a dashboard started without a login serves this machine, never what a proxy relays', async () => {
    const env = { HOMELAB_CONFIG_HOME: join(lab.current.dir, 'live-logins-proxy-free') };
    const server = await startDashboard(lab.current, 'danger', { passwordsFile: passwordsFile(env), passwordsCheckMs: 0, trustProxy: ['127.0.0.1'] });
    const open = await startDashboard(lab.current, 'danger', { passwordsFile: passwordsFile(env), passwordsCheckMs: 0 });
    try {
      for (const [url, headers] of [
        [server.url, visitor],
        // From the trusted proxy without a header (a bare proxy_pass): it is still the proxy.
        [server.url, {}],
        // A proxy not named with --trust-proxy still says what it is.
        [open.url, visitor],
        [open.url, { forwarded: 'for=203.0.113.9' }],
        [open.url, { 'x-real-ip': '203.0.113.9' }],
        [open.url, { via: '1.1 proxy' }],
        [open.url, { 'x-forwarded-host': 'homelab.example.org' }],
        [open.url, { 'x-forwarded-proto': 'https' }],
      ] as const) {
        const remote = new WebClient(url, headers);
        const page = await remote.get('/');
        expect(page.status, `${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(page.text).toBe('This dashboard has no login, so it serves this machine only, not through a reverse proxy: set one with homelab serve passwd.');
        expect(remote.cookies.has('homelab_session')).toBe(false);
        expect((await remote.get('/fragment/overview', { 'x-fragment': '1' })).status).toBe(403);
      }
      expect(server.state.sessions.size).toBe(0);
      expect(open.state.sessions.size).toBe(0);
      // This machine's own browser, straight to the dashboard: the local user, without a login.
      const local = await new WebClient(open.url).get('/');
      expect(local.status).toBe(200);
      expect(local.text).toContain('>tester<');
    } finally {
      await server.close();
      await open.close();
    }
  });
});

describe('without any request', () => {
  it('ends an open event stream of a login-free session when a login appears (the periodic look)', async () => {
    const env = { HOMELAB_CONFIG_HOME: join(lab.current.dir, 'live-logins-timer') };
    const server = await startDashboard(lab.current, 'read', { passwordsFile: passwordsFile(env), passwordsCheckMs: 50 });
    try {
      const local = new WebClient(server.url);
      expect((await local.get('/')).status).toBe(200);
      const stream = await openStream(local);
      await setPassword('alice', PASSWORD, env);
      await stream.ended;
      expect(server.state.sessions.size).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('Logins', () => {
  it('on another address than loopback, fails closed when the file goes away', async () => {
    const env = { HOMELAB_CONFIG_HOME: join(lab.current.dir, 'logins-remote') };
    const file = await setPassword('alice', PASSWORD, env);
    const logged: string[] = [];
    const logins = new Logins({ file, loopback: false, checkMs: 0, log: (l) => logged.push(l) });
    const alice = { user: 'alice', login: loginMark(readFileSync(file, 'utf8').trim().split(':')[1]) };
    expect(logins.required()).toBe(true);
    expect(logins.admits(alice)).toBe(true);
    rmSync(file);
    expect(logins.required()).toBe(true);
    expect(logins.current()?.size).toBe(0);
    expect(logins.admits(alice)).toBe(false);
    expect(logged).toEqual([`the password file ${file} is gone: every sign-in is refused and every session ended until it is restored (homelab serve passwd sets a login)`]);
  });

  it('started without the file on loopback, stays login-free until one appears, and never again once one has', async () => {
    const env = { HOMELAB_CONFIG_HOME: join(lab.current.dir, 'logins-loopback') };
    const file = passwordsFile(env);
    const logged: string[] = [];
    const logins = new Logins({ file, loopback: true, checkMs: 0, log: (l) => logged.push(l) });
    expect(logins.required()).toBe(false);
    await setPassword('alice', PASSWORD, env);
    expect(logins.current()?.size).toBe(1);
    rmSync(file);
    expect(logins.required()).toBe(true);
    expect(logins.current()?.size).toBe(0);
    expect(logins.admits({ user: 'tester' })).toBe(false);
    expect(logged.at(-1)).toBe(`the password file ${file} is gone: every sign-in is refused and every session ended until it is restored, or the dashboard restarted`);
  });

  it('looks at the file at most once per check period', async () => {
    const env = { HOMELAB_CONFIG_HOME: join(lab.current.dir, 'logins-throttle') };
    const file = passwordsFile(env);
    mkdirSync(dirname(file), { recursive: true });
    let now = 1_000_000;
    const logins = new Logins({ file, loopback: true, checkMs: 1000, log: () => undefined, now: () => now });
    expect(logins.required()).toBe(false);
    await setPassword('alice', PASSWORD, env);
    now += 999;
    expect(logins.required()).toBe(false);
    now += 1;
    expect(logins.required()).toBe(true);
    expect(logins.admits({ user: 'alice' })).toBe(false);
    expect(logins.admits({ user: 'alice', login: loginMark(readFileSync(file, 'utf8').trim().split(':')[1]) })).toBe(true);
  });
});
