/**
 * The Uptime Kuma simulator, checked with a raw socket.io-client and raw HTTP requests
 * against the fact sheet (shared/api/uptime-kuma.md).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { TOTP, Secret } from 'otpauth';
import { startKumaSim, type KumaSim } from '../../../src/services/kuma/sim/index.js';
import { guests } from '../../../src/lab/inventory.js';
import { trouble } from '../../../src/lab/trouble.js';

type Ack = Record<string, unknown>;
const sockets: Socket[] = [];

function open(sim: KumaSim): Promise<Socket> {
  const socket = connect(sim.url, { transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function call(socket: Socket, event: string, ...args: unknown[]): Promise<Ack> {
  return socket.timeout(5000).emitWithAck(event, ...args) as Promise<Ack>;
}

function once<T extends unknown[]>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (...args: unknown[]) => resolve(args as T)));
}

async function login(sim: KumaSim, socket: Socket): Promise<Ack> {
  return call(socket, 'login', { username: sim.credentials.values.KUMA_USERNAME, password: sim.credentials.values.KUMA_PASSWORD });
}

async function metrics(sim: KumaSim, password: string | undefined): Promise<{ status: number; text: string; auth: string | null }> {
  const headers: Record<string, string> = password === undefined ? {} : { authorization: `Basic ${Buffer.from(`:${password}`).toString('base64')}` };
  const res = await fetch(`${sim.url}/metrics`, { headers });
  return { status: res.status, text: await res.text(), auth: res.headers.get('www-authenticate') };
}

afterEach(() => { while (sockets.length) sockets.pop()?.close(); });

describe('kuma simulator (2.x)', () => {
  let sim: KumaSim;
  beforeAll(async () => { sim = await startKumaSim({ afterLoginDelayMs: 0 }); });
  afterAll(async () => { await sim.close(); });

  it('asks for login, guards events, and pushes a monitor map after login', async () => {
    const socket = await open(sim);
    expect(await call(socket, 'getMonitorList')).toEqual({ ok: false, msg: 'You are not logged in.' });
    const bad = await call(socket, 'login', { username: 'admin', password: 'wrong' });
    expect(bad).toEqual({ ok: false, msg: 'authIncorrectCreds', msgi18n: true });
    const list = once<[Record<string, Record<string, unknown>>]>(socket, 'monitorList');
    const info = new Promise<Ack>((resolve) => socket.on('info', (i: Ack) => { if (i.version) resolve(i); }));
    const ok = await login(sim, socket);
    expect(ok).toEqual({ ok: true, token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
    const [monitors] = await list;
    expect(Array.isArray(monitors)).toBe(false);
    const apps = guests.filter((g) => g.app && !g.template);
    // One HTTP monitor per app, a ping monitor per node, the push monitor, and the orphan monitor `homelab check` finds.
    expect(Object.keys(monitors)).toHaveLength(apps.length + 4);
    const git = Object.values(monitors).find((m) => m.url === 'https://git.home.lan');
    expect(git).toMatchObject({ type: 'http', active: true, accepted_statuscodes: ['200-299'], conditions: [] });
    expect((await info).version).toBe('2.5.3');
  });

  it('sends heartbeat lists as snake_case rows keyed by a string id, and cert info as a JSON string', async () => {
    const socket = await open(sim);
    const beats = new Map<string, Record<string, unknown>[]>();
    const certs = new Map<number, string>();
    socket.on('heartbeatList', (id: string, list: Record<string, unknown>[]) => beats.set(id, list));
    socket.on('certInfo', (id: number, json: string) => certs.set(id, json));
    const done = new Promise<void>((resolve) => socket.on('maintenanceList', () => resolve()));
    await login(sim, socket);
    await done;
    const media = sim.monitorId(guests.find((g) => g.vmid === trouble.stoppedGuest)?.name ?? '');
    const rows = beats.get(String(media)) ?? [];
    expect(rows.at(-1)).toMatchObject({ monitor_id: media, status: 0, down_count: expect.any(Number), msg: expect.stringContaining('502') });
    expect(String(rows.at(-1)?.time)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    const git = JSON.parse(certs.get(sim.monitorId('forgejo')) ?? '{}') as { certInfo: { daysRemaining: number } };
    expect(git.certInfo.daysRemaining).toBe(5);
  });

  it('serves /metrics to the API key only, with monitor_id labels and uptime windows', async () => {
    expect((await metrics(sim, undefined)).status).toBe(401);
    expect((await metrics(sim, undefined)).auth).toMatch(/^Basic/);
    expect((await metrics(sim, sim.credentials.values.KUMA_PASSWORD)).status).toBe(401);
    const res = await metrics(sim, sim.credentials.values.KUMA_API_KEY);
    expect(res.status).toBe(200);
    expect(res.text).toContain('# TYPE monitor_status gauge');
    const id = sim.monitorId('forgejo');
    expect(res.text).toContain(`monitor_cert_days_remaining{monitor_id="${id}",monitor_name="forgejo",monitor_type="http",monitor_url="https://git.home.lan",monitor_hostname="null",monitor_port="null"} 5`);
    expect(res.text).toMatch(new RegExp(`monitor_status\\{monitor_id="${sim.monitorId('media')}",[^}]*\\} 0`));
    expect(res.text).toMatch(/monitor_uptime_ratio\{[^}]*window="30d"\} [\d.]+/);
    expect(res.text).not.toMatch(/monitor_cert_days_remaining\{[^}]*monitor_name="pve1"/);
  });

  it('adds with the 2.x shape, refuses unknown columns and missing status codes, and pushes updateMonitorIntoList', async () => {
    const socket = await open(sim);
    await login(sim, socket);
    const base = { type: 'http', name: 'probe', url: 'https://probe.home.lan', interval: 60, retryInterval: 60, maxretries: 0, accepted_statuscodes: ['200-299'], conditions: [], notificationIDList: {} };
    expect(await call(socket, 'add', { ...base, tags: [] })).toEqual({ ok: false, msg: 'SQLITE_ERROR: table monitor has no column named tags' });
    const { accepted_statuscodes: _codes, ...noCodes } = base;
    expect((await call(socket, 'add', noCodes)).ok).toBe(false);
    const { conditions: _conditions, ...noConditions } = base;
    expect((await call(socket, 'add', noConditions)).ok).toBe(false);
    const update = once<[Record<string, Record<string, unknown>>]>(socket, 'updateMonitorIntoList');
    const added = await call(socket, 'add', base);
    expect(added).toEqual({ ok: true, msg: 'successAdded', msgi18n: true, monitorID: expect.any(Number) });
    const [changed] = await update;
    expect(Object.keys(changed)).toEqual([String(added.monitorID)]);
    expect((await call(socket, 'deleteMonitor', added.monitorID, false)).ok).toBe(true);
  });

  it('editMonitor replaces every field: what is left out becomes null and fails validation', async () => {
    const socket = await open(sim);
    await login(sim, socket);
    const id = sim.monitorId('dns');
    const { monitor } = await call(socket, 'getMonitor', id) as { monitor: Record<string, unknown> };
    const partial = await call(socket, 'editMonitor', { id, name: 'dns', accepted_statuscodes: ['200-299'] });
    expect(partial).toEqual({ ok: false, msg: 'Interval cannot be less than 1 seconds' });
    const whole = await call(socket, 'editMonitor', { ...monitor, interval: 90 });
    expect(whole).toMatchObject({ ok: true, monitorID: id });
    expect(sim.state.monitors.get(id)).toMatchObject({ interval: 90, url: monitor.url, hostname: null });
    const partialOk = await call(socket, 'editMonitor', { id, name: 'dns', type: 'http', interval: 60, accepted_statuscodes: ['200-299'], conditions: [] });
    expect(partialOk.ok).toBe(true);
    expect(sim.state.monitors.get(id)?.url).toBeNull();
    await call(socket, 'editMonitor', monitor);
    expect(sim.state.monitors.get(id)?.url).toBe(monitor.url);
  });

  it('pauses (dropping the monitor from /metrics) and resumes; unknown ids are refused', async () => {
    const socket = await open(sim);
    await login(sim, socket);
    const id = sim.monitorId('proxy');
    expect(await call(socket, 'pauseMonitor', id)).toEqual({ ok: true, msg: 'successPaused', msgi18n: true });
    expect((await metrics(sim, sim.credentials.values.KUMA_API_KEY)).text).not.toContain('monitor_name="proxy"');
    expect(await call(socket, 'resumeMonitor', id)).toEqual({ ok: true, msg: 'successResumed', msgi18n: true });
    expect((await metrics(sim, sim.credentials.values.KUMA_API_KEY)).text).toContain('monitor_name="proxy"');
    expect(await call(socket, 'pauseMonitor', 9999)).toEqual({ ok: false, msg: 'You do not own this monitor.' });
  });

  it('accepts pushes by token with any method on 2.x and 404s unknown tokens', async () => {
    const url = sim.pushUrl('beszel-heartbeat');
    const res = await fetch(`${url}12`, { method: 'POST' });
    expect(await res.json()).toEqual({ ok: true });
    expect(sim.state.last(sim.monitorId('beszel-heartbeat'))).toMatchObject({ status: 1, ping: 12, msg: 'OK' });
    const down = await fetch(url.replace('status=up', 'status=down'));
    expect(down.status).toBe(200);
    expect(sim.state.last(sim.monitorId('beszel-heartbeat'))?.status).toBe(0);
    const unknown = await fetch(`${sim.url}/api/push/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, msg: 'Monitor not found or not active.' });
    await fetch(url);
  });

  it('keeps auth per connection: loginByToken on a new socket, refused after the secret changes', async () => {
    const first = await open(sim);
    const { token } = await login(sim, first);
    const second = await open(sim);
    expect(await call(second, 'loginByToken', token)).toEqual({ ok: true });
    expect((await call(second, 'getMonitorList')).ok).toBe(true);
    sim.auth.rotateSecret();
    const third = await open(sim);
    expect(await call(third, 'loginByToken', token)).toEqual({ ok: false, msg: 'authInvalidToken', msgi18n: true });
  });
});

describe('kuma simulator limits', () => {
  it('rate-limits logins and refuses a websocket handshake whose Origin does not match', async () => {
    const sim = await startKumaSim({ loginsPerMinute: 2, afterLoginDelayMs: 0 });
    try {
      const socket = await open(sim);
      expect((await login(sim, socket)).ok).toBe(true);
      expect((await call(socket, 'login', { username: 'admin', password: 'wrong' })).ok).toBe(false);
      expect(await login(sim, socket)).toEqual({ ok: false, msg: 'Too frequently, try again later.' });
      const foreign = connect(sim.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { origin: 'http://evil.example' } });
      sockets.push(foreign);
      await expect(new Promise((resolve, reject) => { foreign.once('connect', () => resolve(undefined)); foreign.once('connect_error', reject); })).rejects.toThrow();
      const same = connect(sim.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { origin: sim.url } });
      sockets.push(same);
      await expect(new Promise((resolve, reject) => { same.once('connect', () => resolve('connected')); same.once('connect_error', reject); })).resolves.toBe('connected');
    } finally {
      await sim.close();
    }
  });
});

describe('kuma simulator (1.23, 2FA)', () => {
  const secret = new Secret({ size: 20 }).base32;
  let sim: KumaSim;
  beforeAll(async () => { sim = await startKumaSim({ version: '1.23.17', totpSecret: secret, apiKey: false, afterLoginDelayMs: 0 }); });
  afterAll(async () => { await sim.close(); });

  it('wants a TOTP code, refuses a reused one, answers in English', async () => {
    const socket = await open(sim);
    expect(await login(sim, socket)).toEqual({ tokenRequired: true });
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    const creds = { username: sim.credentials.values.KUMA_USERNAME, password: sim.credentials.values.KUMA_PASSWORD };
    expect(await call(socket, 'login', { ...creds, token: '000000' === code ? '111111' : '000000' })).toEqual({ ok: false, msg: 'Invalid Token!' });
    const ok = await call(socket, 'login', { ...creds, token: code });
    expect(ok.ok).toBe(true);
    const again = await open(sim);
    expect(await call(again, 'login', { ...creds, token: code })).toEqual({ ok: false, msg: 'Invalid Token!' });
  });

  it('rejects 2.x columns, re-sends monitorList, and never answers a 3-argument deleteMonitor', async () => {
    const socket = await open(sim);
    expect((await call(socket, 'loginByToken', sim.auth.issue())).ok).toBe(true);
    const base = { type: 'ping', name: 'probe', hostname: '10.5.0.99', interval: 60, retryInterval: 60, accepted_statuscodes: ['200-299'], notificationIDList: {} };
    expect(await call(socket, 'add', { ...base, conditions: [] })).toEqual({ ok: false, msg: 'SQLITE_ERROR: table monitor has no column named conditions' });
    expect(await call(socket, 'add', { ...base, interval: 10 })).toEqual({ ok: false, msg: 'Interval cannot be less than 20 seconds' });
    const list = once<[Record<string, unknown>]>(socket, 'monitorList');
    const added = await call(socket, 'add', base);
    expect(added).toEqual({ ok: true, msg: 'Added Successfully.', monitorID: expect.any(Number) });
    expect(Object.keys((await list)[0])).toContain(String(added.monitorID));
    const id = Number(added.monitorID);
    await expect(socket.timeout(300).emitWithAck('deleteMonitor', id, false)).rejects.toThrow();
    expect(sim.state.monitors.has(id)).toBe(false);
  });

  it('serves /metrics with the user password before any API key, without monitor_id', async () => {
    const res = await fetch(`${sim.url}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`${sim.credentials.values.KUMA_USERNAME}:${sim.credentials.values.KUMA_PASSWORD}`).toString('base64')}` } });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('monitor_status{monitor_name="pve1",monitor_type="ping",monitor_url="https://",monitor_hostname="10.5.0.1",monitor_port="null"} 1');
    expect(text).not.toContain('monitor_uptime_ratio');
  });

  it('takes pushes by GET only', async () => {
    const url = sim.pushUrl('beszel-heartbeat');
    expect((await fetch(url, { method: 'POST' })).status).toBe(404);
    expect((await fetch(url)).status).toBe(200);
  });
});
