/**
 * Long answers over MCP, against a lab of a thousand more guests over real HTTP with the SDK
 * client: a list comes a page at a time (text under 25,000 characters, its last line saying
 * which offset to pass next; the structured content the same page plus `total`), `limit` and
 * `offset` ask for another page (a limit whose page is too long made smaller), only tools that
 * list something take them, and a long text that is no list (`export`'s lab.yaml) is cut with a
 * note while its structured content stays whole. Short answers are as they were.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { connect, startServer, textOf } from './helpers.js';

const lab = useLab({ services: ['pve', 'dns', 'proxy', 'kuma'], extraGuests: 1000 });
let server: McpHttpServer;
let client: Client;

beforeAll(async () => {
  server = await startServer(lab.current, 'change');
  client = await connect(server);
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

const call = async (name: string, args: Record<string, unknown>): Promise<{ text: string; last: string; structured: Record<string, unknown>; isError: boolean }> => {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
  const text = textOf(result);
  return { text, last: text.split('\n').at(-1) ?? '', structured: (result.structuredContent ?? {}) as Record<string, unknown>, isError: result.isError === true };
};
const vmids = (structured: Record<string, unknown>): number[] => (structured.result as { vmid: number }[]).map((g) => g.vmid);

describe('MCP: long answers', () => {
  it('answers a long list a page at a time, the text under 25,000 characters and its last line saying what to pass next', async () => {
    const first = await call('pve_list', {});
    expect(first.isError).toBe(false);
    expect(first.text.length).toBeLessThanOrEqual(25_000);
    expect(first.last).toBe('showing 1–200 of 1013; pass offset: 200 for more');
    expect(first.structured).toMatchObject({ total: 1013, nextOffset: 200 });
    expect(vmids(first.structured)).toHaveLength(200);

    // The later pages are cut from the run that answered the first (kept-runs), and say so.
    const second = await call('pve_list', { offset: 200 });
    expect(second.last).toMatch(/^showing 201–400 of 1013; pass offset: 400 for more; every page from one run, made at \d\d:\d\d:\d\d UTC$/);
    const all = [...vmids(first.structured), ...vmids(second.structured)];
    expect(new Set(all).size).toBe(400);
    // The text shows the page the structured content holds.
    expect(second.text.split('\n')[1]).toMatch(new RegExp(`^ *${vmids(second.structured)[0]} `));

    const end = await call('pve_list', { offset: 1000 });
    expect(end.last).toMatch(/^showing 1001–1013 of 1013; every page from one run/);
    expect(end.structured.nextOffset).toBeUndefined();
    const past = await call('pve_list', { offset: 5000 });
    expect(past.last).toMatch(/^showing none of 1013: offset 5000 is past the end; every page from one run/);
  });

  it('pages the list an object holds (the field its operation names), within the structured cap too', async () => {
    const configs = await call('pve_configs', {});
    expect(configs.text.length).toBeLessThanOrEqual(25_000);
    expect(JSON.stringify(configs.structured).length).toBeLessThanOrEqual(100_000);
    expect(configs.last).toMatch(/^showing 1–\d+ of 1013 \(guests\); pass offset: \d+ for more$/);
    expect(configs.structured.total).toBe(1013);

    const records = await call('dns_records', { limit: 10, offset: 5 });
    expect((records.structured.records as unknown[]).length).toBe(10);
    expect(records.last).toMatch(/^showing 6–15 of \d+ \(records\); pass offset: 15 for more$/);
    expect(records.structured.zone).toBe('home.lan');
  });

  it('makes a limit whose page is too long smaller, as its own page is, and says which offset is next', async () => {
    const configs = await call('pve_configs', { limit: 1000 });
    expect(configs.text.length).toBeLessThanOrEqual(25_000);
    expect(configs.text).not.toContain('has all of it');
    expect(configs.last).toMatch(/^showing 1–(\d+) of 1013 \(guests\); pass offset: \1 for more; a page of 1000 is too long for one answer$/);
    const shown = Number(/–(\d+)/.exec(configs.last)?.[1]);
    expect((configs.structured.guests as unknown[]).length).toBe(shown);
    expect(configs.structured.nextOffset).toBe(shown);
  });

  it('cuts a long text that is no list, with a note; the structured content keeps all of it', async () => {
    const exported = await call('export', {});
    expect(exported.isError).toBe(false);
    expect(exported.text.length).toBeLessThanOrEqual(25_000);
    expect(exported.last).toMatch(/^… cut at \d+ of \d+ characters; the structured content has all of it$/);
    const yaml = exported.structured.yaml as string;
    expect(yaml.length).toBeGreaterThan(25_000);
    expect(yaml.startsWith(exported.text.split('\n… cut at')[0] as string)).toBe(true);
  });

  it('leaves a short answer whole, pages it when asked, and says an empty list is empty', async () => {
    const nodes = await call('pve_nodes', {});
    expect(nodes.last).not.toMatch(/^showing/);
    expect(nodes.structured.total).toBeUndefined();
    const one = await call('pve_nodes', { limit: 1 });
    expect(one.last).toBe('showing 1–1 of 2; pass offset: 1 for more');
    const none = await call('pve_snapshots', { vmid: 100, limit: 5 });
    expect(none.last).toBe('showing none of 0');
    const bad = await call('pve_list', { limit: 0 });
    expect(bad.isError).toBe(true);
    expect(bad.text).toBe('invalid arguments: limit must be an integer from 1 to 1000');
  });

  it('offers limit and offset on the tools that list something (Operation.pages), and on no others', async () => {
    const { tools } = await client.listTools();
    const properties = (name: string): string[] => Object.keys(tools.find((t) => t.name === name)?.inputSchema.properties ?? {});
    for (const name of ['pve_list', 'pve_configs', 'dns_records', 'proxy_list', 'kuma_status']) expect(properties(name)).toEqual(expect.arrayContaining(['limit', 'offset']));
    for (const name of ['pve_status', 'pve_config', 'pve_next-id', 'proxy_show', 'export', 'doctor', 'plan', 'pve_start']) expect(properties(name)).not.toContain('limit');
    // Its own limit: not the server's.
    expect(properties('pve_tasks')).not.toContain('offset');
    const status = await call('pve_status', { vmid: 101, limit: 3 });
    expect(status.isError).toBe(true);
    expect(status.text).toBe('invalid arguments: pve status: unknown argument limit; it takes vmid, context');
    const start = await call('pve_start', { vmid: 201, limit: 5 });
    expect(start.text).toMatch(/^invalid arguments: pve start: unknown argument limit/);
  });

  it('runs a list anew after a change call, failed or not, and for offset 0: no page shows the lab as it was before', async () => {
    const status = (structured: Record<string, unknown>): string | undefined => (structured.result as { vmid: number; status: string }[]).find((g) => g.vmid === 201)?.status;
    const first = await call('pve_list', { limit: 100 });
    expect(status(first.structured)).toBe('stopped');
    const later = await call('pve_list', { limit: 100, offset: 100 });
    expect(later.last).toMatch(/every page from one run/);
    const start = await call('pve_start', { vmid: 201 });
    expect(start.isError).toBe(false);
    const again = await call('pve_list', { limit: 100, offset: 0 });
    expect(again.last).not.toMatch(/one run/);
    expect(status(again.structured)).toBe('running');
    // offset 0 ran anew and was kept; a failed change clears it too.
    expect((await call('pve_list', { limit: 100, offset: 100 })).last).toMatch(/every page from one run/);
    const stop = await call('pve_start', { vmid: 99_999 });
    expect(stop.isError).toBe(true);
    expect(stop.text).not.toMatch(/^invalid arguments/);
    expect((await call('pve_list', { limit: 100, offset: 100 })).last).not.toMatch(/one run/);
  });
});
