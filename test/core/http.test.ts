/**
 * The HTTP core over real loopback sockets, once per transport (node http(s) and
 * undici): TLS pinning checked before anything is sent, deadlines that bound connect
 * and TLS handshake too, retries for reads only, typed errors, keep-alive reuse, and
 * server text cut and cleaned before it reaches a user.
 */
import { getEventListeners, once } from 'node:events';
import type { Server as HttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket, connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ConfigError, TimeoutError, TlsError, UnreachableError } from '../../src/core/errors.js';
import {
  HttpClient, MAX_ANSWER_BYTES, UnansweredError, UnexpectedAnswerError, closeAllAgents, fetchFingerprint, parseJson, serverText, statusError, type TransportName,
} from '../../src/core/http/index.js';
import { redact, registerSecret } from '../../src/core/redact.js';
import { selfSignedCert } from '../../src/lab/sim-cert.js';
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

/** An HTTPS server answering 200 on the IPv6 loopback `::1`, with its base URL. */
async function startV6Server(): Promise<{ url: string; fingerprint: string; close(): Promise<void> }> {
  const { createServer: createHttpsServer } = await import('node:https');
  const cert = await selfSignedCert();
  const server = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => sendJson(res, 200, { v6: true }));
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  const port = (server.address() as import('node:net').AddressInfo).port;
  return {
    url: `https://[::1]:${port}`, fingerprint: cert.fingerprint,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * An HTTPS listener whose first connection completes its handshake and takes requests it
 * never answers, while every later connection's handshake gets no answer at all.
 */
async function startOneConnectionServer(): Promise<{ url: string; fingerprint: string; firstRequest: Promise<void>; secondConnection: Promise<void>; close(): Promise<void> }> {
  const cert = await selfSignedCert();
  const sockets = new Set<Socket>();
  let gotRequest!: () => void;
  let gotSecond!: () => void;
  const firstRequest = new Promise<void>((resolve) => { gotRequest = resolve; });
  const secondConnection = new Promise<void>((resolve) => { gotSecond = resolve; });
  const server = createServer((raw) => {
    raw.on('error', () => undefined);
    sockets.add(raw);
    if (sockets.size > 1) return gotSecond();
    const secure = new TLSSocket(raw, { isServer: true, key: cert.key, cert: cert.cert });
    secure.on('error', () => undefined);
    secure.once('data', () => gotRequest());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`, fingerprint: cert.fingerprint, firstRequest, secondConnection,
    close: async () => {
      await closeAllAgents();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Connects a bare TLS client (resuming `session` when given) and returns its socket once the handshake is done. */
async function tlsClient(port: number, session?: Buffer): Promise<TLSSocket> {
  const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, session });
  await once(socket, 'secureConnect');
  return socket;
}

/** The session ticket a server gives a bare TLS client. */
async function sessionOf(port: number): Promise<Buffer> {
  const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false });
  const [session] = await once(socket, 'session') as [Buffer];
  socket.destroy();
  return session;
}

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

  it('checks the pin on every new connection: a certificate swapped under a server that would resume the session is refused', async () => {
    const server = tls.server as HttpsServer;
    const sockets: TLSSocket[] = [];
    const track = (socket: TLSSocket): void => { sockets.push(socket); };
    server.on('secureConnection', track);
    // One retry: a pooled connection the server closed may still look alive and be reset;
    // the retry then goes out on a new connection, which must be refused.
    const pinned = client({ baseUrl: tls.url, fingerprint: tls.fingerprint, retries: 1, backoffMs: 1 });
    expect((await pinned.request({ method: 'GET', path: '/a' })).status).toBe(200);
    const ticket = await sessionOf(tls.port);
    // The new certificate keeps the server's ticket keys, so a client that kept its session
    // resumes it: no certificate is sent on a resumed session, so its pin cannot be checked.
    const keys = server.getTicketKeys();
    const other = await tls.swapCertificate(true);
    server.setTicketKeys(keys);
    try {
      const control = await tlsClient(tls.port, ticket);
      expect(control.isSessionReused()).toBe(true);
      control.destroy();
      const open = sockets.filter((s) => !s.destroyed);
      server.closeAllConnections();
      await Promise.all(open.map((s) => (s.closed ? undefined : once(s, 'close'))));
      const before = tls.requests.length;
      const err = await failure(() => pinned.request({ method: 'GET', path: '/b' }));
      expect(err).toBeInstanceOf(TlsError);
      expect((err as TlsError).actualFingerprint).toBe(other);
      // A resumed session would show no certificate at all ("(none)"), not the new one.
      expect(tls.requests.length).toBe(before);
    } finally {
      server.off('secureConnection', track);
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

  it('a change sent, then cut off or left unanswered, may have been applied and says so (exit 4); one never sent still cannot reach or times out', async () => {
    const c = client({ service: 'dns', baseUrl: plain.url, timeoutMs: 300, retries: 0 });
    const add = { method: 'POST' as const, path: '/zones/records/add', form: { domain: 'x.home.lan' } };
    plain.faults.resetMidBodyNext = 1;
    const before = plain.requests.length;
    const cut = await failure(() => c.request(add));
    expect(cut).toBeInstanceOf(UnansweredError);
    expect((cut as UnansweredError).exitCode).toBe(4);
    expect(cut.message).toMatch(/^dns: no answer to POST \/zones\/records\/add \((ECONNRESET|UND_ERR_SOCKET)\): it may have been applied; check before retrying$/);
    plain.faults.hangNext = 1;
    const hung = await failure(() => c.request(add));
    expect(hung).toBeInstanceOf(UnansweredError);
    expect(hung.message).toBe('dns: no answer to POST /zones/records/add within 300 ms: it may have been applied; check before retrying');
    expect(plain.requests.length - before).toBe(2);
    // Never sent: the connection was refused, or its TLS handshake never finished.
    const refused = await failure(() => client({ service: 'dns', baseUrl: 'http://127.0.0.1:9', retries: 0 }).request(add));
    expect(refused).not.toBeInstanceOf(UnansweredError);
    expect(refused.message).toBe('dns: cannot reach http://127.0.0.1:9: ECONNREFUSED');
    const handshake = await failure(() => client({ baseUrl: `https://${silentUrl}`, fingerprint: tls.fingerprint, timeoutMs: 500 }).request({ ...add, path: '/nodes/pve1/qemu/9000/clone' }));
    expect(handshake).toBeInstanceOf(TimeoutError);
    expect(handshake.message).toBe('pve: POST /nodes/pve1/qemu/9000/clone timed out after 500 ms');
    // A read cut off is retried, and in the end cannot reach: it changed nothing.
    plain.faults.resetMidBodyNext = 3;
    const read = await failure(() => client({ service: 'dns', baseUrl: plain.url, backoffMs: 1 }).request({ method: 'GET', path: '/zones/records/get' }));
    expect(read).not.toBeInstanceOf(UnansweredError);
    expect(read.message).toMatch(/^dns: cannot reach http:\/\/127\.0\.0\.1:\d+: /);
  });

  it('a sign-in (changes: false) sent and left unanswered times out or cannot reach, never "may have been applied", and a retried one goes through', async () => {
    const c = client({ service: 'proxy', baseUrl: plain.url, timeoutMs: 300, retries: 0 });
    const login = { method: 'POST' as const, path: '/tokens', json: { identity: 'a@home.lan', secret: 'pw' }, changes: false };
    plain.faults.hangNext = 1;
    const hung = await failure(() => c.request(login));
    expect(hung).toBeInstanceOf(TimeoutError);
    expect(hung.message).toBe('proxy: POST /tokens timed out after 300 ms');
    plain.faults.resetMidBodyNext = 1;
    const cut = await failure(() => c.request(login));
    expect(cut).not.toBeInstanceOf(UnansweredError);
    expect(cut.message).toMatch(/^proxy: cannot reach http:\/\/127\.0\.0\.1:\d+: /);
    // Cancelled after it went out: plainly cancelled.
    const stop = new AbortController();
    plain.faults.hangNext = 1;
    const arrived = once(plain.server, 'request');
    const pending = failure(() => client({ service: 'proxy', baseUrl: plain.url, timeoutMs: 5000 }).request({ ...login, signal: stop.signal }));
    await arrived;
    stop.abort();
    expect((await pending).message).toBe('cancelled');
    // Retried like a read when the caller says it may be.
    plain.faults.resetMidBodyNext = 1;
    const before = plain.requests.length;
    const res = await client({ service: 'proxy', baseUrl: plain.url, backoffMs: 1 }).request({ ...login, path: '/tokens?again', idempotent: true });
    expect(res.status).toBe(200);
    expect(plain.requests.slice(before).filter((r) => r.path === '/tokens' && r.query.has('again'))).toHaveLength(2);
  });

  it('a change sent on one connection while another request waits for a new one still may have been applied', async () => {
    const split = await startOneConnectionServer();
    try {
      const c = client({ baseUrl: split.url, fingerprint: split.fingerprint, retries: 0 });
      const clone = failure(() => c.request({ method: 'POST', path: '/nodes/pve1/qemu/9000/clone', form: { newid: 9001 }, timeoutMs: 1000 }));
      await split.firstRequest;
      // The pool's one connection is busy: this read opens a second, whose TLS handshake never ends.
      const read = failure(() => c.request({ method: 'GET', path: '/nodes', timeoutMs: 3000 }));
      await split.secondConnection;
      const err = await clone;
      expect(err).toBeInstanceOf(UnansweredError);
      expect(err.message).toBe('pve: no answer to POST /nodes/pve1/qemu/9000/clone within 1 s: it may have been applied; check before retrying');
      const waited = await read;
      expect(waited).toBeInstanceOf(TimeoutError);
      expect(waited.message).toBe('pve: GET /nodes timed out after 3 s');
    } finally {
      await split.close();
    }
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
    const accepted = once(silent, 'connection');
    const pending = failure(() => client({ baseUrl: `https://${silentUrl}`, timeoutMs: 20_000, retries: 0 }).request({ method: 'GET', path: '/x' }));
    await accepted;
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

  it('redacts an echoed secret before cutting the excerpt, so no beginning of it survives the cut', async () => {
    const token = 'dnsTok-7f3a9c2e5b1d4a6f8e0c';
    registerSecret(token);
    // The 120-character excerpt ends 9 characters into the token.
    const page = `<html><body><h1>Bad Gateway</h1><p>upstream refused ${'y'.repeat(78)}${token}</p></body></html>`;
    const proxy = await startSimServer({ name: 'proxy', handle: ({ res }) => { res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' }).end(page); } });
    try {
      const res = await client({ service: 'dns', baseUrl: proxy.url, retries: 0 }).request({ method: 'GET', path: '/api/zones/records/get' });
      const message = statusError('dns', res).message;
      expect(message).toBe(`dns: HTTP 502 Bad Gateway: Bad Gateway upstream refused ${'y'.repeat(78)}***`);
      expect(message).not.toContain(token.slice(0, 4));
    } finally {
      await proxy.close();
    }
  });

  it('frees the abort listener of every backoff: one long-lived signal sees many retried reads', async () => {
    const batch = new AbortController();
    const c = client({ service: 'dns', baseUrl: plain.url, retries: 1, backoffMs: 1 });
    for (let i = 0; i < 12; i++) {
      plain.faults.failNext = { count: 1, status: 503 };
      const before = plain.requests.length;
      expect((await c.request({ method: 'GET', path: '/retried', signal: batch.signal })).status).toBe(200);
      expect(plain.requests.length - before).toBe(2);
    }
    expect(getEventListeners(batch.signal, 'abort')).toHaveLength(0);
  });

  it('refuses an answer larger than 32 MiB without buffering it all, and drops its connection', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    let finished = false;
    const huge = await startSimServer({
      name: 'huge',
      handle: ({ res, path }) => {
        closed = once(res, 'close');
        res.on('error', () => undefined);
        if (path === '/declared') {
          // Declares 40 MiB and sends one byte: refused at the headers, not at the deadline.
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(40 * 1024 * 1024) }).write('[');
          return;
        }
        // Chunked, no length given: up to 64 MiB, one MiB at a time.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (!res.destroyed && sent < 64) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end(() => { finished = true; });
        };
        pump();
      },
    });
    try {
      const c = client({ service: 'dns', baseUrl: huge.url, retries: 2, backoffMs: 1, timeoutMs: 20_000 });
      for (const path of ['/streamed', '/declared']) {
        const before = huge.requests.length;
        const err = await failure(() => c.request({ method: 'GET', path }));
        expect(err).toBeInstanceOf(UnexpectedAnswerError);
        expect((err as UnexpectedAnswerError).exitCode).toBe(1);
        expect(err.message).toBe(`unexpected answer from dns: answer larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`);
        // Not retried, and the server sees its connection dropped before it could finish.
        expect(huge.requests.length - before).toBe(1);
        await closed;
        expect(finished).toBe(false);
      }
    } finally {
      await huge.close();
    }
  });

  it('a connect aborted at one request\'s deadline leaves the connects other requests wait for alone', async () => {
    const target = { baseUrl: `https://${silentUrl}`, fingerprint: tls.fingerprint, retries: 0 };
    const short = failure(() => client({ ...target, timeoutMs: 300 }).request({ method: 'GET', path: '/short' }));
    const long = failure(() => client({ ...target, timeoutMs: 1500 }).request({ method: 'GET', path: '/long' }));
    const first = await short;
    expect(first).toBeInstanceOf(TimeoutError);
    // Still waiting for its own deadline, not failed by the other request's abort.
    const second = await long;
    expect(second).toBeInstanceOf(TimeoutError);
    expect(second.message).toBe('pve: GET /long timed out after 1.5 s');
  });

  it('keeps working after closeAllAgents, on a new pool that the next closeAllAgents reaches', async () => {
    const c = client({ service: 'dns', baseUrl: plain.url, retries: 0, timeoutMs: 10_000 });
    expect((await c.request({ method: 'GET', path: '/before' })).status).toBe(200);
    await closeAllAgents();
    expect((await c.request({ method: 'GET', path: '/after' })).status).toBe(200);
    plain.faults.hangNext = 1;
    const arrived = once(plain.server, 'request');
    const pending = failure(() => c.request({ method: 'GET', path: '/hangs' }));
    await arrived;
    await closeAllAgents();
    // Dropped by the close, not left to run into its 10 s deadline.
    expect(await pending).toBeInstanceOf(UnreachableError);
  });

  it('talks to an IPv6 loopback address, its pin checked', async () => {
    const v6 = await startV6Server();
    try {
      const res = await client({ baseUrl: v6.url, fingerprint: v6.fingerprint }).request({ method: 'GET', path: '/x' });
      expect(JSON.parse(res.text)).toEqual({ v6: true });
    } finally {
      await v6.close();
    }
  });
});

describe('client set-up and TLS helpers', () => {
  it('refuses a fingerprint with an http:// URL: the pin would never be checked and the token would go out in clear', () => {
    const make = (): HttpClient => new HttpClient({ service: 'dns', baseUrl: 'http://user:pw@127.0.0.1:5380', fingerprint: tls.fingerprint });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow('services.dns.fingerprint: fingerprint needs an https:// URL (got http://127.0.0.1:5380)');
    expect(() => new HttpClient({ service: 'dns', baseUrl: 'http://127.0.0.1:5380' })).not.toThrow();
    expect(() => new HttpClient({ service: 'dns', baseUrl: 'https://127.0.0.1:5380', fingerprint: tls.fingerprint })).not.toThrow();
  });

  it('fetches the fingerprint of a server at a bracketed IPv6 address', async () => {
    const v6 = await startV6Server();
    try {
      expect(await fetchFingerprint(v6.url)).toBe(v6.fingerprint);
    } finally {
      await v6.close();
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

  it('redacts the userinfo of any URL (more shapes in redact.test.ts)', () => {
    expect(redact('cannot reach https://admin:hunter2@10.5.0.1:8006/api2/json')).toBe('cannot reach https://***@10.5.0.1:8006/api2/json');
    expect(redact('cannot reach https://admin:p@ss@10.5.0.1:8006/')).toBe('cannot reach https://***@10.5.0.1:8006/');
    expect(redact('mail admin@home.lan, https://host/a@b')).toBe('mail admin@home.lan, https://host/a@b');
  });
});
