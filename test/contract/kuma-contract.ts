/**
 * @module test/contract/kuma-contract
 * The Uptime Kuma contract: what the kuma client relies on, checked the same way against
 * the simulator and (opt-in) a real server — `/metrics` with Basic auth, the Socket.IO
 * login and its pushes, `getMonitor`. With `options.write`, a push monitor named
 * `homelab-contract-*` is added, pushed to, paused, resumed, edited whole and deleted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { TOTP, Secret } from 'otpauth';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KumaClient } from '../../src/services/kuma/client.js';
import { parsePrometheus } from '../../src/services/kuma/metrics.js';
import { monitorPayload, newPushToken } from '../../src/services/kuma/monitor.js';
import { KumaTokenCache } from '../../src/services/kuma/token-cache.js';

/** A server to check. */
export interface KumaTarget {
  url: string;
  apiKey: string;
  username: string;
  password: string;
  totpSecret?: string;
}

type Ack = Record<string, unknown>;

/** Defines the contract tests for the target `get()` returns (valid once `beforeAll` ran). */
export function kumaContract(label: string, get: () => KumaTarget, options: { write: boolean }): void {
  const sockets: Socket[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    for (const s of sockets) s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const open = (): Promise<Socket> => {
    const socket = io(get().url, { transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    return new Promise((resolve, reject) => { socket.once('connect', () => resolve(socket)); socket.once('connect_error', reject); });
  };
  /** A call retried while unanswered (a server that just started drops its first calls). */
  const call = async (socket: Socket, event: string, ...args: unknown[]): Promise<Ack> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await socket.timeout(3000).emitWithAck(event, ...args)) as Ack;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  };
  let token: string | undefined;
  const login = async (socket: Socket): Promise<Ack> => {
    if (token) return call(socket, 'loginByToken', token);
    const t = get();
    let res = await call(socket, 'login', { username: t.username, password: t.password });
    if (res.tokenRequired === true && t.totpSecret) res = await call(socket, 'login', { username: t.username, password: t.password, token: new TOTP({ secret: Secret.fromBase32(t.totpSecret) }).generate() });
    if (typeof res.token === 'string') token = res.token;
    return res;
  };
  const metrics = async (password?: string): Promise<Response> =>
    fetch(`${get().url}/metrics`, { headers: password === undefined ? {} : { authorization: `Basic ${Buffer.from(`homelab:${password}`).toString('base64')}` } });

  describe(`Uptime Kuma contract (${label})`, () => {
    it('serves /metrics to the API key as Basic password, 401 with a challenge otherwise', async () => {
      const none = await metrics();
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Basic/i);
      const res = await metrics(get().apiKey);
      expect(res.status).toBe(200);
      const samples = parsePrometheus(await res.text()).filter((s) => s.name === 'monitor_status');
      for (const s of samples) {
        expect([0, 1, 2, 3]).toContain(s.value);
        expect(s.labels).toHaveProperty('monitor_name');
        expect(s.labels).toHaveProperty('monitor_type');
      }
    });

    it('guards events before login, refuses a wrong password, logs in with a token', async () => {
      const socket = await open();
      expect((await call(socket, 'getMonitorList')).ok).toBe(false);
      expect((await call(socket, 'login', { username: get().username, password: `${get().password}-wrong` })).ok).toBe(false);
      const res = await login(socket);
      expect(res.ok).toBe(true);
    });

    it('pushes the monitor map keyed by id and snake_case heartbeat rows after loginByToken', async () => {
      const socket = await open();
      const list = new Promise<Record<string, Ack>>((resolve) => socket.once('monitorList', resolve));
      const beats: [string, Ack[]][] = [];
      socket.on('heartbeatList', (id: string, rows: Ack[]) => beats.push([String(id), rows]));
      if (!token) await login(await open());
      expect(await call(socket, 'loginByToken', token)).toMatchObject({ ok: true });
      const monitors = await list;
      expect(Array.isArray(monitors)).toBe(false);
      for (const [key, m] of Object.entries(monitors)) {
        expect(String(m.id)).toBe(key);
        expect(m).toMatchObject({ name: expect.any(String), type: expect.any(String) });
      }
      const first = Object.keys(monitors)[0];
      if (!first) return;
      await expect.poll(() => beats.length, { timeout: 5000 }).toBeGreaterThan(0);
      const row = beats.flatMap(([, rows]) => rows)[0];
      if (row) {
        expect(row).toHaveProperty('monitor_id');
        expect(String(row.time)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/);
      }
      const one = await call(socket, 'getMonitor', Number(first));
      expect(one.ok).toBe(true);
      const codes = (one.monitor as Ack).accepted_statuscodes as unknown[];
      expect(codes.every((c) => typeof c === 'string')).toBe(true);
    });

    it('serves the client: status from /metrics, the monitor list over the socket', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kuma-contract-'));
      dirs.push(dir);
      const t = get();
      const client = new KumaClient({ url: t.url, timeoutMs: 5000, apiKey: t.apiKey, username: t.username, password: t.password, totpSecret: t.totpSecret, tokens: new KumaTokenCache(dir, t.url, t.username) });
      try {
        const states = await client.metrics();
        expect(states.every((s) => ['up', 'down', 'pending', 'maintenance', 'unknown'].includes(s.status))).toBe(true);
        const session = await client.socket();
        expect((await session.monitorList()).size).toBeGreaterThanOrEqual(states.length);
      } finally {
        await client.close();
      }
    });

    it.skipIf(!options.write)('adds, pushes to, pauses, resumes, edits whole and deletes a scratch push monitor', async () => {
      const socket = await open();
      const info = new Promise<Ack>((resolve) => socket.on('info', (i: Ack) => { if (i.version) resolve(i); }));
      expect((await login(socket)).ok).toBe(true);
      const v2 = !String((await info).version).startsWith('1.');
      const pushToken = newPushToken();
      const name = `homelab-contract-${randomBytes(3).toString('hex')}`;
      const added = await call(socket, 'add', monitorPayload({ type: 'push', name, interval: 60, retries: 0, pushToken }, v2));
      expect(added).toMatchObject({ ok: true, monitorID: expect.anything() });
      const id = Number(added.monitorID);
      try {
        const push = await fetch(`${get().url}/api/push/${pushToken}?status=up&msg=OK&ping=3`);
        expect(await push.json()).toEqual({ ok: true });
        expect((await call(socket, 'pauseMonitor', id)).ok).toBe(true);
        expect((await fetch(`${get().url}/api/push/${pushToken}?status=up`)).status).toBe(404);
        expect((await call(socket, 'resumeMonitor', id)).ok).toBe(true);
        const { monitor } = z.object({ monitor: z.record(z.string(), z.unknown()) }).parse(await call(socket, 'getMonitor', id));
        expect((await call(socket, 'editMonitor', { ...monitor, interval: 120 })).ok).toBe(true);
        const after = z.object({ monitor: z.record(z.string(), z.unknown()) }).parse(await call(socket, 'getMonitor', id)).monitor;
        expect(after).toMatchObject({ interval: 120, pushToken, name });
      } finally {
        expect((await call(socket, 'deleteMonitor', id)).ok).toBe(true);
      }
    });
  });
}
