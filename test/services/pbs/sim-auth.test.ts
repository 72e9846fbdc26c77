/**
 * The PBS simulator's transport, auth and error shapes, over real HTTPS sockets with
 * raw requests: the token separator (`:`, not PVE's `=`), plain-text errors with a JSON
 * content type, 401/403/404 wording, parameter checks against the schema subset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbsSim, type PbsSim } from '../../../src/services/pbs/sim/index.js';
import { closeRaw, raw } from './raw.js';

let sim: PbsSim;
let auth: string;

beforeAll(async () => {
  sim = await startPbsSim({ authFailDelayMs: 0, forbiddenDelayMs: 0 });
  auth = `PBSAPIToken=${sim.tokenId}:${sim.tokenSecret}`;
});
afterAll(async () => {
  await closeRaw();
  await sim.close();
});

describe('PBS simulator: API token', () => {
  it('accepts USER@REALM!TOKENID:SECRET and answers {data} as JSON', async () => {
    const res = await raw(sim.url, 'GET', '/version', { authorization: auth });
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json;charset=UTF-8');
    expect(res.body?.data).toEqual({ version: '4.0', release: '18', repoid: expect.any(String) });
  });

  it('accepts the space form the official client sends', async () => {
    const res = await raw(sim.url, 'GET', '/version', { authorization: `PBSAPIToken ${sim.tokenId}:${sim.tokenSecret}` });
    expect(res.status).toBe(200);
  });

  it('percent-decodes the secret', async () => {
    const secret = sim.addToken('enc', ['Sys.Audit']);
    const encoded = secret.replace(/-/g, '%2D');
    expect((await raw(sim.url, 'GET', '/version', { authorization: `PBSAPIToken=root@pam!enc:${encoded}` })).status).toBe(200);
  });

  it('refuses a token sent PVE-style with "=" before the secret, as real PBS does', async () => {
    const res = await raw(sim.url, 'GET', '/version', { authorization: `PBSAPIToken=${sim.tokenId}=${sim.tokenSecret}` });
    expect(res.status).toBe(401);
    expect(res.statusText).toBe('Unauthorized');
    expect(res.contentType).toBe('application/json;charset=UTF-8');
    expect(res.text).toBe('authentication failed - invalid token name');
  });

  it('words each refusal as proxmox-rest-server does', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'no authentication credentials provided.'],
      [`PBSAPIToken=${sim.tokenId}:wrong`, 'invalid credentials'],
      [`PBSAPIToken=root@pam!nobody:${sim.tokenSecret}`, 'user account or token disabled or expired.'],
      [`PBSAPIToken=${sim.tokenId}`, 'failed to split API token header'],
      [`PBSAPIToken=root@pam:${sim.tokenSecret}`, 'not an API token ID'],
      [`PVEAPIToken=${sim.tokenId}=${sim.tokenSecret}`, 'no authentication credentials provided.'],
    ];
    for (const [authorization, reason] of cases) {
      const res = await raw(sim.url, 'GET', '/admin/datastore', authorization ? { authorization } : {});
      expect({ status: res.status, text: res.text }).toEqual({ status: 401, text: `authentication failed - ${reason}` });
    }
  });

  it('checks credentials before telling whether a path exists', async () => {
    expect((await raw(sim.url, 'GET', '/nope')).status).toBe(401);
    const res = await raw(sim.url, 'GET', '/nope', { authorization: auth });
    expect({ status: res.status, text: res.text }).toEqual({ status: 404, text: "Path '/api2/json/nope' not found." });
  });

  it('answers 403 permission check failed when the token lacks the privilege', async () => {
    const secret = sim.addToken('readonly', ['Datastore.Audit', 'Sys.Audit']);
    const ro = `PBSAPIToken=root@pam!readonly:${secret}`;
    expect((await raw(sim.url, 'GET', '/admin/datastore/main/gc', { authorization: ro })).status).toBe(200);
    const res = await raw(sim.url, 'POST', '/admin/datastore/main/gc', { authorization: ro });
    expect({ status: res.status, text: res.text }).toEqual({ status: 403, text: 'permission check failed' });
  });
});

describe('PBS simulator: tickets', () => {
  it('logs in, reads with the cookie, and requires the CSRF token on writes', async () => {
    const password = sim.state.users.get('root@pam') as string;
    const login = await raw(sim.url, 'POST', '/access/ticket', { form: { username: 'root@pam', password } });
    const { ticket, CSRFPreventionToken: csrf } = login.body?.data as { ticket: string; CSRFPreventionToken: string };
    expect(ticket).toMatch(/^PBS:root@pam:[0-9A-F]{8}::/);
    const cookie = `PBSAuthCookie=${encodeURIComponent(ticket)}`;
    expect((await raw(sim.url, 'GET', '/admin/datastore', { headers: { cookie } })).status).toBe(200);
    const noCsrf = await raw(sim.url, 'POST', '/admin/datastore/main/verify', { headers: { cookie } });
    expect({ status: noCsrf.status, text: noCsrf.text }).toEqual({ status: 401, text: 'authentication failed - missing CSRF prevention token' });
    const ok = await raw(sim.url, 'POST', '/admin/datastore/main/verify', { headers: { cookie, CSRFPreventionToken: csrf } });
    expect(ok.body?.data).toMatch(/^UPID:pbs:.*:verify:main:root@pam:$/);
  });

  it('refuses a wrong password', async () => {
    const res = await raw(sim.url, 'POST', '/access/ticket', { form: { username: 'root@pam', password: 'nope' } });
    expect(res.status).toBe(401);
  });
});

describe('PBS simulator: parameter checks', () => {
  it('reports every bad parameter in plain text', async () => {
    const res = await raw(sim.url, 'GET', '/nodes/localhost/tasks?limit=abc&bogus=1', { authorization: auth });
    expect(res.status).toBe(400);
    expect(res.text).toBe("parameter verification errors\n\nparameter 'limit': invalid digit found in string\nparameter 'bogus': schema does not allow additional properties.\n");
  });

  it('checks path parameters against the schema pattern and lengths', async () => {
    const short = await raw(sim.url, 'GET', '/admin/datastore/ab/status', { authorization: auth });
    expect(short.text).toContain("parameter 'store': value must be at least 3 characters long");
    const unknown = await raw(sim.url, 'GET', '/admin/datastore/nope/status', { authorization: auth });
    expect({ status: unknown.status, text: unknown.text }).toEqual({ status: 400, text: "no such datastore 'nope'" });
  });

  it('type-checks JSON bodies and parses form bodies from strings', async () => {
    const json = await raw(sim.url, 'POST', '/admin/datastore/main/verify', { authorization: auth, json: { 'ignore-verified': 'no' } });
    expect(json.text).toContain("parameter 'ignore-verified': Expected boolean value.");
    const form = await raw(sim.url, 'POST', '/admin/datastore/main/verify', { authorization: auth, form: { 'ignore-verified': 'no', 'read-threads': '2' } });
    expect(form.status).toBe(200);
    const range = await raw(sim.url, 'POST', '/admin/datastore/main/verify', { authorization: auth, form: { 'read-threads': '33' } });
    expect(range.text).toContain("parameter 'read-threads': value must have a maximum value of 32");
  });

  it('refuses other content types', async () => {
    const res = await raw(sim.url, 'POST', '/admin/datastore/main/gc', { authorization: auth, body: 'x', headers: { 'content-type': 'text/plain' } });
    expect({ status: res.status, text: res.text }).toEqual({ status: 400, text: 'unsupported content type Ok("text/plain")' });
  });
});
