/**
 * The simulator's `GET /nodes/{node}/rrddata` sums the guests' load once per request, not
 * once per row (70 rows × every guest each took seconds at 8000 guests, stalling every
 * simulator of the lab), over a real socket; the rows still follow the day's rhythm.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { startPveSim, type PveSim } from '../../../src/services/pve/sim/index.js';
import { nodeStats } from '../../../src/services/pve/sim/stats.js';

vi.mock('../../../src/services/pve/sim/stats.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/services/pve/sim/stats.js')>();
  return { ...real, nodeStats: vi.fn(real.nodeStats) };
});

let sim: PveSim;
let http: HttpClient;

beforeAll(async () => {
  sim = await startPveSim({ taskDurationMs: 150, authFailDelayMs: 50 });
  const { PVE_TOKEN_ID: id, PVE_TOKEN_SECRET: secret } = sim.credentials.values;
  http = new HttpClient({ service: 'pve', baseUrl: `${sim.url}/api2/json`, fingerprint: sim.fingerprint, headers: () => ({ authorization: `PVEAPIToken=${id}=${secret}` }) });
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
});

describe('pve simulator rrddata', () => {
  it('works out the node\'s numbers once per request, for all 70 rows', async () => {
    vi.mocked(nodeStats).mockClear();
    const res = await http.request({ method: 'GET', path: '/nodes/pve1/rrddata', query: { timeframe: 'day' } });
    expect(res.status).toBe(200);
    const rows = (JSON.parse(res.text) as { data: { time: number; cpu?: number }[] }).data;
    expect(rows).toHaveLength(70);
    expect(vi.mocked(nodeStats)).toHaveBeenCalledTimes(1);
    // Still a history, not one value repeated.
    expect(new Set(rows.map((r) => r.cpu).filter((c) => c !== undefined)).size).toBeGreaterThan(10);
  });
});
