/**
 * The HTTP core over real loopback sockets, once per transport (node http(s) and
 * undici): TLS pinning checked before anything is sent, deadlines that bound connect
 * and TLS handshake too, retries for reads only, typed errors, keep-alive reuse, and
 * server text cut and cleaned before it reaches a user.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, TimeoutError, TlsError, UnreachableError } from '../../src/core/errors.js';
import {
  HttpClient, UnexpectedAnswerError, closeAllAgents, parseJson, serverText, statusError, type TransportName,
} from '../../src/core/http/index.js';
import { redact, registerSecret } from '../../src/core/redact.js';
import { sendJson, startSimServer, type SimServer } from '../../src/lab/sim-server.js';

let tls: SimServer;
let plain: SimServer;
/** A TCP listener that accepts and never says a word (a hung TLS handshake, a hung HTTP server). */
let silent: Server;
let silentUrl: string;
const silentSockets = new Set<Socket>();

beforeAll(async () => {
  const handle = ({ res, method, path }: { res: import('node:http').ServerResponse; method: string; path: string }) => sendJson(res, 200, { method, path });
  tls = await startSimServer({ name: 'tls', tls: true, handle });
  plain = await startSimServer({ name: 'plain', handle });
  silent = createServer((socket) => { silentSockets.add(socket); socket.on('error', () => undefined); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `127.0.0.1:${(silent.address() as import('node:net').AddressInfo).port}`;
});
afterAll(async () => {
  await closeAllAgents();
  await tls.close();
  await plain.close();
  for (const s of silentSockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

/** Runs `fn` and returns the error it throws (the test fails when it resolves). */
async function failure(fn: () => Promise<unknown>): Promise<Error> {
  const result = await fn().then(() => undefined, (e: unknown) => e as Error);
  if (!result) throw new Error('expected a failure');
  return result;
}

describe.each<TransportName>(['node', 'undici'])('HTTP core over %s', (transport) => {
  const client = (o: Partial<ConstructorParameters<typeof HttpClient>[0]> & { baseUrl: string }): HttpClient =>
    new HttpClient({ service: 'pve', transport, ...o });

  it('refuses a self-signed certificate without a pin, naming the fix', async () => {
    const before = tls.requests.length;
    const err = await failure(() => client({ baseUrl: tls.url, retries: 0 }).request({ method: 'GET', path: '/x' }));
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).hint).toContain('services.pve.fingerprint');
    expect(tls.requests.length).toBe(before);
  });

  it('accepts the pinned fingerprint (any case) and refuses a wrong pin before sending anything, showing both', async () => {
    const ok = client({ baseUrl: tls.url, fingerprint: (tls.fingerprint as string).toLowerCase() });
    expect((await ok.request({ method: 'GET', path: '/ok' })).status).toBe(200);
    const before = tls.requests.length;
    const pin = Array(32).fill('00').join(':');
    const wrong = client({ baseUrl: tls.url, fingerprint: pin, retries: 0, headers: () => ({ authorization: 'PVEAPIToken=a@pam!b=topsecret' }) });
    const err = await failure(() => wrong.request({ method: 'GET', path: '/secret' }));
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).actualFingerprint).toBe(tls.fingerprint);
    expect(err.message).toContain(`fingerprint ${tls.fingerprint as string} does not match the pinned ${pin}`);
    expect(err.message).toContain('credentials were not sent');
    expect(tls.requests.length).toBe(before);
  });

  it('checks the pin on every new connection: a certificate swapped while pooled is refused (no session resumption)', async () => {
    const pinned = client({ baseUrl: tls.url, fingerprint: tls.fingerprint, retries: 0 });
    expect((await pinned.request({ method: 'GET', path: '/a' })).status).toBe(200);
    const other = await tls.swapCertificate(true);
    try {
      tls.server.closeAllConnections();
      // Let the pool notice its idle connection was closed (a stale one would be a reset, not this test).
      await new Promise((r) => setTimeout(r, 50));
      const before = tls.requests.length;
      const err = await failure(() => pinned.request({ method: 'GET', path: '/b' }));
      expect(err).toBeInstanceOf(TlsError);
      expect((err as TlsError).actualFingerprint).toBe(other);
      expect(tls.requests.length).toBe(before);
    } finally {
      await tls.swapCertificate(false);
    }
  });

  it('reuses keep-alive connections for sequential requests', async () => {
    let connections = 0;
    const count = (): void => { connections++; };
    plain.server.on('connection', count);
    try {
      const c = client({ service: 'dns', baseUrl: plain.url });
      for (let i = 0; i < 5; i++) expect((await c.request({ method: 'GET', path: `/r${i}` })).status).toBe(200);
      // node's agent keeps one socket; undici opened a second one in its pool here.
      expect(connections).toBeLessThanOrEqual(transport === 'node' ? 1 : 2);
    } finally {
      plain.server.off('connection', count);
    }
  });

  it('retries reads on 503 and connection resets, never writes', async () => {
    const c = client({ service: 'dns', baseUrl: plain.url, backoffMs: 10 });
    plain.faults.failNext = { count: 2, status: 503 };
    const before = plain.requests.length;
    expect((await c.request({ method: 'GET', path: '/read' })).status).toBe(200);
    expect(plain.requests.length - before).toBe(3);

    plain.faults.resetNext = 1;
    expect((await c.request({ method: 'GET', path: '/read' })).status).toBe(200);

    plain.faults.failNext = { count: 1, status: 503 };
    const mid = plain.requests.length;
    expect((await c.request({ method: 'POST', path: '/write', json: { a: 1 } })).status).toBe(503);
    expect(plain.requests.length - mid).toBe(1);
    plain.faults.resetNext = 1;
    await expect(c.request({ method: 'POST', path: '/write' })).rejects.toBeInstanceOf(UnreachableError);
  });

  it('retries a read whose answer is cut mid-body; a write cut mid-body fails with exit 4 and is sent once', async () => {
    const c = client({ service: 'dns', baseUrl: plain.url, backoffMs: 10 });
    plain.faults.resetMidBodyNext = 1;
    const before = plain.requests.length;
    const res = await c.request({ method: 'GET', path: '/cut' });
    expect(JSON.parse(res.text)).toEqual({ method: 'GET', path: '/cut' });
    expect(plain.requests.length - before).toBe(2);

    plain.faults.resetMidBodyNext = 1;
    const mid = plain.requests.length;
    const err = await failure(() => c.request({ method: 'POST', path: '/cut', json: { a: 1 } }));
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as UnreachableError).exitCode).toBe(4);
    expect(plain.requests.length - mid).toBe(1);
  });

  it('joins a base URL without a path and a request path with exactly one slash', async () => {
    const res = await client({ service: 'dns', baseUrl: `${plain.url}/` }).request({ method: 'GET', path: '/api/zones/list', query: { a: 1 } });
    expect(JSON.parse(res.text)).toEqual({ method: 'GET', path: '/api/zones/list' });
  });

  it('times out a request that gets no answer', async () => {
    plain.faults.hangNext = 1;
    const err = await failure(() => client({ service: 'kuma', baseUrl: plain.url, timeoutMs: 200, retries: 0 }).request({ method: 'GET', path: '/slow' }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).exitCode).toBe(4);
    expect(err.message).toBe('kuma: GET /slow timed out after 200 ms');
  });

  it('bounds a TLS handshake that never completes by the same deadline, and closing does not wait for it', async () => {
    const started = Date.now();
    const err = await failure(() => client({ baseUrl: `https://${silentUrl}`, fingerprint: tls.fingerprint, timeoutMs: 1000 }).request({ method: 'GET', path: '/version' }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toBe('pve: GET /version timed out after 1 s');
    const closing = Date.now();
    await closeAllAgents();
    // Correctness bounds (the bug took 10.7 s), not a benchmark; loose enough for a loaded CI machine.
    expect(closing - started).toBeLessThan(6000);
    expect(Date.now() - closing).toBeLessThan(3000);
  });

  it('closing drops a connect still pending: the request fails at once, not at its deadline', async () => {
    const started = Date.now();
    const pending = failure(() => client({ baseUrl: `https://${silentUrl}`, timeoutMs: 20_000, retries: 0 }).request({ method: 'GET', path: '/x' }));
    await new Promise((r) => setTimeout(r, 200));
    await closeAllAgents();
    const err = await pending;
    expect(err).toBeInstanceOf(UnreachableError);
    // Well before the 20 s deadline it would otherwise wait for.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports an unreachable service with exit code 4', async () => {
    const err = await failure(() => client({ service: 'dns', baseUrl: 'http://127.0.0.1:9', retries: 0 }).request({ method: 'GET', path: '/api' }));
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as UnreachableError).exitCode).toBe(4);
    expect(err.message).toContain('cannot reach http://127.0.0.1:9');
  });

  it('tells progress when an answer is slow', async () => {
    const notes: string[] = [];
    plain.faults.latencyMs = 300;
    try {
      const c = client({ service: 'dns', baseUrl: plain.url, progress: (n) => notes.push(n), slowAfterMs: 100 });
      expect((await c.request({ method: 'GET', path: '/slow' })).status).toBe(200);
    } finally {
      plain.faults.latencyMs = 0;
    }
    expect(notes).toEqual(['waiting for dns (GET /slow)…']);
  });

  it('maps a reverse proxy HTML page to the status and a short excerpt, and bad JSON to "unexpected answer"', async () => {
    const c = client({ service: 'dns', baseUrl: plain.url, retries: 0 });
    plain.faults.htmlErrorNext = { count: 1, status: 502 };
    const res = await c.request({ method: 'GET', path: '/x' });
    expect(res.text.length).toBeGreaterThan(50_000);
    const err = statusError('dns', res);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe('dns: HTTP 502 Bad Gateway: 502 Bad Gateway · nginx/1.24.0');

    plain.faults.badJsonNext = 1;
    const cut = await c.request({ method: 'GET', path: '/y' });
    const bad = await failure(async () => parseJson('dns', cut));
    expect(bad).toBeInstanceOf(UnexpectedAnswerError);
    expect(bad.message).toMatch(/^unexpected answer from dns: malformed or truncated JSON \(HTTP 200, \d+ bytes\)$/);
  });

  it('keeps a registered secret out of the messages a server echoes back', async () => {
    registerSecret('sup3r-secret-token');
    const echo = await startSimServer({ name: 'echo', handle: ({ res, req }) => { res.writeHead(500, `bad request ${req.url}`).end(); } });
    try {
      const res = await client({ service: 'dns', baseUrl: echo.url, retries: 0 }).request({ method: 'GET', path: '/api/zones', query: { token: 'sup3r-secret-token' } });
      expect(res.statusText).toContain('sup3r-secret-token');
      expect(statusError('dns', res).message).toBe('dns: HTTP 500 bad request /api/zones?token=***');
    } finally {
      await echo.close();
    }
  });
});

describe('server text and redaction', () => {
  it('strips escape sequences and control characters and cuts long text', () => {
    const hostile = 'VM 100 \u001b[2J\u001b[31mlocked\u001b[0m\u0007 by \u001b]0;pwned\u0007backup\u202e\r\nnext line';
    expect(serverText(hostile)).toBe('VM 100 locked by backup next line');
    const long = serverText('x'.repeat(200_000));
    expect(long.length).toBe(200);
    expect(long.endsWith('…')).toBe(true);
  });

  it('redacts the userinfo of any URL', () => {
    expect(redact('cannot reach https://admin:hunter2@10.5.0.1:8006/api2/json')).toBe('cannot reach https://***@10.5.0.1:8006/api2/json');
    expect(redact('see http://token123@host/x and ftp://u:p@h')).toBe('see http://***@host/x and ftp://***@h');
    expect(redact('mail admin@home.lan, https://host/a@b')).toBe('mail admin@home.lan, https://host/a@b');
  });
});
