/**
 * What the dashboard takes from a request's body and query, over HTTP against the
 * simulated lab: text values only (one, or a list for a repeated name), within limits. A
 * file uploaded to an operation's form, too many values or fields, a login form with a
 * file, a repeated or a missing field, a lab selector, event stream or operation form given two labs: each
 * is a 400 page with one line naming the field, never a server error, and neither the
 * page nor the server log holds what was uploaded. A login token that is as long as the
 * cookie's in characters but not in bytes is an expired form, not a server error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FIELDS, MAX_VALUES } from '../../../src/surfaces/web/form-body.js';
import { hashPassword } from '../../../src/surfaces/web/passwords.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, csrfOf, startDashboard, type Page } from './helpers.js';

const lab = useLab({ services: ['dns'] });
const PASSWORD = 'correct horse battery';
/** What the uploads hold: it must reach neither a page nor the log. */
const UPLOADED = 'uploaded-content-4f1c9e';
const logged: string[] = [];
let server: WebServer;
let guarded: WebServer;

beforeAll(async () => {
  server = await startDashboard(lab.current, 'change', { log: (line) => logged.push(line) });
  guarded = await startDashboard(lab.current, 'read', { passwords: new Map([['alice', await hashPassword(PASSWORD)]]), log: (line) => logged.push(line) });
});
afterAll(async () => {
  await server?.close();
  await guarded?.close();
});

/** The page's one alert line. */
function alertOf(page: Page): string {
  const match = /<p (?:id="login-error" )?class="error" role="alert">([^<]*)<\/p>/.exec(page.text);
  if (!match?.[1]) throw new Error(`no error line in a ${page.status} page`);
  return match[1];
}

/** An upload of `UPLOADED` as the value of `name`. */
function withFile(fields: Record<string, string>, name: string): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(name, new Blob([`${UPLOADED}\n`], { type: 'text/plain' }), 'f.txt');
  return form;
}

describe("an operation's form", () => {
  it('refuses a file uploaded as a field with a 400 page naming it; the upload reaches neither the page nor the log', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/dns.add-txt')).text);
    logged.length = 0;
    const page = await client.postMultipart('/op/dns.add-txt', withFile({ _csrf: csrf, _form: '1', name: 'filetest' }, 'text'));
    expect(page.status).toBe(400);
    expect(alertOf(page)).toBe('Refused: the field &quot;text&quot; is a file upload; the dashboard&#39;s forms take text only. Nothing was done.');
    expect(page.text).toContain('<a href="/op/dns.add-txt">Back</a>');
    expect(page.text).not.toContain(UPLOADED);
    expect(page.text).not.toContain('Confirm and run');
    expect(logged.join('\n')).not.toContain(UPLOADED);
    expect(logged.filter((line) => / failed: /.test(line))).toEqual([]);
  });

  it('still takes a multipart form of text: the confirmation page', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/dns.add-txt')).text);
    const form = new FormData();
    for (const [k, v] of Object.entries({ _csrf: csrf, _form: '1', name: 'filetest', text: 'owner=ops' })) form.append(k, v);
    const page = await client.postMultipart('/op/dns.add-txt', form);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Confirm and run');
  });

  it('refuses too many values of one name, or too many names, in a form or a link', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/dns.add-txt')).text);
    const values: Array<[string, string]> = [['_csrf', csrf], ['_form', '1'], ['text', 'x'], ...Array.from({ length: MAX_VALUES + 1 }, (): [string, string] => ['name', 'n'])];
    const many = await client.post('/op/dns.add-txt', values);
    expect(many.status).toBe(400);
    expect(alertOf(many)).toBe(`Refused: the field &quot;name&quot; has more than ${MAX_VALUES} values. Nothing was done.`);
    const names: Array<[string, string]> = [['_csrf', csrf], ...Array.from({ length: MAX_FIELDS }, (_, i): [string, string] => [`f${i}`, 'v'])];
    const wide = await client.post('/op/dns.add-txt', names);
    expect(wide.status).toBe(400);
    expect(alertOf(wide)).toBe(`Refused: the form has more than ${MAX_FIELDS} fields. Nothing was done.`);
    const link = `?${Array.from({ length: MAX_VALUES + 1 }, () => 'zone=home.lan').join('&')}`;
    const page = await client.get(`/op/dns.records${link}`);
    expect(page.status).toBe(400);
    expect(alertOf(page)).toMatch(/^Refused: the field &quot;zone&quot; has more than \d+ values/);
    const fragment = await client.get(`/fragment/op/dns.records${link}`);
    expect(fragment.status).toBe(400);
    expect(fragment.text).toBe(`Refused: the field "zone" has more than ${MAX_VALUES} values. Nothing was done.`);
  });
});

describe('the login form', () => {
  /** A fresh client holding the login page's cookie, and the page's token. */
  async function atLogin(): Promise<{ client: WebClient; csrf: string }> {
    const client = new WebClient(guarded.url);
    return { client, csrf: csrfOf((await client.get('/login')).text) };
  }

  it('answers a file as the password with the login page and the field named; no password checked, nothing logged of it', async () => {
    const { client, csrf } = await atLogin();
    logged.length = 0;
    const page = await client.postMultipart('/login', withFile({ _csrf: csrf, user: 'alice', next: '/' }, 'password'));
    expect(page.status).toBe(400);
    expect(page.text).toContain('action="/login"');
    expect(alertOf(page)).toMatch(/^Refused: the field &quot;password&quot; is a file upload/);
    expect(page.text).not.toContain(UPLOADED);
    expect(logged.join('\n')).not.toContain(UPLOADED);
    // Not a failed sign-in: no password was checked.
    expect(logged.filter((line) => /sign-in failed| failed: /.test(line))).toEqual([]);
  });

  it('answers a repeated or a missing field with the login page saying which', async () => {
    const { client, csrf } = await atLogin();
    const twice = await client.post('/login', [['_csrf', csrf], ['user', 'alice'], ['user', 'bob'], ['password', PASSWORD]]);
    expect(twice.status).toBe(400);
    expect(alertOf(twice)).toBe('Refused: the field &quot;user&quot; is given more than once. Nothing was done.');
    const missing = await client.post('/login', { _csrf: csrf, user: 'alice' });
    expect(missing.status).toBe(400);
    expect(alertOf(missing)).toBe('Refused: the field &quot;password&quot; is missing. Nothing was done.');
    expect(missing.text).toContain('action="/login"');
    // The form still signs in.
    expect((await client.post('/login', { _csrf: csrfOf(missing.text), user: 'alice', password: PASSWORD })).status).toBe(303);
  });

  it('answers a token as long as the cookie in characters but not in bytes as an expired form', async () => {
    const { client } = await atLogin();
    client.cookies.set('homelab_login', encodeURIComponent(`é${'a'.repeat(31)}`));
    const page = await client.post('/login', { _csrf: 'b'.repeat(32), user: 'alice', password: PASSWORD });
    expect(page.status).toBe(403);
    expect(alertOf(page)).toBe('The sign-in form expired. Please try again.');
  });

  it('answers a repeated next on the login page with the page and the field named', async () => {
    const page = await new WebClient(guarded.url).get('/login?next=/a&next=/b');
    expect(page.status).toBe(400);
    expect(alertOf(page)).toBe('Refused: the field &quot;next&quot; is given more than once. Nothing was done.');
  });
});

describe('the lab selector, the audit filters and the event stream', () => {
  it('refuses a file or two names for the lab with a 400 page naming the field', async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/dns.add-txt')).text);
    const upload = await client.postMultipart('/context', withFile({ _csrf: csrf, next: '/' }, 'context'));
    expect(upload.status).toBe(400);
    expect(alertOf(upload)).toMatch(/^Refused: the field &quot;context&quot; is a file upload/);
    expect(upload.text).not.toContain(UPLOADED);
    const twice = await client.post('/context', [['_csrf', csrf], ['context', 'default'], ['context', 'default']]);
    expect(twice.status).toBe(400);
    expect(alertOf(twice)).toBe('Refused: the field &quot;context&quot; is given more than once. Nothing was done.');
    // One name is taken.
    expect((await client.post('/context', { _csrf: csrf, context: 'default', next: '/audit' })).headers.get('location')).toBe('/audit');
  });

  it('refuses two labs in the audit filter and the event stream, rather than showing every lab', async () => {
    const client = new WebClient(server.url);
    const audit = await client.get('/audit?lab=default&lab=office');
    expect(audit.status).toBe(400);
    expect(alertOf(audit)).toBe('Refused: the field &quot;lab&quot; is given more than once. Nothing was done.');
    const events = await client.get('/events?context=default&context=office', { accept: 'text/event-stream' });
    expect(events.status).toBe(400);
    expect(alertOf(events)).toBe('Refused: the field &quot;context&quot; is given more than once. Nothing was done.');
  });

  it("refuses two labs in an operation's form and a read section, rather than taking the last", async () => {
    const client = new WebClient(server.url);
    const csrf = csrfOf((await client.get('/op/dns.add-txt')).text);
    const form = await client.post('/op/dns.add-txt', [['_csrf', csrf], ['_form', '1'], ['_context', 'default'], ['_context', 'default'], ['name', 'twolabs'], ['text', 'x']]);
    expect(form.status).toBe(400);
    expect(alertOf(form)).toBe('Refused: the field &quot;_context&quot; is given more than once. Nothing was done.');
    expect(form.text).not.toContain('Confirm and run');
    const section = await client.get('/fragment/op/dns.records?_context=default&_context=default');
    expect(section.status).toBe(400);
    expect(section.text).toBe('Refused: the field "_context" is given more than once. Nothing was done.');
    // One name is taken.
    expect((await client.post('/op/dns.add-txt', { _csrf: csrf, _form: '1', _context: 'default', name: 'twolabs', text: 'x' })).text).toContain('Confirm and run');
  });
});
