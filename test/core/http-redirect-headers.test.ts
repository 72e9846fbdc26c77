/**
 * The HTTP core over real loopback sockets, once per transport: a redirect is never followed
 * and says the origin it points to and which setting to change (exit 3, no ConfigError: the
 * service is configured), and a header that cannot be
 * sent (a token holding a newline or an escape sequence) is a local fault (exit 1) named by
 * its header, never "cannot reach", with nothing sent.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, HomelabError, OperationError } from '../../src/core/errors.js';
import { RedirectError } from '../../src/core/http/redirect.js';
import { requestFailure } from '../../src/core/http/failure.js';
import { HttpClient, closeAllAgents, type TransportName } from '../../src/core/http/index.js';
import { sendJson, startSimServer, type SimServer } from '../../src/lab/sim-server.js';

let server: SimServer;
// Where the redirects point: other loopback origins, never followed, never anything off loopback.
const ELSEWHERE = 'http://127.0.0.2:8080';
const OTHER_PORT = 'https://127.0.0.1:9';

beforeAll(async () => {
  server = await startSimServer({
    name: 'redirecting',
    handle({ res, path }) {
      if (path === '/elsewhere') return void res.writeHead(301, 'Moved Permanently', { location: `${ELSEWHERE}/api/zones?token=s3cret` }).end();
      if (path.endsWith('/same')) return void res.writeHead(308, { location: '/api/zones/list/?token=s3cret' }).end();
      if (path === '/post') return void res.writeHead(302, { location: `${OTHER_PORT}/api` }).end();
      if (path === '/nowhere') return void res.writeHead(307).end();
      if (path === '/not-modified') return void res.writeHead(304).end();
      sendJson(res, 200, { ok: true });
    },
  });
});
afterAll(async () => {
  await closeAllAgents();
  await server.close();
});

describe.each<TransportName>(['node', 'undici'])('redirects and headers over %s', (transport) => {
  const client = (headers?: Record<string, string>): HttpClient => new HttpClient({ service: 'dns', baseUrl: server.url, transport, retries: 2, backoffMs: 1, headers: headers ? () => headers : undefined });
  const failure = async (p: Promise<unknown>): Promise<HomelabError> => p.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err as HomelabError);

  it('a redirect to another origin is not followed: exit 3, naming its origin and the setting, sent once', async () => {
    const before = server.requests.length;
    const err = await failure(client().request({ method: 'GET', path: '/elsewhere' }));
    expect(err).toBeInstanceOf(RedirectError);
    // Not "not configured": whoever reads a ConfigError so (the hub) must not take a redirect for it.
    expect(err).not.toBeInstanceOf(ConfigError);
    expect(err.exitCode).toBe(ExitCode.config);
    expect(err.message).toBe(`dns: redirected to ${ELSEWHERE} (HTTP 301): set services.dns.url to where it redirects`);
    // Never followed, never retried.
    expect(server.requests.length - before).toBe(1);
  });

  it('a redirect within the same origin names the origin only (never the API path); one without Location says so; a change is not sent on', async () => {
    const same = await failure(client().request({ method: 'GET', path: '/same' }));
    expect(same.message).toBe(`dns: redirected to ${server.url} (another path on the same server) (HTTP 308): set services.dns.url to where it redirects`);
    const nowhere = await failure(client().request({ method: 'GET', path: '/nowhere' }));
    expect(nowhere.message).toMatch(/^dns: redirected to an address it does not give \(no Location header\) \(HTTP 307\)/);
    const before = server.requests.length;
    const post = await failure(client().json({ method: 'POST', path: '/post', json: { a: 1 } }));
    expect(post.exitCode).toBe(ExitCode.config);
    expect(post.message).toContain(`redirected to ${OTHER_PORT} (HTTP 302)`);
    expect(server.requests.length - before).toBe(1);
  });

  it('names the setting that holds the URL: telegram.api_root for Telegram, or the one the caller gives', async () => {
    const telegram = new HttpClient({ service: 'telegram', baseUrl: `${server.url}/botSECRET`, transport, retries: 0 });
    const tg = await failure(telegram.request({ method: 'POST', path: '/same', json: {} }));
    expect(tg.message).toBe(`telegram: redirected to ${server.url} (another path on the same server) (HTTP 308): set telegram.api_root to where it redirects`);
    const given = new HttpClient({ service: 'kuma', baseUrl: server.url, transport, urlSetting: 'contexts.office.services.kuma.url' });
    expect((await failure(given.request({ method: 'GET', path: '/elsewhere' }))).message).toContain('set contexts.office.services.kuma.url to where it redirects');
  });

  it('304 is no redirect: the answer comes back as it is', async () => {
    const res = await client().request({ method: 'GET', path: '/not-modified' });
    expect(res.status).toBe(304);
  });

  it('a header value with a newline or an escape sequence fails before sending: exit 1, the header named, its value never shown', async () => {
    for (const token of ['abc\ndef', 'abc\u001b]0;x\u0007']) {
      const before = server.requests.length;
      const err = await failure(client({ authorization: `Bearer ${token}` }).request({ method: 'GET', path: '/ok' }));
      expect(err).toBeInstanceOf(OperationError);
      expect(err.exitCode).toBe(ExitCode.failed);
      expect(err.message).toBe('dns: cannot send GET /ok: header authorization holds a character HTTP does not allow');
      expect(err.message + (err.hint ?? '')).not.toContain('abc');
      expect(server.requests.length - before).toBe(0);
    }
  });
});

describe('a header the transport itself refuses', () => {
  it('is a local fault (exit 1), never "cannot reach"', () => {
    let raw: unknown;
    try {
      httpRequest({ host: '127.0.0.1', port: 9, headers: { authorization: 'Bearer abc\ndef' } });
    } catch (err) {
      raw = err;
    }
    expect((raw as { code?: string }).code).toBe('ERR_INVALID_CHAR');
    const typed = requestFailure(raw, { service: 'proxy', origin: 'http://127.0.0.1:9', what: 'GET /tokens', sent: false, changes: false, timeoutMs: 1000, timedOut: false });
    expect(typed.exitCode).toBe(ExitCode.failed);
    expect(typed.message).toBe('proxy: cannot send GET /tokens: a header holds a character HTTP does not allow');
    const fromHeaders = (() => { try { new Headers({ authorization: 'a\nb' }); } catch (err) { return err; } return undefined; })();
    expect(requestFailure(fromHeaders, { service: 'beszel', origin: 'x', what: 'GET /x', sent: false, changes: false, timeoutMs: 1, timedOut: false }).message).not.toMatch(/cannot reach/);
  });
});
