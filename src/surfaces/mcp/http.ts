/**
 * @module surfaces/mcp/http
 * The Streamable HTTP transport for remote agents: an HTTP server on 127.0.0.1 only
 * (reach it from elsewhere through an SSH tunnel, or a reverse proxy that sends the loopback
 * Host it connects to), one endpoint
 * `/mcp`, every request checked for `Authorization: Bearer <token>` (compared in
 * constant time) before anything but the Host. Each `initialize` opens a session with its own
 * MCP server; later requests name it in the `Mcp-Session-Id` header. DNS rebinding (a page
 * whose name an attacker points at 127.0.0.1): a request whose Host is not loopback
 * (`127.0.0.1`, `localhost`, `[::1]`, as the web dashboard's) is refused first, 421, and
 * browsers are turned away unless their Origin is loopback.
 *
 * Sessions end on the client's DELETE, after `sessionIdleMs` idle, or to make room at
 * `maxSessions` (`sessions.ts`; a session with a call running is never idle); an ended session's id is `404 unknown or expired session`.
 * A body over 4 MB is answered 413 while the rest is read and dropped, then the connection
 * closes: a client still sending reads its 413, not a reset.
 *
 * An answer counts as delivered once the response of the POST that carried its request finished
 * (`answer-streams.ts`): `telegram inbox clear` puts its entries back for a client that dropped
 * its connection mid-call.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { redact } from '../../core/redact.js';
import { listenError } from '../listen.js';
import { isLoopbackHostHeader } from '../shared/loopback.js';
import { AnswerStreams } from './answer-streams.js';
import { clientName, createMcpServer, type McpServerOptions } from './server.js';
import { MAX_SESSIONS, SESSION_IDLE_MS, SessionTable, type Session } from './sessions.js';

/** Options of the HTTP transport. */
export interface McpHttpOptions extends McpServerOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The bearer token clients must send. */
  token: string;
  /** Called with one line per notable event (for the daemon's log; never the token). */
  log?: (line: string) => void;
  /** A session with no request open and no call running for this long is closed (default 30 min). */
  sessionIdleMs?: number;
  /** At most this many sessions are open at once (default 100). */
  maxSessions?: number;
}

/** A running HTTP transport. */
export interface McpHttpServer {
  /** `http://127.0.0.1:<port>/mcp`. */
  url: string;
  port: number;
  /** Open sessions. */
  sessions(): number;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

/** Starts the Streamable HTTP transport. */
export async function startMcpHttp(options: McpHttpOptions): Promise<McpHttpServer> {
  const [{ StreamableHTTPServerTransport }, { isInitializeRequest }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  const expected = digest(options.token);
  const log = options.log ?? (() => undefined);
  const maxSessions = options.maxSessions ?? MAX_SESSIONS;
  const sessions = new SessionTable(options.sessionIdleMs ?? SESSION_IDLE_MS, maxSessions, log);
  // Each session's open responses, by the requests they answer.
  const streams = new WeakMap<StreamableHTTPServerTransport, AnswerStreams>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Bound to 127.0.0.1: any other name reached it through DNS rebinding (names are never resolved).
    if (!isLoopbackHostHeader(req.headers.host ?? '')) {
      log(`refused ${req.method} from ${req.socket.remoteAddress}: Host ${JSON.stringify(redact(req.headers.host ?? '').slice(0, 100))} is not loopback`);
      return reply(res, 421, 'misdirected request: this server answers only a loopback Host (127.0.0.1, localhost or [::1])');
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== '/mcp') return reply(res, 404, 'not found: the MCP endpoint is /mcp');
    const origin = req.headers.origin;
    if (origin && !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin)) return reply(res, 403, 'forbidden origin');
    if (!authorised(req.headers.authorization, expected)) {
      log(`refused ${req.method} from ${req.socket.remoteAddress}: missing or wrong bearer token`);
      res.setHeader('WWW-Authenticate', 'Bearer realm="homelab"');
      return reply(res, 401, 'unauthorised: send Authorization: Bearer <token>');
    }
    const sessionId = header(req, 'mcp-session-id');
    let body: unknown;
    if (req.method === 'POST') {
      const text = await readBody(req);
      // The rest of an oversized body is being read and dropped; the connection closes after the 413.
      if (text === undefined) return reply(res, 413, `request body too large: at most ${MAX_BODY / 1024 / 1024} MB`, -32600, { connection: 'close' });
      try {
        body = JSON.parse(text);
      } catch {
        return reply(res, 400, 'request body is not JSON', -32700);
      }
    }
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) return reply(res, 404, 'unknown or expired session: initialize again');
      sessions.using(session, res);
      streams.get(session.transport)?.carry(body, res);
      return session.transport.handleRequest(req, res, body);
    }
    const initializing = req.method === 'POST' && (Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body));
    if (!initializing) return reply(res, 400, 'no session: send initialize first (without Mcp-Session-Id)');
    if (!sessions.makeRoom()) return reply(res, 503, `too many open sessions (${maxSessions}), each with a request open or a call running: try again later`);
    // Its running calls keep the session (sessions.ts): a call runs only once it is initialised.
    let session: Session | undefined;
    const answers = new AnswerStreams();
    const server = await createMcpServer({ ...options, onCall: (call) => session && sessions.running(session, call), written: answers.written });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        session = sessions.add(id, transport, server);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.forget(transport.sessionId);
    };
    streams.set(transport, answers);
    server.oninitialized = () => log(`session opened by ${clientName(server.getClientVersion())}`);
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`request failed: ${redact((err as Error).message)}`);
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    // A port in use (or not allowed) is one line with what to change, never Node's message.
    const refused = (err: NodeJS.ErrnoException): void => {
      void sessions.closeAll();
      reject(listenError(err, '127.0.0.1', options.port));
    };
    http.once('error', refused);
    http.listen(options.port, '127.0.0.1', () => {
      http.off('error', refused);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    sessions: () => sessions.size,
    async close() {
      await sessions.closeAll();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function authorised(authorization: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return Boolean(match) && timingSafeEqual(digest(match?.[1] ?? ''), expected);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(res: ServerResponse, status: number, message: string, code = -32000, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/**
 * The request body as text; undefined as soon as it is over `MAX_BODY`: nothing more is kept,
 * and the rest is read and dropped, so a client still sending can read the 413 (a connection
 * destroyed under it is a reset). Node's request timeout bounds a body that never ends.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_BODY) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      req.off('data', keep);
      req.on('data', () => undefined);
      resolve(undefined);
    };
    req.on('data', keep);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
