/**
 * @module surfaces/mcp/http
 * The Streamable HTTP transport for remote agents: an HTTP server on 127.0.0.1 only
 * (reach it from elsewhere through an SSH tunnel or a reverse proxy), one endpoint
 * `/mcp`, every request checked for `Authorization: Bearer <token>` (compared in
 * constant time) before anything else. Each `initialize` opens a session with its own
 * MCP server; later requests name it in the `Mcp-Session-Id` header. Browsers are
 * turned away unless their Origin is loopback (DNS rebinding).
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { redact } from '../../core/redact.js';
import { listenError } from '../listen.js';
import { createMcpServer, type McpServerOptions } from './server.js';

/** Options of the HTTP transport. */
export interface McpHttpOptions extends McpServerOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The bearer token clients must send. */
  token: string;
  /** Called with one line per notable event (for the daemon's log; never the token). */
  log?: (line: string) => void;
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
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const log = options.log ?? (() => undefined);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
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
      try {
        body = JSON.parse(await readBody(req));
      } catch (err) {
        return reply(res, (err as { status?: number }).status ?? 400, (err as { status?: number }).status ? 'request body too large' : 'request body is not JSON', -32700);
      }
    }
    if (sessionId) {
      const transport = sessions.get(sessionId);
      if (!transport) return reply(res, 404, 'unknown or expired session: initialize again');
      return transport.handleRequest(req, res, body);
    }
    const initializing = req.method === 'POST' && (Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body));
    if (!initializing) return reply(res, 400, 'no session: send initialize first (without Mcp-Session-Id)');
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    const server = await createMcpServer(options);
    server.oninitialized = () => log(`session opened by ${server.getClientVersion()?.name ?? 'a client'}`);
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
    const refused = (err: NodeJS.ErrnoException): void => reject(listenError(err, '127.0.0.1', options.port));
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
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
      sessions.clear();
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

function reply(res: ServerResponse, status: number, message: string, code = -32000): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
