/**
 * What a visit to a service page costs, against a lab of 500 more guests (the simulator
 * records every request): the sections that read each guest's details (`pve configs`) or are
 * slow (`check`) load only when asked (a Load button, a link to their page), and a long list
 * comes 200 rows at a time with links to the others, the same paging as MCP: `pve configs`
 * asked for a page's window fetches only that page's configs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, startDashboard } from './helpers.js';

const lab = useLab({ services: ['pve', 'pbs'], extraGuests: 500 });
let server: WebServer;
beforeAll(async () => {
  server = await startDashboard(lab.current, 'read');
});
afterAll(async () => {
  await server?.close();
});

/** The PVE requests `run` makes: all of them, and those for a guest's config. */
async function pveRequests(run: () => Promise<unknown>): Promise<{ all: number; configs: number }> {
  const requests = lab.current.sims.get('pve')?.requests ?? [];
  const before = requests.length;
  await run();
  const made = requests.slice(before);
  return { all: made.length, configs: made.filter((r) => /\/(qemu|lxc)\/\d+\/config$/.test(r.path)).length };
}

/** The body rows of the tables in `html` (each table has one header row). */
const rows = (html: string): number => [...html.matchAll(/<tr>/g)].length - [...html.matchAll(/<thead>/g)].length;

describe('a service page at scale', () => {
  it('loads the sections that read every guest only when asked', async () => {
    const client = new WebClient(server.url);
    const page = await client.get('/s/pve');
    const sources = [...page.text.matchAll(/data-src="([^"]+)"/g)].map((m) => (m[1] as string).replace(/&amp;/g, '&'));
    expect(sources).not.toContain('/fragment/op/pve.configs');
    expect(page.text).toContain('<div id="view-pve-configs" data-later="/fragment/op/pve.configs">');
    expect(page.text).toMatch(/<button type="button" class="secondary" data-load="view-pve-configs" aria-describedby="view-pve-configs-why" hidden>Load<\/button>/);
    expect(page.text).toContain('<a href="/op/pve.configs">Show pve configs</a>');
    let bytes = 0;
    const cost = await pveRequests(() => Promise.all(sources.map(async (src) => { bytes += (await client.get(src, { 'x-fragment': '1' })).text.length; })));
    // Every section that loads with the page reads a few configs at most, not one per guest.
    expect(cost.configs).toBeLessThan(20);
    // 200 rows of each list, no configs: about 45 KB here, where every guest's row and config made 137 KB.
    expect(bytes).toBeLessThan(80_000);
    const home = await client.get('/s/homelab');
    expect(home.text).toContain('data-later="/fragment/op/check"');
  });

  it('shows a long list 200 rows at a time, with links to the others', async () => {
    const client = new WebClient(server.url);
    const list = await client.get('/fragment/op/pve.list', { 'x-fragment': '1' });
    expect(rows(list.text)).toBe(200);
    expect(list.text).toContain('<p class="dim">Showing rows 1–200 of 513.</p><a href="/op/pve.list?_offset=200" rel="next">Next 200</a>');
    const last = await client.get('/op/pve.list?_offset=400');
    expect(last.text).toContain('Showing rows 401–513 of 513.');
    expect(last.text).toContain('<a href="/op/pve.list?_offset=200" rel="prev">Previous 200</a>');
    expect(last.text).not.toContain('rel="next"');
  });

  it('links from past the end of a list to its last page, not to another empty one', async () => {
    const client = new WebClient(server.url);
    const past = await client.get('/op/pve.list?_offset=600');
    expect(past.text).toContain('No rows from 601: there are 513.');
    expect(past.text).toContain('<a href="/op/pve.list?_offset=313" rel="prev">Previous 200</a>');
    expect(past.text).not.toContain('rel="next"');
    const window = await client.get('/op/pve.configs?offset=99999');
    expect(window.text).toContain('No guests from 100000: there are 513.');
    expect(window.text.replace(/&amp;/g, '&')).toContain('<a href="/op/pve.configs?offset=313&limit=200" rel="prev">Previous 200</a>');
  });

  it('asks pve configs for the page\'s window: 200 configs, then the next 200', async () => {
    const client = new WebClient(server.url);
    let first = '';
    const cost = await pveRequests(async () => { first = (await client.get('/fragment/op/pve.configs', { 'x-fragment': '1' })).text; });
    expect(cost.configs).toBe(200);
    expect(first).toContain('Showing guests 1–200 of 513.');
    const next = /<a href="([^"]+)" rel="next">/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toBe('/op/pve.configs?offset=200&limit=200');
    const more = await pveRequests(() => client.get(next as string));
    expect(more.configs).toBe(200);
  });
});
