/**
 * One dashboard over two simulated labs (the contexts `default` and `office`, each its
 * own simulators): the header's lab selector (default: the server's home lab; a POST
 * checked like every other: CSRF token and Origin; an unknown name is a 400 naming the
 * labs), pages read in the session's lab (the pve listing is the chosen lab's guests), a
 * change runs in the lab its form was submitted in even when the selector moves between
 * the confirmation page and Confirm (the other lab's simulator sees nothing), its audit
 * row records that context and the audit page filters by it, the overview and its event
 * stream per lab with alerts naming their lab; a config with one context shows no
 * selector; a lab added to config.yaml while the dashboard runs is served without a
 * restart (and one removed refused again); `serve --help` says how labs work.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { installAuditHook } from '../../../src/audit/hook.js';
import { AuditStore } from '../../../src/audit/store.js';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { serveCommand } from '../../../src/surfaces/web/command.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { applyFindings } from '../../../src/watch/engine.js';
import { WatchStore } from '../../../src/watch/state.js';
import { OFFICE_EXTRA_GUESTS, startTwoLabs, writeContextCredentials, type TwoLabs } from '../../helpers/two-labs.js';
import { WebClient, csrfOf, readEvents, startDashboard } from './helpers.js';

let labs: TwoLabs;
let server: WebServer;
let removeHook: () => void;
const homePve = (): PveSim => labs.home.sims.get('pve') as PveSim;
const officePve = (): PveSim => labs.office.sims.get('pve') as PveSim;

beforeAll(async () => {
  removeHook = installAuditHook();
  labs = await startTwoLabs(['pve', 'dns']);
  server = await startDashboard(labs.home, 'change', { alertPollMs: 150 });
});
afterAll(async () => {
  await server?.close();
  removeHook?.();
  await labs?.close();
});

/** The VMIDs a pve listing links to, sorted. */
function listedGuests(html: string): number[] {
  return [...new Set([...html.matchAll(/<a href="\/op\/pve\.status\?vmid=(\d+)">/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
}

/** The labs a page names: in its tab title, its header (the selector's lab and the option selected) and its body's "In lab" line. */
function labsNamed(html: string): { title?: string; header?: string; selected?: string; body?: string } {
  const pick = (re: RegExp): string | undefined => re.exec(html)?.[1];
  const named = {
    title: pick(/<title>([^<]*)<\/title>/),
    header: pick(/<form class="inline lab-choice"[^>]*data-lab="([^"]+)"/),
    selected: pick(/<option selected>([^<]+)<\/option>/),
    body: pick(/<p class="lab" data-context="([^"]+)">/),
  };
  return Object.fromEntries(Object.entries(named).filter(([, v]) => v !== undefined));
}

const guestsOf = (sim: PveSim): number[] => [...sim.state.guests.keys()].sort((a, b) => a - b);
const startsOf = (sim: PveSim, vmid: number): number => sim.requests.filter((q) => q.method === 'POST' && q.path.endsWith(`/${vmid}/status/start`)).length;

/** Switches `client`'s lab through the header's selector. */
async function switchTo(client: WebClient, context: string, next = '/'): Promise<void> {
  const page = await client.get('/');
  const res = await client.post('/context', { _csrf: csrfOf(page.text), context, next });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(next);
}

describe('the lab selector', () => {
  it("shows every lab in the header with the server's home lab chosen, and the home lab's guests", async () => {
    const client = new WebClient(server.url);
    const page = await client.get('/s/pve');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<form class="inline lab-choice" method="post" action="\/context" data-lab="default">[^]*?<select id="lab-choice" name="context"><option selected>default<\/option><option>office<\/option><\/select>/);
    expect(page.text).toContain('<input type="hidden" name="next" value="/s/pve">');
    expect(page.text).toContain('<title>pve · default · homelab</title>');
    expect(listedGuests((await client.get('/fragment/op/pve.list')).text)).toEqual(guestsOf(homePve()));
  });

  it("switches to the other lab: the pve page lists that lab's guests, and other visitors keep theirs", async () => {
    const client = new WebClient(server.url);
    await switchTo(client, 'office', '/s/pve');
    const page = await client.get('/s/pve');
    expect(page.text).toMatch(/data-lab="office"[^]*?<option>default<\/option><option selected>office<\/option>/);
    const office = listedGuests((await client.get('/fragment/op/pve.list')).text);
    expect(office).toEqual(guestsOf(officePve()));
    expect(office.length).toBe(guestsOf(homePve()).length + OFFICE_EXTRA_GUESTS);
    // The page's sections name its lab, so they show it whatever the session says when they load.
    expect(page.text).toContain('data-src="/fragment/op/pve.list?_context=office"');
    const other = new WebClient(server.url);
    expect(listedGuests((await other.get('/fragment/op/pve.list?_context=office')).text)).toEqual(guestsOf(officePve()));
    // Each session has its own lab.
    expect(listedGuests((await other.get('/fragment/op/pve.list')).text)).toEqual(guestsOf(homePve()));
    await switchTo(client, 'default');
    expect(listedGuests((await client.get('/fragment/op/pve.list')).text)).toEqual(guestsOf(homePve()));
    // It goes back to a page of this dashboard only.
    const csrf = csrfOf((await client.get('/')).text);
    for (const next of ['//evil.example/x', 'http://evil.example/', '/\\evil.example', '/\t/evil.example', '/\n/evil.example']) {
      expect((await client.post('/context', { _csrf: csrf, context: 'default', next })).headers.get('location')).toBe('/');
    }
  });

  it('refuses a switch without the CSRF token or from another origin, and keeps the lab', async () => {
    const client = new WebClient(server.url);
    await client.get('/');
    expect((await client.post('/context', { context: 'office' })).status).toBe(403);
    expect((await client.post('/context', { context: 'office', _csrf: 'forged' })).status).toBe(403);
    const csrf = csrfOf((await client.get('/')).text);
    expect((await client.post('/context', { context: 'office', _csrf: csrf }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await client.post('/context', { context: 'office', _csrf: csrf }, { origin: null })).status).toBe(403);
    expect((await client.get('/s/pve')).text).toContain('data-lab="default"');
  });

  it('refuses an unknown lab with 400 naming the labs (selector, change form, section, event stream, audit filter), and nothing is sent', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/')).text);
    const refused = await client.post('/context', { _csrf: csrf, context: 'garage' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Unknown lab &quot;garage&quot;: this dashboard serves default, office. Nothing was done.');
    expect(refused.text).not.toMatch(/\n\s+at /);
    expect((await client.get('/s/pve')).text).toContain('data-lab="default"');
    const before = { home: homePve().requests.length, office: officePve().requests.length };
    const form = await client.post('/op/pve.start', { _csrf: csrf, _context: 'garage', vmid: '201' });
    expect(form.status).toBe(400);
    expect(form.text).toContain('Unknown lab &quot;garage&quot;');
    expect(form.text).not.toContain('Confirm and run');
    expect({ home: homePve().requests.length, office: officePve().requests.length }).toEqual(before);
    expect((await client.get('/events?context=garage', { accept: 'text/event-stream' })).status).toBe(400);
    expect((await client.get('/fragment/op/pve.list?_context=garage')).status).toBe(400);
    const audit = await client.get('/audit?lab=garage');
    expect(audit.status).toBe(400);
    expect(audit.text).toContain('unknown lab &quot;garage&quot;: this dashboard serves default, office');
  });
});

describe('a change in the chosen lab', () => {
  it('runs in the lab the form was submitted in, even after the selector moved; audited with that context', async () => {
    homePve().state.guests.get(201)!.status = 'stopped';
    officePve().state.guests.get(201)!.status = 'stopped';
    const before = { home: startsOf(homePve(), 201), office: startsOf(officePve(), 201) };
    const client = new WebClient(server.url);
    await switchTo(client, 'office', '/op/pve.status?vmid=201');
    const detail = await client.get('/op/pve.status?vmid=201');
    expect(detail.text).toMatch(/action="\/op\/pve\.start"><input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="_context" value="office">/);
    const confirm = await client.post('/op/pve.start', { _csrf: csrfOf(detail.text), _context: 'office', vmid: '201' });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('<p class="lab" data-context="office">In lab <strong>office</strong>.</p>');
    expect(confirm.text).toContain('<strong>Start VM 201 (media) on pve2</strong>');
    // The selector moves to the other lab before Confirm: the run still goes to office.
    await switchTo(client, 'default');
    const action = /action="(\/confirm\/[^"/]+)"/.exec(confirm.text)?.[1] as string;
    const started = await client.post(action, { _csrf: csrfOf(confirm.text) });
    expect(started.status).toBe(303);
    const runPath = started.headers.get('location') as string;
    const events = await readEvents(client, `${runPath}/events`, (e) => e.event === 'done');
    expect(events.at(-1)?.data).toMatch(/start VM 201 \([^)]*\) on \w+: OK/);
    expect(officePve().state.guests.get(201)?.status).toBe('running');
    expect(homePve().state.guests.get(201)?.status).toBe('stopped');
    expect({ home: startsOf(homePve(), 201), office: startsOf(officePve(), 201) }).toEqual({ home: before.home, office: before.office + 1 });
    // The run page names office throughout, though the session now looks at default.
    const run = await client.get(runPath);
    expect(run.text).toContain('In lab <strong>office</strong>.');
    expect(labsNamed(run.text)).toEqual({ title: 'Run: pve start · office · homelab', header: 'office', selected: 'office', body: 'office' });
    expect(labsNamed((await client.get('/')).text).header).toBe('default');
    const store = AuditStore.openForReading(labs.env.HOMELAB_DATA_HOME) as AuditStore;
    const rows = store.list({ surface: 'web', operation: 'pve.start' });
    store.close();
    expect(rows.at(-1)).toMatchObject({ surface: 'web', actor: 'tester', context: 'office', outcome: 'ok', input: { vmid: 201 } });
    expect(rows.filter((r) => r.context === 'default')).toEqual([]);
  });

  it("names the form's lab, not the session's, in the confirmation page's tab title and header", async () => {
    const client = new WebClient(server.url);
    const home = await client.get('/op/pve.status?vmid=201');
    expect(labsNamed(home.text)).toMatchObject({ header: 'default', selected: 'default' });
    // A form drawn in office (another tab, before this one switched back) is submitted while the session looks at default.
    const confirm = await client.post('/op/pve.start', { _csrf: csrfOf(home.text), _context: 'office', vmid: '201' });
    expect(confirm.status).toBe(200);
    expect(labsNamed(confirm.text)).toEqual({ title: 'Confirm: pve start · office · homelab', header: 'office', selected: 'office', body: 'office' });
    const cancelled = await client.post(`${/action="(\/confirm\/[^"/]+)"/.exec(confirm.text)?.[1] as string}/cancel`, { _csrf: csrfOf(confirm.text) });
    expect(labsNamed(cancelled.text)).toMatchObject({ title: 'Cancelled · office · homelab', header: 'office' });
    // A form refused in office (a missing value) is shown again as office's too.
    const refused = await client.post('/op/pve.start', { _csrf: csrfOf(home.text), _context: 'office', _form: '1' });
    expect(refused.status).toBe(400);
    expect(labsNamed(refused.text)).toMatchObject({ title: 'pve start · office · homelab', header: 'office' });
    expect(labsNamed((await client.get('/')).text).header).toBe('default');
  });

  it('runs a form without a lab in the session\'s lab', async () => {
    homePve().state.guests.get(202)!.status = 'stopped';
    const before = startsOf(officePve(), 202);
    const client = new WebClient(server.url);
    const confirm = await client.post('/op/pve.start', { _csrf: csrfOf((await client.get('/')).text), vmid: '202' });
    expect(confirm.text).toContain('In lab <strong>default</strong>.');
    const started = await client.post(/action="(\/confirm\/[^"/]+)"/.exec(confirm.text)?.[1] as string, { _csrf: csrfOf(confirm.text) });
    await readEvents(client, `${started.headers.get('location') as string}/events`, (e) => e.event === 'done');
    expect(homePve().state.guests.get(202)?.status).toBe('running');
    expect(startsOf(officePve(), 202)).toBe(before);
  });

  it('filters the audit page by lab, with a lab column', async () => {
    const client = new WebClient(server.url);
    const all = await client.get('/audit?surface=web&operation=pve.start');
    expect(all.text).toMatch(/<label for="f-audit-context">Lab<\/label>\s*<select id="f-audit-context" name="lab"[^>]*><option value="">\(every lab\)<\/option><option>default<\/option><option>office<\/option><\/select>/);
    expect(all.text).toMatch(/<tr data-audit-id="\d+" data-context="office"><td>office<\/td>[^]*?<td>pve\.start<\/td>[^]*?<td>vmid=201 wait<\/td>/);
    expect(all.text).toMatch(/data-context="default"><td>default<\/td>[^]*?<td>vmid=202 wait<\/td>/);
    const office = await client.get('/audit?surface=web&operation=pve.start&lab=office');
    expect(office.status).toBe(200);
    expect(office.text).toContain('<option selected>office</option>');
    expect(office.text).toContain('vmid=201 wait');
    expect(office.text).not.toContain('data-context="default"');
    const home = await client.get('/audit?surface=web&operation=pve.start&lab=default');
    expect(home.text).toContain('vmid=202 wait');
    expect(home.text).not.toContain('data-context="office"');
  });
});

describe('the overview per lab', () => {
  it("shows the chosen lab's overview, its event stream follows that lab, and its alerts name the lab", async () => {
    const client = new WebClient(server.url);
    await switchTo(client, 'office');
    const page = await client.get('/');
    expect(page.text).toMatch(/data-overview-events="\/events\?context=office" data-overview-version="[\w-]+" data-context="office"/);
    const officeData = join(labs.env.HOMELAB_DATA_HOME, 'contexts', 'office');
    mkdirSync(officeData, { recursive: true });
    const store = await WatchStore.open(officeData);
    const policy = { holdMs: 0, repeatMs: 0, flapWindowMs: 3_600_000, flapThreshold: 10 };
    try {
      const events = await readEvents(client, '/events?context=office', (e) => e.event === 'overview' && e.data.includes('office backup disk full'), () => {
        applyFindings(store, 'disk', [{ key: 'disk:office-nas', message: 'office backup disk full', severity: 'critical' }], Date.now(), policy);
      });
      const update = events.find((e) => e.event === 'overview' && e.data.includes('office backup disk full'));
      expect(update?.data).toContain('Alerts in office');
      expect(update?.data).toMatch(/<tr data-alert="disk:office-nas" data-context="office"><td>office<\/td><td><span class="tone-bad">firing<\/span>/);
    } finally {
      store.close();
    }
    expect(server.state.feeds.names()).toContain('office');
    // The home lab's overview has its own alerts only.
    const home = await new WebClient(server.url).get('/');
    expect(home.text).toContain('data-context="default"');
    expect(home.text).toContain('Alerts in default');
    expect(home.text).not.toContain('office backup disk full');
  });
});

describe('a config with one context', () => {
  it('shows no selector, and refuses any other lab', async () => {
    const single = await startDashboard(labs.office, 'read');
    try {
      const client = new WebClient(single.url);
      const page = await client.get('/s/pve');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('action="/context"');
      expect(page.text).not.toContain('lab-choice');
      expect(page.text).toContain('<title>pve · homelab</title>');
      expect(listedGuests((await client.get('/fragment/op/pve.list')).text)).toEqual(guestsOf(officePve()));
      const overview = await client.get('/');
      expect(overview.text).toContain('data-overview-events="/events"');
      expect(overview.text).not.toContain('Alerts in');
      const refused = await client.post('/context', { _csrf: csrfOf((await client.get('/op/pve.start')).text), context: 'office' });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('this dashboard serves default.');
    } finally {
      await single.close();
    }
  });
});

describe('a lab added to config.yaml while the dashboard runs', () => {
  it('is served from the next look at the file, without a restart; one removed is refused again', async () => {
    const logged: string[] = [];
    const following = await startDashboard(labs.home, 'change', { configCheckMs: 0, log: (line) => logged.push(line) });
    const officeSections = Object.fromEntries([...labs.office.sims.values()].map((sim) => [sim.service, sim.configSection]));
    try {
      const client = new WebClient(following.url);
      const csrf = csrfOf((await client.get('/')).text);
      expect((await client.post('/context', { _csrf: csrf, context: 'garage', next: '/s/pve' })).status).toBe(400);
      writeContextCredentials(labs.env.HOMELAB_CONFIG_HOME, 'garage', labs.office);
      labs.writeConfig({}, { garage: { services: officeSections } });
      await switchTo(client, 'garage', '/s/pve');
      const page = await client.get('/s/pve');
      expect(page.text).toMatch(/data-lab="garage"[^]*?<option>default<\/option><option>office<\/option><option selected>garage<\/option>/);
      expect(listedGuests((await client.get('/fragment/op/pve.list')).text)).toEqual(guestsOf(officePve()));
      expect(logged).toContain('config.yaml changed: the dashboard serves default, office, garage');
      // A config.yaml that cannot be used now changes nothing, and the log says why.
      writeFileSync(join(labs.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), 'services: [not: a map\n');
      expect((await client.get('/s/pve')).text).toContain('<option selected>garage</option>');
      expect(logged.at(-1)).toMatch(/^config\.yaml changed but cannot be used \(.*\): the dashboard keeps serving default, office, garage$/);
      // Removed again: refused like any unknown name, and the session is back in the home lab.
      labs.writeConfig();
      const back = await client.get('/s/pve');
      expect(back.text).toContain('<title>pve · default · homelab</title>');
      const refused = await client.post('/context', { _csrf: csrf, context: 'garage', next: '/' });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('this dashboard serves default, office.');
    } finally {
      labs.writeConfig();
      await following.close();
    }
  });
});

describe('a lab removed from config.yaml while a confirmation waits', () => {
  it('is refused at Confirm like any unknown name, and its simulator sees nothing', async () => {
    const following = await startDashboard(labs.home, 'change', { configCheckMs: 0 });
    const officeSections = Object.fromEntries([...labs.office.sims.values()].map((sim) => [sim.service, sim.configSection]));
    try {
      writeContextCredentials(labs.env.HOMELAB_CONFIG_HOME, 'garage', labs.office);
      labs.writeConfig({}, { garage: { services: officeSections } });
      officePve().state.guests.get(202)!.status = 'stopped';
      const client = new WebClient(following.url);
      const confirm = await client.post('/op/pve.start', { _csrf: csrfOf((await client.get('/')).text), _context: 'garage', vmid: '202' });
      expect(confirm.status).toBe(200);
      // The confirmation page read the guest in garage: that lab was made while it was served.
      expect(confirm.text).toContain('In lab <strong>garage</strong>.');
      const before = startsOf(officePve(), 202);
      labs.writeConfig();
      const started = await client.post(/action="(\/confirm\/[^"/]+)"/.exec(confirm.text)?.[1] as string, { _csrf: csrfOf(confirm.text) });
      expect(started.status).toBe(400);
      expect(started.text).toContain('Unknown lab &quot;garage&quot;: this dashboard serves default, office. Nothing was done.');
      expect(startsOf(officePve(), 202)).toBe(before);
      expect(officePve().state.guests.get(202)?.status).toBe('stopped');
    } finally {
      labs.writeConfig();
      await following.close();
    }
  });

  it("a lab added while the dashboard runs has its stored secrets redacted before any of its clients loaded them", async () => {
    const following = await startDashboard(labs.home, 'change', { configCheckMs: 0 });
    const officeSections = Object.fromEntries([...labs.office.sims.values()].map((sim) => [sim.service, sim.configSection]));
    try {
      writeContextCredentials(labs.env.HOMELAB_CONFIG_HOME, 'garage', labs.office);
      // A credentials file of garage no client of this lab loads (PBS is not in it).
      const fresh = `fresh-${randomBytes(12).toString('hex')}`;
      const pbs = join(labs.env.HOMELAB_CONFIG_HOME, 'homelab', 'contexts', 'garage', 'pbs');
      mkdirSync(pbs, { recursive: true, mode: 0o700 });
      writeFileSync(join(pbs, 'credentials'), `PBS_TOKEN_SECRET=${fresh}\n`, { mode: 0o600 });
      const dns = labs.office.sims.get('dns') as DnsSim;
      dns.store.add(dns.store.zone('home.lan'), { name: 'leak-garage.home.lan', type: 'TXT', ttl: 3600, disabled: false, expiryTtl: 0, rData: { text: fresh, splitText: false } });
      labs.writeConfig({}, { garage: { services: officeSections } });
      const client = new WebClient(following.url);
      await switchTo(client, 'garage', '/s/dns');
      const records = await client.get('/fragment/op/dns.records');
      expect(records.text).toContain('leak-garage');
      expect(records.text).not.toContain(fresh);
      expect(records.text).toContain('***');
    } finally {
      labs.writeConfig();
      await following.close();
    }
  });
});

describe('serve --help', () => {
  it('says how the dashboard serves several labs', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(await serveCommand(['--help'], { ...labs.env })).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out.join('')).toMatch(/Labs: when config\.yaml defines several contexts, one dashboard serves them all\.[^]*selector in the page header/);
    expect(out.join('')).toMatch(/A context added\s+to config\.yaml while the dashboard runs is served within a second, no restart/);
  });
});
