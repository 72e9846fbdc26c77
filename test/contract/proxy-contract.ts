/**
 * @module test/contract/proxy-contract
 * The Nginx Proxy Manager contract: what the proxy client relies on, checked the same
 * way against the simulator and (opt-in) a real server. Reads only, unless `write` is
 * set: then a proxy host `homelab-contract-*.invalid` is created, changed and deleted.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient, type HttpResponse } from '../../src/core/http/index.js';
import { NpmClient } from '../../src/services/proxy/client.js';
import { healthSchema, proxyHostSchema, tokenSchema } from '../../src/services/proxy/schemas.js';
import { NpmSession } from '../../src/services/proxy/session.js';

/** A server to check. */
export interface ProxyTarget {
  url: string;
  email: string;
  password: string;
  /** Allow the write checks (they create and delete one proxy host). */
  write?: boolean;
}

const errorBody = z.object({ error: z.object({ code: z.number(), message: z.string() }) });

/** Defines the contract tests for the target `get()` returns (valid once `beforeAll` ran). */
export function proxyContract(label: string, get: () => ProxyTarget): void {
  const http = (): HttpClient => new HttpClient({ service: 'proxy', baseUrl: `${get().url}/api`, retries: 0 });
  const client = (): NpmClient => {
    const h = http();
    return new NpmClient(h, new NpmSession(h, { email: get().email, password: get().password }));
  };
  let token: string | undefined;
  const login = async (): Promise<string> => {
    token ??= tokenSchema.parse(JSON.parse((await http().request({ method: 'POST', path: '/tokens', json: { identity: get().email, secret: get().password } })).text)).token;
    return token;
  };
  const raw = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, json?: unknown, bearer?: string | null): Promise<HttpResponse> => {
    const auth = bearer === null ? undefined : (bearer ?? (await login()));
    return http().request({ method, path, json, headers: auth ? { authorization: `Bearer ${auth}` } : undefined });
  };
  const message = (res: HttpResponse): string => errorBody.parse(JSON.parse(res.text)).error.message;

  describe(`NPM contract (${label})`, () => {
    it('reports health without a token', async () => {
      const res = await raw('GET', '/', undefined, null);
      expect(res.status).toBe(200);
      expect(healthSchema.parse(JSON.parse(res.text)).status).toBe('OK');
    });

    it('logs in by email and answers {token, expires} with a future ISO expiry', async () => {
      const res = await http().request({ method: 'POST', path: '/tokens', json: { identity: get().email, secret: get().password } });
      expect(res.status).toBe(200);
      const t = tokenSchema.parse(JSON.parse(res.text));
      expect(Date.parse(t.expires)).toBeGreaterThan(Date.now());
    });

    it('answers a wrong password with 400 (not 401) and extra login keys with 400', async () => {
      const wrong = await http().request({ method: 'POST', path: '/tokens', json: { identity: get().email, secret: `wrong-${randomBytes(4).toString('hex')}` } });
      expect(wrong.status).toBe(400);
      expect(message(wrong)).toBe('Invalid email or password');
      const extra = await http().request({ method: 'POST', path: '/tokens', json: { identity: get().email, secret: get().password, expiry: '1y' } });
      expect(extra.status).toBe(400);
    });

    it('answers no token with 403 or 404, and a malformed token with 500', async () => {
      expect([403, 404]).toContain((await raw('GET', '/nginx/proxy-hosts', undefined, null)).status);
      expect((await raw('GET', '/nginx/proxy-hosts', undefined, 'not.a.token')).status).toBe(500);
    });

    it('refreshes a valid token with GET /api/tokens', async () => {
      const res = await raw('GET', '/tokens');
      expect(res.status).toBe(200);
      expect(tokenSchema.safeParse(JSON.parse(res.text)).success).toBe(true);
    });

    it('lists every resource in the shapes the client reads', async () => {
      const c = client();
      const [hosts, certs, redirects, dead, streams, lists, audit] = await Promise.all([
        c.proxyHosts(), c.certificates(), c.redirectionHosts(), c.deadHosts(), c.streams(), c.accessLists(), c.auditLog(),
      ]);
      for (const list of [hosts, certs, redirects, dead, streams, lists, audit]) expect(Array.isArray(list)).toBe(true);
      expect(audit.length).toBeLessThanOrEqual(100);
    });

    it('creates with 201, updates partially, refuses unknown keys, no-op toggles and used domains, soft-deletes', async (ctx) => {
      if (!get().write) return ctx.skip();
      const domain = `homelab-contract-${randomBytes(3).toString('hex')}.invalid`;
      const body = { domain_names: [domain], forward_scheme: 'http', forward_host: '127.0.0.1', forward_port: 9 };
      const created = await raw('POST', '/nginx/proxy-hosts', body);
      expect(created.status).toBe(201);
      const host = proxyHostSchema.parse(JSON.parse(created.text));
      try {
        const put = await raw('PUT', `/nginx/proxy-hosts/${host.id}`, { forward_port: 10 });
        expect(proxyHostSchema.parse(JSON.parse(put.text))).toMatchObject({ forward_port: 10, forward_host: '127.0.0.1', domain_names: [domain] });
        const unknown = await raw('PUT', `/nginx/proxy-hosts/${host.id}`, { forward_port: 11, id: host.id });
        expect(unknown.status).toBe(400);
        expect(message(unknown)).toContain('additional properties');
        const again = await raw('POST', '/nginx/proxy-hosts', body);
        expect(again.status).toBe(400);
        expect(message(again)).toBe(`${domain} is already in use`);
        const enable = await raw('POST', `/nginx/proxy-hosts/${host.id}/enable`);
        expect(enable.status).toBe(400);
        expect(message(enable)).toBe('Host is already enabled');
      } finally {
        const del = await raw('DELETE', `/nginx/proxy-hosts/${host.id}`);
        expect({ status: del.status, body: del.text }).toEqual({ status: 200, body: 'true' });
      }
      expect((await raw('GET', `/nginx/proxy-hosts/${host.id}`)).status).toBe(404);
      const next = await raw('POST', '/nginx/proxy-hosts', body);
      const nextId = proxyHostSchema.parse(JSON.parse(next.text)).id;
      await raw('DELETE', `/nginx/proxy-hosts/${nextId}`);
      expect(nextId).toBeGreaterThan(host.id);
    });
  });
}
