/**
 * @module test/contract/dns-contract
 * The Technitium contract: what the dns client relies on, checked the same way against
 * the simulator and (opt-in) a real server. Reads only, unless the target names a
 * scratch zone: then records named `homelab-contract-*` are added, changed and removed.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient } from '../../src/core/http/index.js';
import { DnsClient } from '../../src/services/dns/client.js';
import { envelopeSchema, recordSchema, statsResponseSchema, zoneSchema } from '../../src/services/dns/schemas.js';

/** A server to check. */
export interface DnsTarget {
  url: string;
  /** A permanent API token, or user and password. */
  token?: string;
  user?: string;
  password?: string;
  /** Zone the write checks may add records to (skipped without one). */
  zone?: string;
}

/** Defines the contract tests for the target `get()` returns (valid once `beforeAll` ran). */
export function dnsContract(label: string, get: () => DnsTarget): void {
  const http = (): HttpClient => new HttpClient({ service: 'dns', baseUrl: `${get().url}/api`, retries: 0 });
  const client = (): DnsClient => new DnsClient(http(), { token: get().token, user: get().user, password: get().password });
  let token: string | undefined;
  const auth = async (): Promise<string> => {
    const t = get();
    if (t.token) return t.token;
    token ??= await (async () => {
      const res = await http().request({ method: 'POST', path: '/user/login', form: { user: t.user, pass: t.password } });
      return z.object({ token: z.string() }).parse(JSON.parse(res.text)).token;
    })();
    return token;
  };
  /** A raw call with the token as a parameter (every version takes it that way). */
  const raw = async (path: string, params: Record<string, string>, post = false): Promise<{ http: number; body: z.infer<typeof envelopeSchema> }> => {
    const all = { ...params, token: params.token ?? (await auth()) };
    const res = await http().request(post ? { method: 'POST', path, form: all } : { method: 'GET', path, query: all });
    return { http: res.status, body: envelopeSchema.parse(JSON.parse(res.text)) };
  };

  describe(`Technitium contract (${label})`, () => {
    it('answers a bad token with HTTP 200 and status invalid-token', async () => {
      const res = await raw('/zones/list', { token: randomBytes(32).toString('hex') });
      expect(res.http).toBe(200);
      expect(res.body.status).toBe('invalid-token');
      expect(res.body.errorMessage).toBeTruthy();
    });

    it('answers a failed call with HTTP 200, status error and an errorMessage', async () => {
      const res = await raw('/zones/records/get', { domain: `nowhere-${randomBytes(4).toString('hex')}.invalid` });
      expect(res.http).toBe(200);
      expect(res.body.status).toBe('error');
      expect(res.body.errorMessage).toBeTruthy();
    });

    it('refuses 1/0 for a boolean (bool.Parse): true/false must be sent', async () => {
      const zones = z.object({ zones: z.array(zoneSchema) }).parse((await raw('/zones/list', {})).body.response).zones;
      const zone = zones.find((x) => !x.internal && x.type === 'Primary') ?? zones[0];
      expect((await raw('/zones/records/get', { domain: zone?.name ?? '', listZone: '1' })).body.status).toBe('error');
      expect((await raw('/zones/records/get', { domain: zone?.name ?? '', listZone: 'true' })).body.status).toBe('ok');
    });

    it('lists zones and records in the shapes the client reads', async () => {
      const zones = await client().zones();
      expect(zones.length).toBeGreaterThan(0);
      const zone = zones.find((x) => !x.internal && x.type === 'Primary');
      if (!zone) return;
      const { records } = await client().records(zone.name, { zone: zone.name, listZone: true });
      for (const r of records) expect(recordSchema.safeParse(r).success).toBe(true);
      expect(records.some((r) => r.type === 'SOA' && typeof r.ttl === 'number')).toBe(true);
    });

    it('gives dashboard stats in the shape the client reads', async () => {
      const res = await raw('/dashboard/stats/get', { type: 'LastHour' });
      expect(statsResponseSchema.safeParse(res.body.response).success).toBe(true);
    });

    it('resets TTL, comments and disabled on an update that omits them; deletes by value', async (ctx) => {
      const zone = get().zone;
      if (!zone) return ctx.skip();
      const name = `homelab-contract-${randomBytes(3).toString('hex')}.${zone}`;
      try {
        const added = await raw('/zones/records/add', { domain: name, zone, type: 'A', ipAddress: '192.0.2.10', ttl: '120', comments: 'contract' }, true);
        expect(added.body.status).toBe('ok');
        expect(recordSchema.parse((added.body.response as { addedRecord: unknown }).addedRecord)).toMatchObject({ ttl: 120, comments: 'contract' });
        await raw('/zones/records/update', { domain: name, zone, type: 'A', ipAddress: '192.0.2.10', ttl: '120', comments: 'contract', disable: 'true' }, true);
        const bare = await raw('/zones/records/update', { domain: name, zone, type: 'A', ipAddress: '192.0.2.10', newIpAddress: '192.0.2.11' }, true);
        const after = recordSchema.parse((bare.body.response as { updatedRecord: unknown }).updatedRecord);
        expect(after.ttl).not.toBe(120);
        expect(after.disabled).toBe(false);
        expect(after.comments ?? '').toBe('');
        expect((await raw('/zones/records/delete', { domain: name, zone, type: 'A', ipAddress: '192.0.2.11' }, true)).body.status).toBe('ok');
        expect((await raw('/zones/records/delete', { domain: name, zone, type: 'A', ipAddress: '192.0.2.11' }, true)).body.status).toBe('error');
      } finally {
        await raw('/zones/records/delete', { domain: name, zone, type: 'A', ipAddress: '192.0.2.10' }, true).catch(() => undefined);
        await raw('/zones/records/delete', { domain: name, zone, type: 'A', ipAddress: '192.0.2.11' }, true).catch(() => undefined);
      }
    });
  });
}
