/**
 * The dashboard over two labs (`default`, the config's current one, and `office`): the command
 * lines a page shows to paste into a shell (a hint's, `check`'s fix lines, a run's) name the
 * lab when it is not the config's current one, as the CLI prints them (`homelab --context
 * office …`), and not in the current lab; and a link that names a lab (a detail page's
 * *edit…*) draws its form in that lab, whatever the session looks at since (a read form too,
 * whose *Show* then reads there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { startTwoLabs, type TwoLabs } from '../../helpers/two-labs.js';
import { WebClient, csrfOf, startDashboard } from './helpers.js';

let labs: TwoLabs;
let server: WebServer;

beforeAll(async () => {
  labs = await startTwoLabs(['pve', 'dns']);
  server = await startDashboard(labs.home, 'change');
});
afterAll(async () => {
  await server?.close();
  await labs?.close();
});

async function inLab(client: WebClient, context: string): Promise<void> {
  const page = await client.get('/');
  expect((await client.post('/context', { _csrf: csrfOf(page.text), context, next: '/' })).status).toBe(303);
}

/** The text of a page, tags out, entities of `&` back. */
const textOf = (html: string): string => html.replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('command lines on the dashboard', () => {
  it("name the lab in an error's hint when it is not the config's current one, and not in the current lab", async () => {
    const client = new WebClient(server.url);
    expect(textOf((await client.get('/op/pve.status?vmid=9999')).text)).toMatch(/(?<!--context default )homelab pve list shows the guests/);
    await inLab(client, 'office');
    const office = textOf((await client.get('/op/pve.status?vmid=9999')).text);
    expect(office).toContain('homelab --context office pve list shows the guests');
  });

  it("name the lab in check's fix lines, and the section and the page agree", async () => {
    const client = new WebClient(server.url);
    await inLab(client, 'office');
    const whole = textOf((await client.get('/op/check?_form=1')).text);
    const page = whole.slice(whole.indexOf(' Result '), whole.indexOf(' errors found'));
    // Every command line in it names the lab (`homelab --context office dns delete …`), none is left without.
    const commands = [...page.matchAll(/\bhomelab (\S+ \S+ \S+)/g)].map((m) => m[1] as string);
    expect(commands.filter((c) => c.startsWith('--context office ')).length).toBeGreaterThan(0);
    expect(commands.filter((c) => !c.startsWith('--context office '))).toEqual([]);
    const fragment = textOf((await client.get('/fragment/op/check?_context=default')).text);
    expect(fragment).toMatch(/\bhomelab (?!--context)[a-z]/);
    expect(fragment).not.toContain('--context');
  });
});

describe('a link naming a lab', () => {
  it("draws the form in that lab, though the session has switched since (another tab)", async () => {
    const client = new WebClient(server.url);
    await inLab(client, 'office');
    const detail = await client.get('/op/pve.status?vmid=201');
    const link = /href="(\/op\/pve\.set\?[^"]*)"/.exec(detail.text)?.[1]?.replace(/&amp;/g, '&');
    expect(link).toBe('/op/pve.set?vmid=201&_context=office');
    await inLab(client, 'default');
    const form = await client.get(link as string);
    expect(form.status).toBe(200);
    expect(form.text).toContain('<title>pve set · office · homelab</title>');
    expect(form.text).toContain('<input type="hidden" name="_context" value="office">');
    // An unknown lab in the link is refused, naming the labs.
    const unknown = await client.get('/op/pve.set?vmid=201&_context=garage');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Unknown lab &quot;garage&quot;: this dashboard serves default, office.');
  });

  it("draws a read form that reads in that lab when it is shown again, and one in the session's lab that follows the session", async () => {
    const client = new WebClient(server.url);
    /** The query a read page's form sends: its hidden fields (the browser sends them with what is typed). */
    const sent = (html: string): string => {
      const form = /<form class="op-form risk-read"[^>]*>[^]*?<\/form>/.exec(html)?.[0] ?? '';
      return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => `${m[1] as string}=${m[2] as string}`).join('&');
    };
    const office = await client.get('/op/dns.records?_context=office');
    expect(office.text).toContain('<title>dns records · office · homelab</title>');
    expect(sent(office.text)).toBe('_form=1&_context=office');
    const shown = await client.get(`/op/dns.records?${sent(office.text)}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('<title>dns records · office · homelab</title>');
    // In the session's own lab the form names none: a link to its result follows the session.
    expect(sent((await client.get('/op/dns.records')).text)).toBe('_form=1');
  });
});
