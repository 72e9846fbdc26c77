/**
 * A simulator's request log is bounded outside the tests (a `homelab lab` left running
 * keeps the last 1000 requests, not every one with its headers and body), and whole in a
 * test process (the setup file asks for it), over real sockets on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_LOG_LIMIT, keepFullRequestLogs, sendJson, startSimServer, type SimServer } from '../../src/lab/sim-server.js';

const started: SimServer[] = [];
afterEach(async () => {
  keepFullRequestLogs(true);
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function sim(): Promise<SimServer> {
  const s = await startSimServer({ name: 'echo', handle: ({ res }) => sendJson(res, 200, { ok: true }) });
  started.push(s);
  return s;
}

async function hit(s: SimServer, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await (await fetch(`${s.url}/r${i}`)).text();
}

describe('simulator request log', () => {
  it('keeps only the last REQUEST_LOG_LIMIT requests unless asked for all', async () => {
    keepFullRequestLogs(false);
    const s = await sim();
    await hit(s, REQUEST_LOG_LIMIT + 5);
    expect(REQUEST_LOG_LIMIT).toBe(1000);
    expect(s.requests).toHaveLength(REQUEST_LOG_LIMIT);
    expect(s.requests[0]?.path).toBe('/r5');
    expect(s.requests.at(-1)?.path).toBe(`/r${REQUEST_LOG_LIMIT + 4}`);
  });

  it('keeps every request in tests (the setup file turns it on)', async () => {
    const s = await sim();
    await hit(s, REQUEST_LOG_LIMIT + 5);
    expect(s.requests).toHaveLength(REQUEST_LOG_LIMIT + 5);
    expect(s.requests[0]?.path).toBe('/r0');
  });
});
