/**
 * What a dashboard form sends, end to end over the simulated lab: an optional switch
 * without a default (`pve set --onboot`, `proxy update --force-ssl`) is a choice of
 * unchanged / yes / no that starts at unchanged and sends nothing then, so a form that
 * names only a new name changes only the name (the guest keeps onboot and protection, the
 * proxy host its options), a form that names nothing is refused as on the CLI (`nothing to
 * change`), and "no" turns a setting off; the confirmation page lists every value that
 * will be sent, false ones too; a number is read as the CLI reads it (`0x100` and `1e3`
 * are refused, not guest 256 or 1000); a form shown again after an error keeps the boxes
 * as they were submitted; the audit page shows a setting turned off, and leaves out a
 * switch left at its default off (`pve clone`'s `start`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuditHook } from '../../../src/audit/hook.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, csrfOf, readEvents, startDashboard } from './helpers.js';

const lab = useLab({ services: ['pve', 'proxy'] });
let server: WebServer;
let removeHook: () => void;
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;

beforeAll(async () => {
  removeHook = installAuditHook();
  server = await startDashboard(lab.current, 'change');
});
afterAll(async () => {
  await server?.close();
  removeHook?.();
});

/** The terms and values of a confirmation page's input list. */
function listed(html: string): Record<string, string> {
  const list = /<dl class="fields">([^]*?)<\/dl>/.exec(html)?.[1] ?? '';
  return Object.fromEntries([...list.matchAll(/<dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]));
}

/** Confirms a confirmation page and waits for the run's result. */
async function confirmAndRun(client: WebClient, confirm: string): Promise<string> {
  const action = /action="(\/confirm\/[^"/]+)"/.exec(confirm)?.[1] as string;
  const started = await client.post(action, { _csrf: csrfOf(confirm) });
  expect(started.status).toBe(303);
  const events = await readEvents(client, `${started.headers.get('location') as string}/events`, (e) => e.event === 'done');
  return events.at(-1)?.data ?? '';
}

describe('optional switches', () => {
  it('draws one as a labelled choice that starts at "unchanged", not as an unticked box', async () => {
    const page = await new WebClient(server.url).get('/op/pve.set?vmid=104');
    expect(page.text).not.toMatch(/type="checkbox"[^>]*name="onboot"/);
    expect(page.text).toMatch(/<label for="f-pve-set-onboot">Onboot<\/label>\s*<select id="f-pve-set-onboot" name="onboot" aria-describedby="f-pve-set-onboot-help"><option value="" selected>unchanged<\/option><option value="true">yes<\/option><option value="false">no<\/option><\/select>/);
    // Its help names the choice, not a box to untick.
    expect(page.text).toContain('<small id="f-pve-set-protection-help" class="help">protect from removal (“Protection” set to no lifts it)</small>');
    // A switch with a default stays a box, drawn as its default.
    expect((await new WebClient(server.url).get('/op/pve.start')).text).toMatch(/<input type="checkbox" id="f-pve-start-wait" name="wait" value="true" checked/);
    // Where the operation does not change what is left out, the empty choice is "(not set)".
    expect((await new WebClient(server.url).get('/op/proxy.add')).text).toMatch(/<select id="f-proxy-add-forceSsl" name="forceSsl"[^>]*><option value="" selected>\(not set\)<\/option>/);
  });

  it('changes only what the form names: a new name keeps onboot and protection', async () => {
    const guest = pve().state.guests.get(104);
    if (!guest) throw new Error('the lab has no guest 104');
    guest.config.onboot = 1;
    guest.config.protection = 1;
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/pve.set?vmid=104')).text);
    const confirm = await client.post('/op/pve.set', { _csrf: csrf, _form: '1', vmid: '104', name: 'kuma-renamed', onboot: '', protection: '' });
    expect(confirm.status).toBe(200);
    expect(listed(confirm.text)).toEqual({ vmid: '104', name: 'kuma-renamed' });
    const result = await confirmAndRun(client, confirm.text);
    expect(result).not.toMatch(/onboot|protection/);
    expect(guest.config).toMatchObject({ onboot: 1, protection: 1 });
    expect(String(guest.config.hostname)).toBe('kuma-renamed');
  });

  it('refuses a form that names nothing to change, as the CLI does', async () => {
    const client = new WebClient(server.url);
    const before = pve().requests.length;
    const csrf = csrfOf((await client.get('/op/pve.set?vmid=100')).text);
    const forms: Record<string, string>[] = [{ vmid: '100' }, { vmid: '100', onboot: '', protection: '' }];
    for (const form of forms) {
      const refused = await client.post('/op/pve.set', { _csrf: csrf, _form: '1', ...form });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('pve set: nothing to change');
      expect(refused.text).not.toContain('Confirm and run');
    }
    expect(pve().requests.length).toBe(before);
    expect(pve().state.guests.get(100)?.config.onboot).toBe(1);
  });

  it('turns a setting off when asked, and the confirmation page and the audit log say so', async () => {
    const guest = pve().state.guests.get(104);
    if (!guest) throw new Error('the lab has no guest 104');
    guest.config.onboot = 1;
    guest.config.protection = 1;
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/pve.set?vmid=104')).text);
    const confirm = await client.post('/op/pve.set', { _csrf: csrf, _form: '1', vmid: '104', onboot: 'false', protection: '' });
    expect(listed(confirm.text)).toEqual({ vmid: '104', onboot: 'no' });
    await confirmAndRun(client, confirm.text);
    expect(guest.config).toMatchObject({ onboot: 0, protection: 1 });
    const audit = await client.get('/audit?operation=pve.set');
    expect(audit.text).toMatch(/<td>pve\.set<\/td><td><span class="badge change">change<\/span><\/td><td>vmid=104 onboot=false<\/td>/);
  });

  it('leaves a switch off by its default out of the audit page\'s input, as homelab audit does', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/pve.clone?vmid=201')).text);
    const confirm = await client.post('/op/pve.clone', { _csrf: csrf, _form: '1', vmid: '201', newid: '321', name: 'audit-clone' });
    expect(confirm.status).toBe(200);
    await confirmAndRun(client, confirm.text);
    const audit = await client.get('/audit?operation=pve.clone');
    const cell = /<td>pve\.clone<\/td><td><span class="badge change">change<\/span><\/td><td>([^<]*)<\/td>/.exec(audit.text)?.[1];
    expect(cell).toContain('vmid=201 newid=321 name=audit-clone');
    expect(cell).not.toContain('start=false');
  });

  it('keeps a proxy host\'s options when the form changes only its target', async () => {
    const client = new WebClient(server.url);
    const options = async (): Promise<string> => /<dt>options<\/dt><dd>([^<]*)<\/dd>/.exec((await client.get('/fragment/op/proxy.show?host=git.home.lan')).text)?.[1]?.trim() ?? '';
    const before = await options();
    expect(before).toBe('force SSL, HTTP/2, block exploits');
    const csrf = csrfOf((await client.get('/op/proxy.update?host=git.home.lan')).text);
    const confirm = await client.post('/op/proxy.update', { _csrf: csrf, _form: '1', host: 'git.home.lan', target: '10.5.0.13:3001', forceSsl: '', http2: '', websockets: '', blockExploits: '', newCert: '' });
    expect(confirm.status).toBe(200);
    expect(listed(confirm.text)).toEqual({ host: 'git.home.lan', target: '10.5.0.13:3001' });
    await confirmAndRun(client, confirm.text);
    expect(await options()).toBe(before);
    expect((await client.get('/fragment/op/proxy.show?host=git.home.lan')).text).toContain('<dt>forward</dt><dd>http://10.5.0.13:3001</dd>');
  });
});

describe('what a confirmation and a form show', () => {
  it('lists a switch that is off on the confirmation page', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/pve.start')).text);
    // `wait` has a default (yes): the box unticked sends false, and the page says so.
    const confirm = await client.post('/op/pve.start', { _csrf: csrf, _form: '1', vmid: '201' });
    expect(listed(confirm.text)).toEqual({ vmid: '201', wait: 'no' });
  });

  it('shows a form again with the boxes and choices as they were submitted', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/pve.start')).text);
    const again = await client.post('/op/pve.start', { _csrf: csrf, _form: '1', vmid: 'abc' });
    expect(again.status).toBe(400);
    // Unticked when submitted: not ticked again by its default.
    expect(again.text).toMatch(/<input type="checkbox" id="f-pve-start-wait" name="wait" value="true" aria-describedby/);
    const set = await client.post('/op/pve.set', { _csrf: csrf, _form: '1', vmid: '104', onboot: 'false', cores: 'many' });
    expect(set.status).toBe(400);
    expect(set.text).toMatch(/<select id="f-pve-set-onboot" name="onboot"[^>]*><option value="">unchanged<\/option><option value="true">yes<\/option><option value="false" selected>no<\/option>/);
  });
});

describe('numbers', () => {
  it('refuses what the CLI refuses (hex, exponents, a plus sign), beside the field, and sends nothing', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/pve.start')).text);
    const before = pve().requests.length;
    for (const vmid of ['0x100', '1e3', '+201', '.5']) {
      const refused = await client.post('/op/pve.start', { _csrf: csrf, _form: '1', vmid });
      expect(refused.status, vmid).toBe(400);
      expect(refused.text).toContain('id="f-pve-start-vmid-error"');
      expect(refused.text).not.toContain('Confirm and run');
    }
    expect((await client.get('/op/pve.status?vmid=0x100')).status).toBe(400);
    expect(pve().requests.length).toBe(before);
    const plain = await client.post('/op/pve.start', { _csrf: csrf, _form: '1', vmid: ' 201 ', wait: 'true' });
    expect(listed(plain.text)).toEqual({ vmid: '201', wait: 'yes' });
  });
});
