/**
 * The dashboard's pages over HTTP against the whole simulated lab (no browser): the
 * overview with the lab's seeded trouble, pages and forms generated from the registry,
 * server-side validation with parseInput, row links to detail pages, a read-only
 * server that shows actions disabled and refuses them, starting the stopped guest
 * through the confirmation page (the simulator's state, the run's event stream, the
 * audit rows as web:<user>), CLI-only operations and input keys left out, and the overview's event
 * stream delivering an update when the watch state changes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuditHook } from '../../../src/audit/hook.js';
import { AuditStore } from '../../../src/audit/store.js';
import { loadConfig } from '../../../src/core/config.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { applyFindings } from '../../../src/watch/engine.js';
import { WatchStore } from '../../../src/watch/state.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, csrfOf, readEvents, startDashboard } from './helpers.js';

const lab = useLab();
let readOnly: WebServer;
let change: WebServer;
let removeHook: () => void;
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;

beforeAll(async () => {
  removeHook = installAuditHook();
  readOnly = await startDashboard(lab.current, 'read');
  change = await startDashboard(lab.current, 'change', { refreshMs: 60_000, alertPollMs: 150 });
});
afterAll(async () => {
  await readOnly?.close();
  await change?.close();
  removeHook?.();
});

describe('the overview', () => {
  it("shows every service's headline and the lab's seeded trouble", async () => {
    const page = await new WebClient(readOnly.url).get('/');
    expect(page.status).toBe(200);
    for (const service of ['pve', 'pbs', 'dns', 'proxy', 'beszel', 'kuma']) expect(page.text).toContain(`data-service="${service}" data-state="up"`);
    expect(page.text).toMatch(/<article class="card bad" data-service="kuma"[^]*?1 of \d+ monitors down \(media\)/);
    expect(page.text).toMatch(/data-service="proxy"[^]*?certificate of [\w.-]+\.home\.lan (expires in \d+ d|expired)/);
    expect(page.text).toMatch(/data-service="beszel"[^]*?disk full: pbs/);
    expect(page.text).toMatch(/id="check"[^]*?VM 201 \(media\), which is stopped/);
    // A finding's evidence, one line per service, keeps its line breaks (pre-wrap), without the CLI's indentation.
    const evidence = /id="check"[^]*?<p class="tone-dim lines">([^<]*)<\/p>/.exec(page.text)?.[1] ?? '';
    expect(evidence.split('\n').length).toBeGreaterThanOrEqual(2);
    for (const line of evidence.split('\n')) expect(line).toMatch(/^[a-z]+: \S/);
    expect((await new WebClient(readOnly.url).get('/assets/app.css')).text).toContain('p.lines { white-space: pre-wrap; }');
    expect(page.text).toMatch(/id="updates"[^]*?openssl/);
    expect(page.text).toContain('data-overview-events="/events"');
    expect(page.text).toContain('<script src="/assets/app.js" defer></script>');
  });

  it('shows a service that is down as one red card, and the others still', async () => {
    const config = loadConfig(lab.current.env);
    const down = await startDashboard(lab.current, 'read', { config: { ...config, services: { ...config.services, kuma: { ...(config.services.kuma as object), url: 'http://127.0.0.1:1' } } } });
    try {
      const page = await new WebClient(down.url).get('/');
      expect(page.text).toMatch(/<article class="card down" data-service="kuma" data-state="down" aria-label="kuma: down">[^]*?<p class="tone-bad">[^<]*(refused|unreachable|connect)/i);
      expect(page.text.match(/class="card down"/g)).toHaveLength(1);
      // Its error is said once, not as the headline and again below it.
      const card = /<article class="card down" data-service="kuma"[^]*?<\/article>/.exec(page.text)?.[0] ?? '';
      const said = /<p class="tone-bad">([^<]+)<\/p>/.exec(card)?.[1] ?? '';
      expect(said).not.toBe('');
      expect(card.split(said).length - 1).toBe(1);
      for (const service of ['pve', 'pbs', 'dns', 'proxy', 'beszel']) expect(page.text).toContain(`data-service="${service}" data-state="up"`);
    } finally {
      await down.close();
    }
  });

  it('shows a service whose answer had a part fail as failed, not up (an SSH target refusing)', async () => {
    const config = loadConfig(lab.current.env);
    const gone = { name: 'gone', host: '127.0.0.1', port: 1, user: 'root' };
    const refusing = await startDashboard(lab.current, 'read', { config: { ...config, ssh: { ...config.ssh, targets: [gone] } } });
    try {
      const page = await new WebClient(refusing.url).get('/');
      const card = /<article class="card bad" data-service="updates" data-state="failed" aria-label="updates: failed">[^]*?<\/article>/.exec(page.text)?.[0];
      expect(card, /<article[^>]*data-service="updates"[^]*?<\/article>/.exec(page.text)?.[0]).toBeDefined();
      expect(card).toContain('<span class="badge tone-bad">failed</span>');
      expect(page.text).toContain('data-service="pve" data-state="up"');
    } finally {
      await refusing.close();
    }
  });

  it('never shows a secret of the lab', async () => {
    const client = new WebClient(readOnly.url);
    const pages = [await client.get('/'), await client.get('/s/pve'), await client.get('/fragment/op/pve.list'), await client.get('/op/pve.config?vmid=102')];
    const secrets = [...lab.current.sims.values()].flatMap((s) => Object.entries(s.credentials.values)).filter(([k]) => /SECRET|PASSWORD|TOKEN|API_KEY/.test(k) && !k.endsWith('_ID')).map(([, v]) => v).filter((v) => v.length >= 8);
    expect(secrets.length).toBeGreaterThan(2);
    for (const p of pages) for (const s of secrets) expect(p.text).not.toContain(s);
  });
});

describe('pages generated from the registry', () => {
  it('draws a service page: views loaded on their own, look-ups, actions', async () => {
    const page = await new WebClient(change.url).get('/s/pve');
    expect(page.text).toContain('data-src="/fragment/op/pve.list"');
    expect(page.text).toMatch(/<a href="\/op\/pve\.status">pve status<\/a> <span class="dim">\(vmid\)<\/span>/);
    expect(page.text).toMatch(/<li class="risk-change"><a href="\/op\/pve\.start">pve start<\/a>/);
    expect(page.text).toContain('<p class="disabled-reason" id="why-danger"><strong>Disabled:</strong> destructive: this dashboard is started with --allow change; restart it with --allow danger');
    expect(page.text).toMatch(/<li class="disabled risk-danger"><a href="\/op\/pve\.destroy" aria-describedby="why-danger">/);
  });

  it('links table rows to the detail operation that takes the column as its key', async () => {
    const fragment = await new WebClient(change.url).get('/fragment/op/pve.list');
    expect(fragment.text).toContain('<a href="/op/pve.status?vmid=201">201</a>');
    const detail = await new WebClient(change.url).get('/op/pve.status?vmid=201');
    expect(detail.text).toContain('VM 201 (media)');
    expect(detail.text).toContain('<a href="/op/pve.config?vmid=201">pve config</a>');
    expect(detail.text).toMatch(/<form class="inline" method="post" action="\/op\/pve\.start">[^]*?name="vmid" value="201"/);
    // `set` needs a setting besides the VMID: a link to its form with the VMID filled in, not a one-click button.
    const set = /<a class="button secondary" href="([^"]+)">set…<\/a>/.exec(detail.text);
    expect(set?.[1]).toBe('/op/pve.set?vmid=201&amp;_context=default');
    expect(detail.text).not.toContain('action="/op/pve.set"');
    const form = await new WebClient(change.url).get('/op/pve.set?vmid=201&_context=default');
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/name="vmid"[^>]*value="201"|value="201"[^>]*name="vmid"/);
    expect(form.text).not.toContain('nothing to change');
  });

  it('links proxy hosts and monitors to their detail pages, as their list operations declare (rowDetails)', async () => {
    const client = new WebClient(readOnly.url);
    const hosts = await client.get('/fragment/op/proxy.list');
    const host = /<tr><td class="num"><a href="(\/op\/proxy\.show\?host=(\d+))">\2<\/a><\/td><td>git\.home\.lan<\/td>/.exec(hosts.text);
    expect(host, 'the git.home.lan row links its id to proxy show').not.toBeNull();
    const shown = await client.get(host?.[1] as string);
    expect(shown.status).toBe(200);
    expect(shown.text).toMatch(/id="result-title"[^]*?git\.home\.lan/);
    const monitors = await client.get('/fragment/op/kuma.list');
    const monitor = /<tr><td class="num"><a href="(\/op\/kuma\.show\?monitor=(\d+))">\2<\/a><\/td><td>media<\/td>/.exec(monitors.text);
    expect(monitor, 'the media row links its id to kuma show').not.toBeNull();
    const detail = await client.get(monitor?.[1] as string);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain(`media (id ${monitor?.[2]})`);
    expect(detail.text).toMatch(/<caption>Recent heartbeats<\/caption>[^]*?<span class="tone-bad">down<\/span>/);
    // The monitor's own actions, on the read-only server disabled with the reason.
    expect(detail.text).toMatch(/<strong>Disabled:<\/strong> changes state: this dashboard is read-only[^]*?<button type="button" class="" aria-disabled="true" aria-describedby="actions-why-change">pause<\/button>/);
    // kuma status names monitors: the name links to the same page.
    expect((await client.get('/fragment/op/kuma.status')).text).toContain('<a href="/op/kuma.show?monitor=media">media</a>');
  });

  it('generates forms from the zod schema: selects, required numbers with bounds, checkboxes with defaults, help', async () => {
    const client = new WebClient(change.url);
    const list = await client.get('/op/pve.list');
    expect(list.text).toMatch(/<label for="f-pve-list-type">Type<\/label>\s*<select id="f-pve-list-type" name="type" aria-describedby="f-pve-list-type-help"><option value="">\(not set\)<\/option><option>qemu<\/option><option>lxc<\/option><\/select>/);
    expect(list.text).toContain('<small id="f-pve-list-type-help" class="help">only VMs (qemu) or containers (lxc)</small>');
    const start = await client.get('/op/pve.start');
    expect(start.text).toMatch(/<input type="number" id="f-pve-start-vmid" name="vmid" value="" min="100" max="\d+" required/);
    expect(start.text).toMatch(/<input type="checkbox" id="f-pve-start-wait" name="wait" value="true" checked/);
    expect(start.text).toContain('method="post" action="/op/pve.start"');
  });

  it('validates input on the server with the operation schema, beside the field', async () => {
    const client = new WebClient(change.url);
    const read = await client.get('/op/pve.status?vmid=42');
    expect(read.status).toBe(400);
    expect(read.text).toMatch(/<small id="f-pve-status-vmid-error" class="error">[^<]*100/);
    expect(read.text).toContain('aria-invalid="true"');
    const before = pve().requests.length;
    const csrf = csrfOf((await client.get('/op/pve.start')).text);
    const post = await client.post('/op/pve.start', { _csrf: csrf, _form: '1', vmid: 'abc' });
    expect(post.status).toBe(400);
    expect(post.text).toContain('id="f-pve-start-vmid-error"');
    expect(post.text).not.toContain('Confirm and run');
    expect(pve().requests.length).toBe(before);
  });

  it('leaves out the keys only the command line takes (export and plan never get a path from the web)', async () => {
    const client = new WebClient(readOnly.url);
    const exporter = await client.get('/op/export');
    expect(exporter.text).not.toMatch(/name="(file|force)"/);
    expect(exporter.text).toContain('<p class="help">On the command line only: file, force.</p>');
    expect((await client.get('/op/plan')).text).not.toContain('name="file"');
    const target = join(lab.current.dir, 'web-export.yaml');
    const crafted = await client.get(`/op/export?_form=1&${new URLSearchParams({ file: target, force: 'true' }).toString()}`);
    expect(crafted.status).toBe(200);
    expect(crafted.text).toMatch(/id="result-title"[^]*?<p class="lines">[^<]*apps:/);
    expect(crafted.text).not.toContain('class="error"');
    expect(existsSync(target)).toBe(false);
  });

  it('leaves CLI-only operations out', async () => {
    const client = new WebClient(change.url);
    expect((await client.get('/op/telegram.allow')).status).toBe(404);
    expect((await client.get('/op/init')).status).toBe(404);
    const csrf = csrfOf((await client.get('/op/pve.start')).text);
    expect((await client.post('/op/telegram.allow', { _csrf: csrf, id: '42' })).status).toBe(404);
    expect((await client.get('/s/telegram')).text).not.toContain('telegram allow');
  });
});

describe('acting safely', () => {
  it('a read-only server says so in its badge, shows the start action disabled with the reason, and refuses it', async () => {
    pve().state.guests.get(201)!.status = 'stopped';
    const client = new WebClient(readOnly.url);
    const detail = await client.get('/op/pve.status?vmid=201');
    expect(detail.text).toContain('<p class="disabled-reason" id="actions-why-change"><strong>Disabled:</strong> changes state: this dashboard is read-only; restart it with --allow change to enable</p>');
    expect(detail.text).toContain('<button type="button" class="" aria-disabled="true" aria-describedby="actions-why-change">start</button>');
    const form = await client.get('/op/pve.start?vmid=201');
    expect(form.text).toMatch(/<fieldset aria-describedby="[^"]+">/);
    expect(form.text).toMatch(/<button type="button" aria-disabled="true" aria-describedby="[^"]+">Review…<\/button>/);
    expect(form.text).toContain('Disabled:</strong> changes state: this dashboard is read-only');
    // The mode badge says how the server was started; there is no `--allow read`.
    expect(detail.text).toContain('<span class="badge read" title="started without --allow: read-only">read-only</span>');
    expect(detail.text).not.toContain('--allow read');
    expect((await new WebClient(change.url).get('/')).text).toContain('<span class="badge change" title="started with --allow change">allows changes</span>');
    const refused = await client.post('/op/pve.start', { _csrf: csrfOf(form.text), vmid: '201' });
    expect(refused.status).toBe(403);
    expect(pve().state.guests.get(201)?.status).toBe('stopped');
  });

  it('starts the stopped guest through the confirmation page: progress streamed, state changed, audited as web:<user>', async () => {
    pve().state.guests.get(201)!.status = 'stopped';
    const client = new WebClient(change.url);
    const detail = await client.get('/op/pve.status?vmid=201');
    const confirm = await client.post('/op/pve.start', { _csrf: csrfOf(detail.text), vmid: '201' });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('<strong>Start VM 201 (media) on pve2</strong>');
    expect(confirm.text).toContain('Runs as web:tester and is recorded in the audit log.');
    expect(pve().state.guests.get(201)?.status).toBe('stopped');
    const action = /action="(\/confirm\/[^"/]+)"/.exec(confirm.text)?.[1] as string;
    const started = await client.post(action, { _csrf: csrfOf(confirm.text) });
    expect(started.status).toBe(303);
    const runPath = started.headers.get('location') as string;
    expect(runPath).toMatch(/^\/runs\/[\w-]+$/);
    const events = await readEvents(client, `${runPath}/events`, (e) => e.event === 'done');
    expect(events.some((e) => e.event === 'progress' && e.data.includes('VM 201'))).toBe(true);
    expect(events.at(-1)?.data).toMatch(/start VM 201 \(media\) on pve2: OK/);
    expect(pve().state.guests.get(201)?.status).toBe('running');
    const run = await client.get(runPath);
    expect(run.text).toContain('<span id="run-state" role="status">Finished</span>');
    // A confirmation is good once.
    expect((await client.post(action, { _csrf: csrfOf(confirm.text) })).status).toBe(409);
    const store = AuditStore.openForReading(lab.current.env.HOMELAB_DATA_HOME) as AuditStore;
    const rows = store.list({ surface: 'web', operation: 'pve.start' });
    store.close();
    expect(rows.at(-1)).toMatchObject({ surface: 'web', actor: 'tester', risk: 'change', outcome: 'ok', input: { vmid: 201 } });
    // The name the pages give the run (web:tester) finds it in the log; the same id on another surface does not.
    const named = AuditStore.openForReading(lab.current.env.HOMELAB_DATA_HOME) as AuditStore;
    expect(named.list({ actor: 'web:tester', operation: 'pve.start' }).at(-1)?.id).toBe(rows.at(-1)?.id);
    expect(named.list({ actor: 'cli:tester', operation: 'pve.start' })).toEqual([]);
    named.close();
    expect((await client.get('/audit?actor=web%3Atester')).text).toMatch(/<td>web<\/td><td>tester<\/td><td>pve\.start<\/td>/);
    const audit = await client.get('/audit?surface=web&risk=change&actor=tester');
    expect(audit.text).toMatch(/<td>web<\/td><td>tester<\/td><td>pve\.start<\/td><td><span class="badge change">change<\/span><\/td><td>vmid=201 wait<\/td><td><span class="tone-ok">ok<\/span>/);
    expect((await client.get('/audit?risk=danger')).text).not.toContain('<td>pve.start</td>');
    expect((await client.get('/audit?surface=mcp')).text).not.toContain('<td>pve.start</td>');
  });
});

describe('plans', () => {
  it("shows a plan operation's whole plan on its confirmation page, and runs a dry run without one", async () => {
    const client = new WebClient(change.url);
    const csrf = csrfOf((await client.get('/op/expose')).text);
    const confirm = await client.post('/op/expose', { _csrf: csrf, _form: '1', name: 'pad', target: '10.5.0.30:8080', monitor: 'true' });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toMatch(/<p class="what"><strong>Expose pad\.home\.lan → http:\/\/10\.5\.0\.30:8080 \(3 to create\)<\/strong><\/p><ul class="plan"><li>[^<]*create\s+DNS CNAME pad\.home\.lan[^<]*<\/li><li>[^<]*NPM proxy host pad\.home\.lan[^<]*<\/li><li>[^<]*Kuma HTTP monitor pad[^<]*<\/li><\/ul>/);
    const dry = await client.post('/op/expose', { _csrf: csrf, _form: '1', name: 'pad', target: '10.5.0.30:8080', monitor: 'true', dryRun: 'true' });
    expect(dry.status).toBe(303);
    const events = await readEvents(client, `${dry.headers.get('location') as string}/events`, (e) => e.event === 'done');
    expect(events.at(-1)?.data).toContain('pad.home.lan');
    expect(events.at(-1)?.data).toContain('create');
    // Neither the confirmation page nor the dry run changed anything.
    expect((await client.get('/fragment/op/exposed')).text).toContain('none yet');
  });
});

describe('live updates', () => {
  it('sends the new overview over SSE when the watch engine records an alert', async () => {
    const client = new WebClient(change.url);
    await client.get('/');
    const store = await WatchStore.open(lab.current.env.HOMELAB_DATA_HOME);
    const policy = { holdMs: 0, repeatMs: 0, flapWindowMs: 3_600_000, flapThreshold: 10 };
    try {
      const events = await readEvents(client, '/events', (e) => e.event === 'overview' && e.data.includes('disk of pbs is 94% full'), () => {
        applyFindings(store, 'disk', [{ key: 'disk:pbs', message: 'disk of pbs is 94% full', severity: 'critical' }], Date.now(), policy);
      });
      const update = events.find((e) => e.event === 'overview' && e.data.includes('disk of pbs is 94% full'));
      expect(update?.data).toMatch(/<tr data-alert="disk:pbs"><td><span class="tone-bad">firing<\/span><\/td><td>critical<\/td><td>disk<\/td>/);
      expect(events[0]?.event).toBe('ready');
    } finally {
      store.close();
    }
  });
});
