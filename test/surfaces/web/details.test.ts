/**
 * The dashboard's finer points over HTTP against the simulated lab: rows linked to a
 * detail read whose key is optional (nodes → node history, zones → records, datastores →
 * usage), the confirmation page showing what was typed for a parsed value, labels in
 * words and help that names fields rather than flags, a malformed form body refused in
 * one line, the icon, a plan's progress kept as one report updated in place, a dashboard
 * bound to another loopback address, a listen error in words, and a server that stops
 * at once with an event stream open.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationError } from '../../../src/core/errors.js';
import { noteIndex } from '../../../src/surfaces/web/runs.js';
import { fieldLabel, webHelp } from '../../../src/surfaces/web/field-labels.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, csrfOf, readEvents, startDashboard } from './helpers.js';

const lab = useLab();
let server: WebServer;

beforeAll(async () => {
  server = await startDashboard(lab.current, 'change');
});
afterAll(async () => {
  await server?.close();
});

describe('row links to a detail read whose key is optional', () => {
  it('links pve nodes to their history, DNS zones to their records, PBS datastores to their usage', async () => {
    const client = new WebClient(server.url);
    const cases = [
      ['/fragment/op/pve.nodes', '/op/pve.node-history?node=pve1', 'pve1'],
      ['/fragment/op/dns.zones', '/op/dns.records?zone=home.lan', 'home.lan'],
      ['/fragment/op/pbs.status', '/op/pbs.usage?store=main', 'main'],
    ] as const;
    for (const [list, href, text] of cases) {
      const fragment = await client.get(list);
      expect(fragment.text, list).toContain(`<a href="${href}">${text}</a>`);
      const detail = await client.get(href);
      expect(detail.status, href).toBe(200);
      expect(detail.text, href).toMatch(/id="result-title"/);
      expect(detail.text, href).not.toContain('class="error"');
    }
  });
});

describe('forms and confirmations', () => {
  it('labels fields in words (the key beside them) and names fields, not flags, in help', async () => {
    const page = await new WebClient(server.url).get('/op/expose');
    expect(page.text).toMatch(/<label for="f-expose-forceSsl">Force SSL<span class="key" aria-hidden="true">forceSsl<\/span><\/label>/);
    expect(page.text).toMatch(/<label for="f-expose-monitorUrl">Monitor URL<span class="key" aria-hidden="true">monitorUrl<\/span><\/label>/);
    expect(page.text).toMatch(/<label for="f-expose-name">Name <span class="req"/);
    expect(page.text).toContain('on by default; “Monitor” unticked skips it');
    expect(page.text).not.toMatch(/class="help">[^<]*--no-monitor/);
    expect(fieldLabel('newCert')).toBe('New cert');
    expect(fieldLabel('sshKey')).toBe('SSH key');
    expect(fieldLabel('vmid')).toBe('VMID');
    expect(fieldLabel('blockExploits')).toBe('Block exploits');
    expect(fieldLabel('http2Support')).toBe('HTTP2 support');
    expect(webHelp('http:// with --cert none; --other stays', [{ key: 'cert' }])).toBe('http:// with “Cert” none; --other stays');
    expect(webHelp('(--no-onboot: do not)', [{ key: 'onboot', kind: 'tristate' }])).toBe('(“Onboot” set to no: do not)');
  });

  it('shows on the confirmation page the target as typed, not its parse', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/expose')).text);
    const confirm = await client.post('/op/expose', { _csrf: csrf, _form: '1', name: 'typed', target: '10.5.0.30:8080', monitor: 'true' });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('<dt>target</dt><dd>10.5.0.30:8080</dd>');
    expect(confirm.text).not.toMatch(/<dd>\{/);
  });

  it('refuses a malformed multipart body with 400 and one line, not a server error', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/pve.start')).text);
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${server.url}/op/pve.start`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'x-csrf-token': csrf, 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'this is not a multipart body at all',
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/form could not be read/);
  });

  it('serves an icon without a session, and every page names it', async () => {
    const client = new WebClient(server.url);
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const icon = await fetch(`${server.url}${path}`);
      expect(icon.status, path).toBe(200);
      expect(icon.headers.get('content-type')).toBe('image/svg+xml');
      expect(await icon.text()).toMatch(/^<svg /);
    }
    expect((await client.get('/')).text).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
  });
});

describe("a plan's progress", () => {
  it('keeps a report sent again with one more line as one note, updated in place', () => {
    const notes: string[] = [];
    const add = (note: string): void => {
      const at = noteIndex(notes, note);
      notes.splice(at, notes.length - at, note);
    };
    add('Expose pad');
    add('Expose pad\nstep 1/2: DNS');
    add('VM 201: starting');
    add('Expose pad\n✓ step 1/2: DNS\nstep 2/2: proxy');
    add('Expose pad\n✓ step 1/2: DNS\n✓ step 2/2: proxy\nplan p applied');
    expect(notes).toEqual(['Expose pad', 'Expose pad\n✓ step 1/2: DNS\n✓ step 2/2: proxy\nplan p applied']);
    add('something else\nwith two lines');
    expect(notes).toHaveLength(3);
  });

  it('shows a plan run as its report, one line per step, on the run page and over its event stream', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/expose')).text);
    const confirm = await client.post('/op/expose', { _csrf: csrf, _form: '1', name: 'steps', target: '10.5.0.31:8080', monitor: 'true' });
    expect(confirm.status).toBe(200);
    const action = /action="(\/confirm\/[^"/]+)"/.exec(confirm.text)?.[1] as string;
    const started = await client.post(action, { _csrf: csrfOf(confirm.text) });
    const runPath = started.headers.get('location') as string;
    const events = await readEvents(client, `${runPath}/events`, (e) => e.event === 'done');
    expect(events.at(-1)?.data).not.toMatch(/tone-bad/);
    // What the page's script does with them: each note takes the place its id names.
    const shown: string[] = [];
    for (const e of events.filter((x) => x.event === 'progress')) {
      const at = Number(e.id ?? shown.length);
      shown.splice(at, shown.length - at, e.data);
    }
    const page = await client.get(runPath);
    const items = [...(/<ol id="progress"[^>]*>([^]*?)<\/ol>/.exec(page.text)?.[1] ?? '').matchAll(/<li>([^]*?)<\/li>/g)].map((m) => m[1] as string);
    expect(items).toHaveLength(1);
    const report = (items[0] as string).split('\n');
    expect(report.length).toBeLessThanOrEqual(6);
    expect(report.filter((l) => /step \d\/3/.test(l))).toHaveLength(3);
    expect(report.at(-1)).toMatch(/applied/);
    expect(shown.length).toBe(1);
    expect(((await client.get('/assets/app.css')).text)).toContain('#progress li { white-space: pre-wrap; }');
  });
});

describe('starting and stopping', () => {
  it('answers on the loopback address it is bound to (127.0.0.2), and still refuses another name', async () => {
    const other = await startDashboard(lab.current, 'read', { host: '127.0.0.2' });
    try {
      expect(other.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
      const page = await new WebClient(other.url).get('/');
      expect(page.status).toBe(200);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${other.url}/`, { headers: { host: `evil.example:${other.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(421);
    } finally {
      await other.close();
    }
  });

  it('says a port in use in words (exit 1), naming the port, the address and --port', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const refused = await startDashboard(lab.current, 'read', { port }).then(() => undefined, (err: unknown) => err);
      expect(refused).toBeInstanceOf(OperationError);
      expect((refused as OperationError).message).toBe(`port ${port} is in use on 127.0.0.1`);
      expect((refused as OperationError).hint).toMatch(/--port/);
      expect((refused as OperationError).exitCode).toBe(1);
    } finally {
      holder.close();
    }
  });

  it('stops with an event stream open, ending the stream rather than waiting for its keep-alive', async () => {
    // A keep-alive an hour away: close() must not wait for it, and must leave no stream behind.
    const other = await startDashboard(lab.current, 'read', { keepAliveMs: 3_600_000 });
    const client = new WebClient(other.url);
    await client.get('/');
    let ended!: () => void;
    const streamEnded = new Promise<void>((resolve) => { ended = resolve; });
    let openAtStart = -1;
    const reading = readEvents(client, '/events', () => false, () => {
      // Noted here, asserted below: a failed expect inside the callback would only show as a hang.
      openAtStart = other.state.streams.open;
      void other.close().then(ended);
    }, 3_600_000).catch(() => undefined);
    await streamEnded;
    expect(openAtStart).toBe(1);
    expect(other.state.streams.open).toBe(0);
    // The stream is over (ended, or cut with the connection): the reader returns.
    await reading;
  });
});
