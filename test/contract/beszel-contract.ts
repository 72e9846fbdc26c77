/**
 * @module test/contract/beszel-contract
 * The Beszel (PocketBase) contract: what the beszel client relies on, checked the same
 * way against the simulator and (opt-in) a real hub. Read-only: nothing is changed.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient } from '../../src/core/http/index.js';
import { BeszelClient } from '../../src/services/beszel/client.js';
import { systemSummary } from '../../src/services/beszel/mapping.js';
import { listEnvelope, systemRecordSchema } from '../../src/services/beszel/schemas.js';

/** A hub to check. */
export interface BeszelTarget {
  url: string;
  fingerprint?: string;
  email: string;
  password: string;
}

const errorEnvelope = z.object({ status: z.number(), message: z.string(), data: z.record(z.string(), z.unknown()) });
const PB_DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Defines the contract tests for the target `get()` returns (valid once `beforeAll` ran). */
export function beszelContract(label: string, get: () => BeszelTarget): void {
  const http = (): HttpClient => new HttpClient({ service: 'beszel', baseUrl: `${get().url}/api`, fingerprint: get().fingerprint, retries: 0 });
  const call = async (method: 'GET' | 'POST', path: string, options: { token?: string; json?: unknown; query?: Record<string, string> } = {}): Promise<{ status: number; body: unknown }> => {
    const res = await http().request({ method, path, json: options.json, query: options.query, headers: options.token ? { authorization: options.token } : {} });
    return { status: res.status, body: res.text ? JSON.parse(res.text) : undefined };
  };
  let token: string | undefined;
  const login = async (): Promise<string> => {
    token ??= await (async () => {
      const res = await call('POST', '/collections/users/auth-with-password', { json: { identity: get().email, password: get().password } });
      expect(res.status).toBe(200);
      return z.object({ token: z.string() }).parse(res.body).token;
    })();
    return token;
  };
  const forged = (): string => `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ id: 'x', type: 'auth', exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.${randomBytes(32).toString('base64url')}`;

  describe(`Beszel contract (${label})`, () => {
    it('answers the health check without auth', async () => {
      const res = await call('GET', '/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ code: 200, message: expect.any(String) });
    });

    it('logs in by email with a JWT carrying exp, refuses a wrong password with 400 and the error envelope', async () => {
      const res = await call('POST', '/collections/users/auth-with-password', { json: { identity: get().email, password: get().password } });
      expect(res.status).toBe(200);
      const body = z.object({ token: z.string(), record: z.looseObject({ id: z.string(), collectionName: z.literal('users') }) }).parse(res.body);
      const claims = JSON.parse(Buffer.from(body.token.split('.')[1] ?? '', 'base64url').toString()) as { exp?: number };
      expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
      const bad = await call('POST', '/collections/users/auth-with-password', { json: { identity: get().email, password: `${get().password}-wrong` } });
      expect(bad.status).toBe(400);
      expect(errorEnvelope.parse(bad.body).status).toBe(400);
    });

    it('lists systems in the envelope with short info keys', async () => {
      const res = await call('GET', '/collections/systems/records', { token: await login(), query: { perPage: '5000', sort: 'name' } });
      expect(res.status).toBe(200);
      const page = listEnvelope(systemRecordSchema).parse(res.body);
      expect(page.perPage).toBe(1000);
      for (const s of page.items) {
        expect(['up', 'down', 'paused', 'pending']).toContain(s.status);
        const summary = systemSummary(s);
        if (s.status === 'up') expect(summary.cpuPercent).toEqual(expect.any(Number));
      }
    });

    it('answers a missing or forged token with an empty list, not an error; auth-refresh tells them apart', async () => {
      for (const t of [undefined, forged()]) {
        const res = await call('GET', '/collections/systems/records', { token: t });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ totalItems: 0, items: [] });
      }
      expect((await call('POST', '/collections/users/auth-refresh', { token: forged() })).status).toBe(401);
      expect((await call('POST', '/collections/users/auth-refresh', { token: await login() })).status).toBe(200);
    });

    it('skips totals, filters and sorts stats the way the client asks', async () => {
      const t = await login();
      const systems = listEnvelope(systemRecordSchema).parse((await call('GET', '/collections/systems/records', { token: t, query: { perPage: '1', skipTotal: '1' } })).body);
      expect(systems.totalItems).toBe(-1);
      const first = systems.items[0];
      if (!first) return;
      const stats = await call('GET', '/collections/system_stats/records', { token: t, query: { filter: `system = '${first.id}'`, sort: '-created', perPage: '2', fields: 'created,stats,type' } });
      expect(stats.status).toBe(200);
      const items = z.object({ items: z.array(z.object({ created: z.string(), stats: z.record(z.string(), z.unknown()), type: z.string() }).strict()) }).parse(stats.body).items;
      for (const i of items) expect(i.created).toMatch(PB_DATE);
      if (items.length === 2) expect((items[0]?.created ?? '') >= (items[1]?.created ?? '')).toBe(true);
    });

    it('refuses a bad filter with 400 and has no view rule on alerts', async () => {
      const t = await login();
      const bad = await call('GET', '/collections/systems/records', { token: t, query: { filter: "no_such_field = 'x'" } });
      expect(bad.status).toBe(400);
      errorEnvelope.parse(bad.body);
      const alerts = z.object({ items: z.array(z.object({ id: z.string() }).loose()) }).parse((await call('GET', '/collections/alerts/records', { token: t, query: { perPage: '1' } })).body);
      const alert = alerts.items[0];
      if (alert) expect((await call('GET', `/collections/alerts/records/${alert.id}`, { token: t })).status).toBe(403);
    });

    it('serves the client: list all systems through the SDK', async () => {
      const client = new BeszelClient({ http: http(), url: get().url, email: get().email, password: get().password });
      const systems = await client.listAll('systems', systemRecordSchema, { sort: 'name' });
      expect(Array.isArray(systems)).toBe(true);
      expect(client.logins).toBe(1);
    });
  });
}
