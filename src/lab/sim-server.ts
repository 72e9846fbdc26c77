/**
 * @module lab/sim-server
 * The plumbing every HTTP simulator shares: a loopback HTTP or HTTPS server (with a
 * self-signed certificate generated at start, `sim-cert`), a request log tests can inspect, and
 * fault injection: latency, 5xx (empty, or a reverse proxy's HTML error page),
 * connection resets before the answer or in the middle of its body, malformed JSON,
 * answers that never come, and a certificate swapped for another (a pin mismatch).
 * Token expiry lives in each simulator's own auth.
 *
 * A simulator supplies only its `handle(req, res, body)`; everything protocol-specific
 * (paths, envelopes, auth, error shapes) lives in the simulator itself.
 *
 * The request log keeps the last `REQUEST_LOG_LIMIT` requests, so a `homelab lab` left
 * running (a dashboard polling 2000 guests) does not grow without bound; the test suite
 * keeps every request (`keepFullRequestLogs`, from its setup file), as its tests count and
 * slice the log from a position taken earlier.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { otherSelfSignedCert, selfSignedCert } from './sim-cert.js';

/** One request as the simulator received it. */
export interface LoggedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  status?: number;
  /** Set by a simulator whose API answers 200 when it refuses the credentials (Technitium). */
  authRefused?: boolean;
}

/** Faults a test injects by setting them on a running simulator (`sim.faults`); `homelab lab --latency` sets `latencyMs`. */
export interface Faults {
  /** Added before every answer. */
  latencyMs: number;
  /** The next N requests get this status with an empty body. */
  failNext?: { count: number; status: number };
  /** The next N requests have their connection destroyed without an answer. */
  resetNext?: number;
  /** The next N JSON answers are cut in half. */
  badJsonNext?: number;
  /** The next N requests never get an answer (for timeout tests). */
  hangNext?: number;
  /** The next N requests get this status with a reverse proxy's HTML error page (a large one). */
  htmlErrorNext?: { count: number; status: number };
  /** The next N answers send their headers and half their body, then the connection is destroyed. */
  resetMidBodyNext?: number;
  /** The next N requests get this status and JSON body instead of the real answer (one the API never gives), without being carried out. */
  answerNext?: { count: number; status: number; body: string };
  /** When set, the counted faults above hit only requests matching it (a mutation, say); latency hits all. */
  only?: { method?: string; path?: RegExp };
}

/** What a simulator's handler receives. */
export interface SimRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  log: LoggedRequest;
}

/** Options for `startSimServer`. */
export interface SimServerOptions {
  name: string;
  tls?: boolean;
  /** 0 (default) picks a free port. */
  port?: number;
  handle(sim: SimRequest): void | Promise<void>;
  faults?: Partial<Faults>;
}

/** A running simulator server. */
export interface SimServer {
  url: string;
  port: number;
  /** SHA-256 fingerprint of the TLS certificate (upper-case colon form), for HTTPS servers. */
  fingerprint?: string;
  faults: Faults;
  /** The requests received, oldest first: every one in tests (`keepFullRequestLogs`), else the last `REQUEST_LOG_LIMIT`. */
  requests: LoggedRequest[];
  server: Server;
  /**
   * HTTPS only: presents another self-signed certificate (`true`) or the original one
   * (`false`) to new connections; resolves to the fingerprint now presented.
   */
  swapCertificate(other: boolean): Promise<string>;
  close(): Promise<void>;
}

/** Requests a simulator's log keeps unless `keepFullRequestLogs` is on: the last ones. */
export const REQUEST_LOG_LIMIT = 1000;

let fullRequestLogs = false;

/** Simulators started from now on keep every request in `requests` (tests), or only the last `REQUEST_LOG_LIMIT` (`false`, the default). */
export function keepFullRequestLogs(on = true): void {
  fullRequestLogs = on;
}

/** A reverse proxy's 5xx page, padded the way real ones are (inline styles, one long line). */
export function htmlErrorPage(status: number): string {
  const reason = status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Temporarily Unavailable' : status === 504 ? 'Gateway Time-out' : 'Internal Server Error';
  const style = `<style>${'body{font-family:Tahoma,Verdana,Arial,sans-serif;margin:0 auto;width:35em}'.repeat(1500)}</style>`;
  return `<!DOCTYPE html><html><head><title>${status} ${reason}</title>${style}</head><body><center><h1>${status} ${reason}</h1></center><hr><center>nginx/1.24.0</center></body></html>`;
}

/** Starts a simulator on 127.0.0.1 and resolves once it listens. */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const faults: Faults = { latencyMs: 0, ...options.faults };
  const requests: LoggedRequest[] = [];
  const logLimit = fullRequestLogs ? Infinity : REQUEST_LOG_LIMIT;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void serve(req, res);
  };
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://sim');
    const log: LoggedRequest = {
      method: req.method ?? 'GET', path: url.pathname, query: url.searchParams,
      headers: req.headers, body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(log);
    if (requests.length > logLimit) requests.splice(0, requests.length - logLimit);
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const hit = !faults.only || ((!faults.only.method || faults.only.method === log.method) && (!faults.only.path || faults.only.path.test(log.path)));
    if (hit && injectFault(faults, req, res, log)) return;
    res.on('finish', () => { log.status = res.statusCode; });
    try {
      await options.handle({ req, res, method: log.method, path: log.path, query: log.query, body: log.body, log });
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator ${options.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  let server: Server;
  let fingerprint: string | undefined;
  if (options.tls) {
    const cert = await selfSignedCert();
    fingerprint = cert.fingerprint;
    server = createHttpsServer({ key: cert.key, cert: cert.cert }, listener);
  } else {
    server = createHttpServer(listener);
  }
  // Every accepted socket, so close() never waits on one (a TLS handshake in progress, a hung answer).
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url, port, fingerprint, faults, requests, server,
    async swapCertificate(other) {
      if (!options.tls) throw new Error(`simulator ${options.name} does not use TLS`);
      const cert = other ? await otherSelfSignedCert() : await selfSignedCert();
      (server as HttpsServer).setSecureContext({ key: cert.key, cert: cert.cert });
      server.closeIdleConnections?.();
      return cert.fingerprint;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Applies the first counted fault that is due; true when the answer is taken care of. */
function injectFault(faults: Faults, req: IncomingMessage, res: ServerResponse, log: LoggedRequest): boolean {
  if (faults.hangNext && faults.hangNext > 0) { faults.hangNext--; return true; }
  if (faults.resetNext && faults.resetNext > 0) { faults.resetNext--; req.socket.destroy(); return true; }
  if (faults.failNext && faults.failNext.count > 0) {
    faults.failNext.count--;
    log.status = faults.failNext.status;
    res.writeHead(faults.failNext.status).end();
    return true;
  }
  if (faults.htmlErrorNext && faults.htmlErrorNext.count > 0) {
    faults.htmlErrorNext.count--;
    log.status = faults.htmlErrorNext.status;
    const page = htmlErrorPage(faults.htmlErrorNext.status);
    res.writeHead(faults.htmlErrorNext.status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page), server: 'nginx/1.24.0' }).end(page);
    return true;
  }
  if (faults.answerNext && faults.answerNext.count > 0) {
    faults.answerNext.count--;
    log.status = faults.answerNext.status;
    res.writeHead(faults.answerNext.status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(faults.answerNext.body) }).end(faults.answerNext.body);
    return true;
  }
  if (faults.resetMidBodyNext && faults.resetMidBodyNext > 0) {
    faults.resetMidBodyNext--;
    // Headers (with the full content-length) and half the body go out, then the connection dies.
    res.end = ((chunk?: unknown) => {
      const body = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? Buffer.from(chunk) : Buffer.alloc(0);
      res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => res.socket?.destroy());
      return res;
    }) as typeof res.end;
    return false;
  }
  if (faults.badJsonNext && faults.badJsonNext > 0) {
    faults.badJsonNext--;
    const end = res.end.bind(res);
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    // Drop content-length so the cut body ends the answer instead of stalling it.
    res.writeHead = ((...args: unknown[]) => {
      const headers = args.find((a): a is Record<string, unknown> => typeof a === 'object' && a !== null);
      if (headers) for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-length') delete headers[key];
      return writeHead(...args);
    });
    res.end = ((chunk?: unknown) => end(typeof chunk === 'string' ? chunk.slice(0, Math.ceil(chunk.length / 2)) : chunk)) as typeof res.end;
  }
  return false;
}

/** Sends a JSON answer. `reason` sets the HTTP reason phrase (PVE and PBS carry messages there). */
export function sendJson(res: ServerResponse, status: number, body: unknown, reason?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, reason ?? '', { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends a plain-text answer. */
export function sendText(res: ServerResponse, status: number, text: string, reason?: string, contentType = 'text/plain;charset=UTF-8'): void {
  res.writeHead(status, reason ?? '', { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Parses a request body as JSON or form data, by its content type. */
export function parseBody(sim: SimRequest): Record<string, unknown> {
  if (!sim.body) return {};
  const type = sim.req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(sim.body);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  }
  return Object.fromEntries(new URLSearchParams(sim.body));
}
