/**
 * Reads that start together on a fresh Beszel client (the watch runs its checks at once:
 * `systems` and `consistency` both read `beszel systems`) share one SDK instance (and its
 * auth store), and each gets every system. Against the simulator over real sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { BeszelClient } from '../../../src/services/beszel/client.js';
import { systemRecordSchema } from '../../../src/services/beszel/schemas.js';
import { startBeszelSim, type BeszelSim } from '../../../src/services/beszel/sim/index.js';
import { BeszelTokenCache } from '../../../src/services/beszel/token-cache.js';

let sim: BeszelSim;
let dataDir: string;
beforeAll(async () => {
  sim = await startBeszelSim();
  dataDir = mkdtempSync(join(tmpdir(), 'beszel-race-'));
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('two reads started together on a fresh client both get every system', async () => {
  const email = sim.credentials.values.BESZEL_EMAIL ?? '';
  const client = new BeszelClient({
    http: new HttpClient({ service: 'beszel', baseUrl: `${sim.url}/api`, backoffMs: 10 }),
    url: sim.url, email, password: sim.credentials.values.BESZEL_PASSWORD ?? '',
    cache: new BeszelTokenCache(dataDir, sim.url, email),
  });
  const [a, b] = await Promise.all([client.listAll('systems', systemRecordSchema), client.listAll('systems', systemRecordSchema)]);
  expect(a.length).toBeGreaterThan(0);
  expect(b.map((s) => s.name)).toEqual(a.map((s) => s.name));
});
