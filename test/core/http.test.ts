import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimeoutError, TlsError, UnreachableError } from '../../src/core/errors.js';
import { HttpClient, closeAllAgents, statusError } from '../../src/core/http/index.js';
import { registerSecret } from '../../src/core/redact.js';
import { sendJson, startSimServer, type SimServer } from '../../src/lab/sim-server.js';

let tls: SimServer;
let plain: SimServer;

beforeAll(async () => {
  const handle = ({ res, method, path }: { res: import('node:http').ServerResponse; method: string; path: string }) => sendJson(res, 200, { method, path });
  tls = await startSimServer({ name: 'tls', tls: true, handle });
  plain = await startSimServer({ name: 'plain', handle });
});
afterAll(async () => {
  await closeAllAgents();
  await tls.close();
  await plain.close();
});

describe('HTTP core', () => {
  it('refuses a self-signed certificate without a pin, naming the fix', async () => {
    const client = new HttpClient({ service: 'pve', baseUrl: tls.url, retries: 0 });
    const err = await client.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).hint).toContain('services.pve.fingerprint');
    expect(tls.requests.length).toBe(0);
  });

  it('accepts the pinned fingerprint (any case) and refuses a wrong pin before sending anything', async () => {
    const ok = new HttpClient({ service: 'pve', baseUrl: tls.url, fingerprint: (tls.fingerprint as string).toLowerCase() });
    expect((await ok.request({ method: 'GET', path: '/ok' })).status).toBe(200);
    const before = tls.requests.length;
    const wrong = new HttpClient({ service: 'pve', baseUrl: tls.url, fingerprint: Array(32).fill('00').join(':'), retries: 0, headers: () => ({ authorization: 'PVEAPIToken=a@pam!b=topsecret' }) });
    const err = await wrong.request({ method: 'GET', path: '/secret' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).actualFingerprint).toBe(tls.fingerprint);
    expect((err as TlsError).message).toContain('credentials were not sent');
    expect(tls.requests.length).toBe(before);
  });

  it('retries reads on 503 and connection resets, never writes', async () => {
    const client = new HttpClient({ service: 'dns', baseUrl: plain.url, backoffMs: 10 });
    plain.faults.failNext = { count: 2, status: 503 };
    const before = plain.requests.length;
    expect((await client.request({ method: 'GET', path: '/read' })).status).toBe(200);
    expect(plain.requests.length - before).toBe(3);

    plain.faults.resetNext = 1;
    expect((await client.request({ method: 'GET', path: '/read' })).status).toBe(200);

    plain.faults.failNext = { count: 1, status: 503 };
    const mid = plain.requests.length;
    expect((await client.request({ method: 'POST', path: '/write', json: { a: 1 } })).status).toBe(503);
    expect(plain.requests.length - mid).toBe(1);
    plain.faults.resetNext = 1;
    await expect(client.request({ method: 'POST', path: '/write' })).rejects.toBeInstanceOf(UnreachableError);
  });

  it('joins a base URL without a path and a request path with exactly one slash', async () => {
    const client = new HttpClient({ service: 'dns', baseUrl: `${plain.url}/` });
    const res = await client.request({ method: 'GET', path: '/api/zones/list', query: { a: 1 } });
    expect(JSON.parse(res.text)).toEqual({ method: 'GET', path: '/api/zones/list' });
  });

  it('times out a request that gets no answer', async () => {
    const client = new HttpClient({ service: 'kuma', baseUrl: plain.url, timeoutMs: 200, retries: 0 });
    plain.faults.hangNext = 1;
    const err = await client.request({ method: 'GET', path: '/slow' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).exitCode).toBe(4);
    expect((err as TimeoutError).message).toBe('kuma: GET /slow timed out after 200 ms');
  });

  it('reports an unreachable service with exit code 4', async () => {
    const client = new HttpClient({ service: 'dns', baseUrl: 'http://127.0.0.1:9', retries: 0 });
    const err = await client.request({ method: 'GET', path: '/api' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as UnreachableError).exitCode).toBe(4);
    expect((err as UnreachableError).message).toContain('cannot reach http://127.0.0.1:9');
  });

  it('keeps a registered secret out of the messages a server echoes back', async () => {
    registerSecret('sup3r-secret-token');
    const echo = await startSimServer({ name: 'echo', handle: ({ res, req }) => { res.writeHead(500, `bad request ${req.url}`).end(); } });
    const client = new HttpClient({ service: 'dns', baseUrl: echo.url, retries: 0 });
    const res = await client.request({ method: 'GET', path: '/api/zones', query: { token: 'sup3r-secret-token' } });
    expect(res.statusText).toContain('sup3r-secret-token');
    const err = statusError('dns', res);
    expect(err.message).toBe('dns: bad request /api/zones?token=***');
    await echo.close();
  });
});
