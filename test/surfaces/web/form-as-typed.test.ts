/**
 * What a form sends and says, as the command line would: `''` typed clears a field (a guest's
 * tags, as `pve set --tags ''`); free text goes as typed (a TXT record's spaces, a description's
 * line breaks, drawn as a text area) while names are trimmed; a required choice starts on an
 * empty "choose…", so nothing is sent unpicked; a page names the form's fields, not flags, and
 * says nothing of exit codes nor of flags only the command line has (summaries, help, an
 * operation's refusal); a form the server may
 * not run keeps its button in the Tab order, announced as disabled, and a service page gives each
 * reason for withheld actions once; a section whose read failed says so (a header the page's
 * status line counts), one that read does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { SECTION_FAILED } from '../../../src/surfaces/web/assets.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, csrfOf, readEvents, startDashboard } from './helpers.js';

const lab = useLab({ services: ['pve', 'dns'] });
let danger: WebServer;
let readOnly: WebServer;
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;
const dns = (): DnsSim => lab.current.sims.get('dns') as DnsSim;

beforeAll(async () => {
  [danger, readOnly] = await Promise.all([startDashboard(lab.current, 'danger'), startDashboard(lab.current, 'read')]);
});
afterAll(async () => {
  await Promise.all([danger?.close(), readOnly?.close()]);
});

/** Posts a change form and confirms it; the run's outcome. */
async function run(client: WebClient, path: string, form: Record<string, string>): Promise<{ confirm: string; outcome: string }> {
  const page = await client.get(path);
  const confirm = await client.post(path, { _csrf: csrfOf(page.text), _form: '1', ...form });
  expect(confirm.status).toBe(200);
  const action = /action="(\/confirm\/[^"/]+)"/.exec(confirm.text)?.[1] as string;
  const started = await client.post(action, { _csrf: csrfOf(confirm.text) });
  expect(started.status).toBe(303);
  const events = await readEvents(client, `${started.headers.get('location') as string}/events`, (e) => e.event === 'done');
  return { confirm: confirm.text, outcome: events.at(-1)?.data ?? '' };
}

describe('values as typed', () => {
  it("clears a guest's tags with '' typed, as pve set --tags '' does", async () => {
    const guest = [...pve().state.guests.values()].find((g) => g.config.tags !== undefined);
    expect(guest).toBeDefined();
    const { confirm } = await run(new WebClient(danger.url), '/op/pve.set', { vmid: String(guest?.vmid), tags: "''" });
    expect(confirm).toContain("<dt>tags</dt><dd>&#39;&#39;</dd>");
    expect(pve().state.guests.get(guest?.vmid as number)?.config.tags ?? '').toBe('');
  });

  it('sends a TXT record\'s text with its spaces, and a description\'s lines, from text areas; a name trimmed', async () => {
    const client = new WebClient(danger.url);
    const form = await client.get('/op/dns.add-txt');
    expect(form.text).toMatch(/<textarea id="f-dns-add-txt-text" name="text"/);
    expect(form.text).toMatch(/<input type="text" id="f-dns-add-txt-name" name="name"/);
    await run(client, '/op/dns.add-txt', { name: ' txtw ', text: '  two  spaces  ' });
    expect(dns().store.records.filter((r) => r.name === 'txtw.home.lan' && r.type === 'TXT').map((r) => r.rData.text)).toEqual(['  two  spaces  ']);
    const vmid = [...pve().state.guests.values()].find((g) => !g.template)?.vmid as number;
    await run(client, '/op/pve.set', { vmid: String(vmid), description: '# Notes\r\nline two\r\n' });
    expect(pve().state.guests.get(vmid)?.config.description).toBe('# Notes\nline two\n');
  });

  it('starts a required choice on an empty "choose…": nothing picked is refused, not sent as the first choice', async () => {
    const client = new WebClient(danger.url);
    const form = await client.get('/op/watch.mute');
    expect(form.text).toMatch(/<select id="f-watch-mute-check" name="check" required[^>]*><option value="">choose…<\/option><option>backups<\/option>/);
    expect(form.text).not.toMatch(/<option selected>backups/);
    const refused = await client.post('/op/watch.mute', { _csrf: csrfOf(form.text), _form: '1', check: '' });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain('/confirm/');
  });
});

describe("the web's words", () => {
  it('names fields, not flags, in summaries and help, and says nothing of exit codes', async () => {
    const client = new WebClient(danger.url);
    const destroy = await client.get('/op/pve.destroy');
    const legend = /<legend>([^<]*)<\/legend>/.exec(destroy.text)?.[1] ?? '';
    expect(legend).toContain('“Purge”');
    expect(legend).not.toContain('--purge');
    const check = (await client.get('/op/check')).text;
    expect(/<p class="help">([^<]*)<\/p>/.exec(check)?.[1]).not.toMatch(/\bexit/i);
    const service = (await client.get('/s/pve')).text;
    expect(service).not.toMatch(/<span class="why">[^<]*--(purge|storage|online|restart|force|node)\b/);
  });

  it('leaves out a sentence naming a flag only the command line has (plan --detailed-exitcode, export --force)', async () => {
    const client = new WebClient(danger.url);
    const plan = /<p class="help">([^<]*)<\/p>/.exec((await client.get('/op/plan')).text)?.[1] ?? '';
    expect(plan).toContain('runs that plan only.');
    expect(plan).not.toMatch(/exitcode|changes pending/i);
    const exported = /<p class="help">([^<]*)<\/p>/.exec((await client.get('/op/export')).text)?.[1] ?? '';
    expect(exported).toContain('The lab.yaml is the output.');
    expect(exported).not.toContain('--force');
  });

  it("names the field in an operation's refusal, and keeps its command line to paste", async () => {
    const running = [...pve().state.guests.values()].find((g) => g.status === 'running' && !g.template && g.type === 'lxc');
    const client = new WebClient(danger.url);
    const form = await client.get('/op/pve.destroy');
    const refused = await client.post('/op/pve.destroy', { _csrf: csrfOf(form.text), _form: '1', vmid: String(running?.vmid) });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('add “Stop”');
    expect(refused.text).not.toMatch(/add --stop/);
    expect(refused.text).toContain(`homelab pve shutdown ${String(running?.vmid)}`);
  });
});

describe('withheld operations', () => {
  it("keep a form's button in the Tab order, announced as disabled with the reason", async () => {
    const form = (await new WebClient(readOnly.url).get('/op/pve.start')).text;
    expect(form).not.toMatch(/<fieldset[^>]* disabled/);
    const reason = /<p class="disabled-reason" id="([^"]+)">/.exec(form)?.[1];
    expect(reason).toBeDefined();
    expect(form).toContain(`<button type="button" aria-disabled="true" aria-describedby="${String(reason)}">Review…</button>`);
    expect(form).not.toContain('<button type="submit">');
  });

  it('are listed on a service page under one line per reason', async () => {
    const page = (await new WebClient(readOnly.url).get('/s/pve')).text;
    const lines = [...page.matchAll(/<p class="disabled-reason" id="(why-[a-z]+)"><strong>Disabled:<\/strong> ([^<]*)<\/p>/g)];
    expect(lines.map((m) => m[1])).toEqual(['why-change', 'why-danger']);
    expect(page.match(/this dashboard is read-only/g)).toHaveLength(2);
    expect(page).toMatch(/<li class="disabled risk-change"><a href="\/op\/pve\.start" aria-describedby="why-change">pve start<\/a>/);
    expect(page).toMatch(/<li class="disabled risk-danger"><a href="\/op\/pve\.destroy" aria-describedby="why-danger">pve destroy<\/a>/);
  });
});

describe("a service page's sections", () => {
  it('mark a section whose read failed, and not one that read', async () => {
    const client = new WebClient(danger.url);
    const fine = await client.get('/fragment/op/pve.list');
    expect(fine.status).toBe(200);
    expect(fine.headers.get(SECTION_FAILED)).toBeNull();
    pve().faults.failNext = { count: 100_000, status: 500 };
    try {
      const failed = await client.get('/fragment/op/pve.list');
      expect(failed.headers.get(SECTION_FAILED)).toBe('1');
      expect(failed.text).toContain('class="error"');
    } finally {
      pve().faults.failNext = undefined;
    }
  });
});
