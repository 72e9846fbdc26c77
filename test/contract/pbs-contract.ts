/**
 * @module test/contract/pbs-contract
 * The PBS contract: what our client relies on, checked the same way against the
 * simulator and (opt-in) a real Proxmox Backup Server. Read-only: nothing is started,
 * changed or deleted on the server.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient } from '../../src/core/http/index.js';
import { PbsClient, pbsAuthHeader } from '../../src/services/pbs/index.js';
import { endpointSchema } from '../../src/services/pbs/sim/api-schema.js';
import { normaliseSnapshotFiles, returnsErrors } from '../services/pbs/returns-check.js';

/** A server to check. */
export interface PbsTarget {
  url: string;
  fingerprint?: string;
  tokenId: string;
  secret: string;
  /** Datastore to read (default: the first one listed). */
  store?: string;
}

/** Defines the contract tests for the target `get()` returns (valid once `beforeAll` ran). */
export function pbsContract(label: string, get: () => PbsTarget): void {
  const http = (authorization?: string): HttpClient => {
    const t = get();
    return new HttpClient({ service: 'pbs', baseUrl: `${t.url}/api2/json`, fingerprint: t.fingerprint, retries: 0, headers: (): Record<string, string> => (authorization ? { authorization } : {}) });
  };
  const good = (): string => pbsAuthHeader(get().tokenId, get().secret);
  const client = (): PbsClient => new PbsClient(http(good()), { url: get().url, stale_hours: 26, task_poll_ms: 1000 });
  const data = async (path: string): Promise<{ data: unknown; body: Record<string, unknown> }> => {
    const res = await http(good()).request({ method: 'GET', path });
    expect(res.status, `${path}: ${res.text}`).toBe(200);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    return { data: body.data, body };
  };
  const store = async (): Promise<string> => get().store ?? ((await client().datastores())[0]?.store as string);

  describe(`PBS contract (${label})`, () => {
    it('accepts the token with a colon before the secret and wraps answers in {data}', async () => {
      const { data: version } = await data('/version');
      expect(returnsErrors(version, endpointSchema('GET', '/version').returns)).toEqual([]);
    });

    it('refuses the token written PVE-style (with "=" before the secret) with a plain-text 401', async () => {
      const t = get();
      const res = await http(`PBSAPIToken=${t.tokenId}=${t.secret}`).request({ method: 'GET', path: '/version' });
      expect(res.status).toBe(401);
      expect(res.text).toMatch(/^authentication failed - /);
    });

    it('answers an unknown path with 404 and plain text', async () => {
      const res = await http(good()).request({ method: 'GET', path: '/no-such-path' });
      expect({ status: res.status, text: res.text }).toEqual({ status: 404, text: "Path '/api2/json/no-such-path' not found." });
    });

    it('refuses a bad parameter with 400 and a plain-text body naming it', async () => {
      const res = await http(good()).request({ method: 'GET', path: '/nodes/localhost/tasks', query: { limit: 'many' } });
      expect(res.status).toBe(400);
      expect(() => JSON.parse(res.text)).toThrow();
      expect(res.text).toContain('limit');
    });

    it('lists datastores, usage and GC status in the documented shapes', async () => {
      const name = await store();
      for (const [template, path] of [
        ['/admin/datastore', '/admin/datastore'], ['/status/datastore-usage', '/status/datastore-usage'],
        ['/admin/datastore/{store}/gc', `/admin/datastore/${name}/gc`],
      ] as const) {
        expect(returnsErrors((await data(path)).data, endpointSchema('GET', template).returns), path).toEqual([]);
      }
      const usage = await client().usage();
      expect(usage.some((u) => u.store === name)).toBe(true);
      expect((await client().gcStatus(name)).store ?? name).toBe(name);
    });

    it('lists snapshots in the documented shape (files as names or objects)', async () => {
      const name = await store();
      const { data: snaps } = await data(`/admin/datastore/${name}/snapshots`);
      expect(returnsErrors(normaliseSnapshotFiles(snaps), endpointSchema('GET', '/admin/datastore/{store}/snapshots').returns)).toEqual([]);
      await expect(client().snapshots(name)).resolves.toBeInstanceOf(Array);
    });

    it('lists tasks with a top-level total, and reads status and log of one', async () => {
      const { data: tasks, body } = await data('/nodes/localhost/tasks?limit=5');
      expect(typeof body.total).toBe('number');
      expect(returnsErrors(tasks, endpointSchema('GET', '/nodes/{node}/tasks').returns)).toEqual([]);
      const first = (tasks as { upid: string }[])[0];
      if (!first) return;
      const status = await client().taskStatus(first.upid);
      expect(['running', 'stopped']).toContain(status.status);
      const { data: statusData } = await data(`/nodes/localhost/tasks/${encodeURIComponent(first.upid)}/status`);
      expect(statusData).toHaveProperty('type');
      expect(statusData).not.toHaveProperty('worker_type');
      const log = await client().taskLog(first.upid, 0, 5);
      expect(log.total).toBeGreaterThanOrEqual(log.lines.length);
      const raw = await data(`/nodes/localhost/tasks/${encodeURIComponent(first.upid)}/log?limit=5`);
      expect(z.array(z.object({ n: z.number(), t: z.string() })).safeParse(raw.data).success).toBe(true);
    });
  });
}
