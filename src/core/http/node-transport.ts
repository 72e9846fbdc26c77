/**
 * @module core/http/node-transport
 * The default transport: Node's own `http`/`https` with a keep-alive `Agent` per origin
 * and pin (so `homelab batch` and long-running processes reuse connections), the native
 * HTTP parser, and our own connect step: a TLS connection is handed to the agent only
 * after 'secureConnect' and the pin check, so a request is never written to a server
 * whose certificate does not match, and no session is resumed on a pinned connection.
 * The request's signal bounds the connect and the handshake too; `close` destroys
 * connects still pending instead of waiting for them. An answer over `MAX_ANSWER_BYTES`
 * fails the request and drops its connection.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { connectHost, pinMismatch, tlsOptions } from './tls.js';
import type { PoolKey, Transport, WireRequest, WireResponse } from './transport.js';
import { MAX_ANSWER_BYTES, answerTooLarge } from './unexpected-answer.js';

/** Options the agent passes to `createConnection`, plus the request's signal (our own key). */
interface ConnectOptions {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
  homelabSignal?: AbortSignal;
}

type Done = (err: Error | null, socket?: Socket) => void;

/** Idle keep-alive connections are closed after this (servers close theirs after 5–75 s). */
const IDLE_MS = 4_000;

/** Node http(s) transport of one origin and pin. */
export class NodeTransport implements Transport {
  private readonly agent: HttpAgent;
  private readonly secure: boolean;
  /** Connects in progress, with how to fail each. */
  private readonly connecting = new Map<Socket, (err: Error) => void>();

  constructor(private readonly key: PoolKey) {
    this.secure = new URL(key.origin).protocol === 'https:';
    this.agent = this.secure ? new HttpsAgent({ keepAlive: true, timeout: IDLE_MS, maxCachedSessions: 0 }) : new HttpAgent({ keepAlive: true, timeout: IDLE_MS });
    // Returning nothing and calling back later is part of Agent's contract (`createSocket`).
    (this.agent as unknown as { createConnection: (o: ConnectOptions, cb: Done) => undefined }).createConnection = (options, done) => {
      this.connect(options, done);
      return undefined;
    };
  }

  private connect(options: ConnectOptions, done: Done): void {
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = Number(options.port);
    const signal = options.homelabSignal;
    const pin = this.key.fingerprint;
    const socket = this.secure
      ? tlsConnect({ host, port, ...tlsOptions(host, pin), ALPNProtocols: ['http/1.1'] })
      : netConnect({ host, port });
    let settled = false;
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      this.connecting.delete(socket);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', finish);
      if (err) {
        socket.destroy();
        done(err);
      } else done(null, socket);
    };
    const onAbort = (): void => finish(Object.assign(new Error('connect aborted'), { code: 'ABORT_ERR' }));
    this.connecting.set(socket, finish);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', finish);
    if (!this.secure) {
      socket.once('connect', () => finish(null));
      return;
    }
    socket.once('secureConnect', () => finish(pin ? pinMismatch(this.key.service, socket as TLSSocket, pin) ?? null : null));
  }

  /** Sends one request and reads the whole answer. */
  request(req: WireRequest): Promise<WireResponse> {
    return new Promise<WireResponse>((resolve, reject) => {
      const send = this.secure ? httpsRequest : httpRequest;
      const fail = (err: Error): void => {
        req.signal.removeEventListener('abort', onAbort);
        reject(err);
      };
      const onAbort = (): void => { outgoing.destroy(Object.assign(new Error('request aborted'), { code: 'ABORT_ERR' })); };
      const headers = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const outgoing: ClientRequest = send({
        agent: this.agent,
        protocol: req.url.protocol,
        hostname: connectHost(req.url.hostname),
        port: req.url.port || (this.secure ? 443 : 80),
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method,
        headers,
        homelabSignal: req.signal,
      } as RequestOptions);
      outgoing.on('error', fail);
      // 'finish': the whole request was handed to the socket, which the agent gives only once connected (and pinned).
      if (req.onSent) outgoing.once('finish', req.onSent);
      outgoing.once('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        // An answer over the cap is dropped with its connection, before it is all buffered.
        const tooLarge = (): void => {
          chunks.length = 0;
          fail(answerTooLarge(this.key.service, res.statusCode ?? 0));
          outgoing.destroy();
        };
        res.on('error', fail);
        if (Number(res.headers['content-length']) > MAX_ANSWER_BYTES) return tooLarge();
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) return tooLarge();
          chunks.push(chunk);
        });
        res.once('close', () => {
          if (!res.complete) return fail(Object.assign(new Error('connection closed before the whole answer arrived'), { code: 'ECONNRESET' }));
          req.signal.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      if (req.signal.aborted) return onAbort();
      req.signal.addEventListener('abort', onAbort, { once: true });
      outgoing.end(req.body);
    });
  }

  /** Destroys pooled sockets and pending connects at once. */
  async close(): Promise<void> {
    for (const fail of [...this.connecting.values()]) fail(Object.assign(new Error('closed while connecting'), { code: 'ECONNABORTED' }));
    this.connecting.clear();
    this.agent.destroy();
  }
}
