/**
 * What paging costs PVE, over real HTTP with the SDK client against a lab of 500 more guests
 * (the simulator records every request): `pve_configs` asked for a page fetches only that
 * page's configs (its operation reads less for a window: `Operation.page`), paging through
 * all of it reads each config once, and the pages of `check` after the first come from the run
 * that answered the first (no request to PVE), the showing line saying so.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { connect, startServer, textOf } from './helpers.js';

const lab = useLab({ services: ['pve', 'dns', 'proxy', 'kuma', 'pbs', 'beszel'], extraGuests: 500 });
let server: McpHttpServer;
let client: Client;

beforeAll(async () => {
  server = await startServer(lab.current, 'read');
  client = await connect(server);
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

const call = async (name: string, args: Record<string, unknown>): Promise<{ last: string; structured: Record<string, unknown> }> => {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
  return { last: textOf(result).split('\n').at(-1) ?? '', structured: (result.structuredContent ?? {}) as Record<string, unknown> };
};

/** The PVE requests `run` makes: all of them, and those for a guest's config. */
async function pveRequests(run: () => Promise<unknown>): Promise<{ all: number; configs: number }> {
  const requests = lab.current.sims.get('pve')?.requests ?? [];
  const before = requests.length;
  await run();
  const made = requests.slice(before);
  return { all: made.length, configs: made.filter((r) => /\/(qemu|lxc)\/\d+\/config$/.test(r.path)).length };
}

describe('MCP paging: what it costs PVE', () => {
  it('fetches only the configs of the page asked for', async () => {
    let page: Awaited<ReturnType<typeof call>> | undefined;
    const cost = await pveRequests(async () => { page = await call('pve_configs', { limit: 10, offset: 20 }); });
    expect(cost.configs).toBe(10);
    expect(cost.all).toBeLessThanOrEqual(12);
    expect(page?.last).toBe('showing 21–30 of 513 (guests); pass offset: 30 for more');
    expect(page?.structured).toMatchObject({ total: 513, nextOffset: 30 });
    expect((page?.structured.guests as { vmid: number }[]).map((g) => g.vmid)).toHaveLength(10);
  });

  it('reads each config once when paging through all of them, with no guest twice or left out', async () => {
    const vmids: number[] = [];
    let calls = 0;
    const cost = await pveRequests(async () => {
      for (let offset: number | undefined = 0; offset !== undefined; calls++) {
        const page = await call('pve_configs', offset === 0 ? {} : { offset });
        vmids.push(...(page.structured.guests as { vmid: number }[]).map((g) => g.vmid));
        offset = page.structured.nextOffset as number | undefined;
      }
    });
    expect(vmids).toHaveLength(513);
    expect(new Set(vmids).size).toBe(513);
    // Each page fetches its own window, and a window is shown whole unless too long for one answer.
    expect(cost.configs).toBeLessThanOrEqual(513 + calls * 100);
    expect(cost.configs).toBeLessThan(2 * 513);
  });

  it('answers the later pages of check from the run that answered the first', async () => {
    let first: Awaited<ReturnType<typeof call>> | undefined;
    const firstCost = await pveRequests(async () => { first = await call('check', { limit: 1 }); });
    expect(firstCost.all).toBeGreaterThan(500);
    expect(first?.last).toMatch(/^showing 1–1 of \d+ \(findings\); pass offset: 1 for more$/);
    let second: Awaited<ReturnType<typeof call>> | undefined;
    const secondCost = await pveRequests(async () => { second = await call('check', { limit: 1, offset: 1 }); });
    expect(secondCost.all).toBe(0);
    expect(second?.last).toMatch(/^showing 2–2 of \d+ \(findings\).*; every page from one run, made at \d\d:\d\d:\d\d UTC$/);
    expect(second?.structured.total).toBe(first?.structured.total);
    // Another input is another run.
    const other = await pveRequests(() => call('check', { limit: 1, offset: 1, concurrency: 8 }));
    expect(other.all).toBeGreaterThan(500);
  });
});
