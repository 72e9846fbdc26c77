/**
 * The Streamable HTTP transport's edges, over real HTTP on loopback: sessions end (a client
 * gone without DELETE, as the SDK client's close() leaves it, is closed once idle; the cap
 * closes the session idle longest, and refuses a newcomer with 503 when every one is in use;
 * a call still running after its client dropped the connection keeps its session, so neither
 * the cap nor the idle time cancels it),
 * a browser's foreign Origin is refused, an oversized body gets its 413 (not a reset) and the
 * server goes on serving.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installAuditHook } from '../../../src/audit/hook.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { getRegistry } from '../../../src/services/index.js';
import { startMcpHttp, type McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { RAW_HEADERS as headers, TOKEN, endedRow, initializeBody, rawSession, textOf, until } from './helpers.js';

// A task that outlasts the short idle times used here (pve start waits for it).
const lab = useLab({ services: ['pve'], taskDurationMs: 4000 });
let removeHook: () => void;
beforeAll(() => {
  removeHook = installAuditHook();
});
afterAll(() => removeHook());
const servers: McpHttpServer[] = [];
const streams: AbortController[] = [];

afterEach(async () => {
  for (const s of streams.splice(0)) s.abort();
  for (const s of servers.splice(0)) await s.close();
});

async function start(options: { sessionIdleMs?: number; maxSessions?: number } = {}, log?: (line: string) => void): Promise<McpHttpServer> {
  const server = await startMcpHttp({ registry: getRegistry(), allow: 'change', env: { ...lab.current.env }, port: 0, token: TOKEN, ...options, ...(log ? { log } : {}) });
  servers.push(server);
  return server;
}

const initialize = initializeBody();

/** A raw initialize: the new session's id. */
async function open(server: McpHttpServer): Promise<string> {
  return (await rawSession(server))['mcp-session-id'] as string;
}

/** tools/list in session `id`: the HTTP status and the body. */
async function listIn(server: McpHttpServer, id: string): Promise<{ status: number; body: string }> {
  const res = await fetch(server.url, { method: 'POST', headers: { ...headers, 'mcp-session-id': id }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
  return { status: res.status, body: await res.text() };
}

/** Opens the session's listening GET stream (a request that stays open), kept until the test ends. */
async function listen(server: McpHttpServer, id: string): Promise<void> {
  const stop = new AbortController();
  streams.push(stop);
  const res = await fetch(server.url, { headers: { ...headers, accept: 'text/event-stream', 'mcp-session-id': id }, signal: stop.signal });
  expect(res.status).toBe(200);
}


describe('MCP over HTTP: sessions end', () => {
  it('closes a session its client left without DELETE once idle: its id is then unknown or expired', async () => {
    const lines: string[] = [];
    // Idle time long enough that the session is surely still open right after close(), on a busy machine too.
    const server = await start({ sessionIdleMs: 2000 }, (line) => lines.push(line));
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
    const client = new Client({ name: 'leaving-agent', version: '1' });
    await client.connect(transport);
    await client.listTools();
    const id = transport.sessionId as string;
    // The SDK client's close() sends no DELETE: the session stays until it has been idle long enough.
    await client.close();
    expect((await listIn(server, id)).status).toBe(200);
    await until(() => server.sessions() === 0, 'the idle session closed');
    const after = await listIn(server, id);
    expect(after.status).toBe(404);
    expect(after.body).toContain('unknown or expired session: initialize again');
    expect(lines.join('\n')).toContain('session of leaving-agent closed: idle for');
  });

  it('keeps a session whose client is connected (its GET stream open) past the idle time', async () => {
    const server = await start({ sessionIdleMs: 200 });
    const id = await open(server);
    await listen(server, id);
    await new Promise((r) => setTimeout(r, 700));
    expect(server.sessions()).toBe(1);
    expect((await listIn(server, id)).status).toBe(200);
  });

  it('ends a session on DELETE', async () => {
    const server = await start();
    const id = await open(server);
    const deleted = await fetch(server.url, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': id } });
    expect(deleted.status).toBe(200);
    expect(server.sessions()).toBe(0);
    expect((await listIn(server, id)).status).toBe(404);
  });

  it('at the cap, closes the session idle longest; refuses a newcomer with 503 when every session has a request open', async () => {
    const lines: string[] = [];
    const server = await start({ maxSessions: 2 }, (line) => lines.push(line));
    const first = await open(server);
    const second = await open(server);
    const third = await open(server);
    expect(server.sessions()).toBe(2);
    expect((await listIn(server, first)).status).toBe(404);
    expect((await listIn(server, second)).status).toBe(200);
    expect((await listIn(server, third)).status).toBe(200);
    expect(lines.join('\n')).toContain('closed: 2 sessions open, the most; this one was idle longest');

    await listen(server, second);
    await listen(server, third);
    const refused = await fetch(server.url, { method: 'POST', headers, body: initialize });
    expect(refused.status).toBe(503);
    expect(await refused.text()).toContain('too many open sessions (2)');
    expect((await listIn(server, second)).status).toBe(200);

    // A stream closed (its client gone) makes that session the one to close.
    (streams[0] as AbortController).abort();
    let fourth: Response | undefined;
    for (let i = 0; i < 50 && fourth?.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      fourth = await fetch(server.url, { method: 'POST', headers, body: initialize });
      await fourth.text();
    }
    expect(fourth?.status).toBe(200);
    expect((await listIn(server, second)).status).toBe(404);
    expect((await listIn(server, third)).status).toBe(200);
  });
});

describe('MCP over HTTP: a call whose client dropped its connection', () => {
  const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;


  it('keeps its session busy until the call ends: the cap refuses a newcomer (503) and the idle time waits, so the call is not cancelled', async () => {
    pve().state.guests.get(201)!.status = 'stopped';
    const lines: string[] = [];
    // The idle time is far shorter than the task: without counting the call, the sweep would close the session under it.
    const server = await start({ maxSessions: 1, sessionIdleMs: 400 }, (line) => lines.push(line));
    const session = await rawSession(server, 'agent-a');
    const drop = new AbortController();
    const res = await fetch(server.url, { method: 'POST', headers: session, signal: drop.signal, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'pve_start', arguments: { vmid: 201 }, _meta: { progressToken: 1 } } }) });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('running')) seen += Buffer.from((await reader.read()).value ?? []).toString();
    drop.abort();
    // Its response is closed: only the running call keeps the session.
    await new Promise((r) => setTimeout(r, 800));
    const newcomer = await fetch(server.url, { method: 'POST', headers, body: initializeBody('agent-b') });
    expect(newcomer.status).toBe(503);
    expect(await newcomer.text()).toContain('too many open sessions (1), each with a request open or a call running');

    const row = await endedRow(lab.current.env.HOMELAB_DATA_HOME, 'agent-a', 15_000);
    expect(row).toMatchObject({ operation: 'pve.start', outcome: 'ok' });
    expect(pve().state.guests.get(201)?.status).toBe('running');
    expect(lines.join('\n')).not.toContain('session of agent-a closed');
  });
});

describe('MCP over HTTP: what is refused', () => {
  it('refuses a browser whose Origin is not loopback, before the token is even looked at', async () => {
    const server = await start();
    const foreign = await fetch(server.url, { method: 'POST', headers: { ...headers, origin: 'http://evil.example' }, body: initialize });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('forbidden origin');
    const rebinding = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1.evil.example:8765' }, body: initialize });
    expect(rebinding.status).toBe(403);
    const local = await fetch(server.url, { method: 'POST', headers: { ...headers, origin: `http://localhost:${server.port}` }, body: initialize });
    await local.text();
    expect(local.status).toBe(200);
  });

  it('answers a body over 4 MB with 413 (not a reset), and serves the next request', async () => {
    const server = await start();
    const id = await open(server);
    const big = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'pve_list', arguments: { pad: 'x'.repeat(20 * 1024 * 1024) } } });
    const res = await fetch(server.url, { method: 'POST', headers: { ...headers, 'mcp-session-id': id }, body: big });
    expect(res.status).toBe(413);
    expect(JSON.parse(await res.text())).toMatchObject({ error: { message: 'request body too large: at most 4 MB' } });
    expect(res.headers.get('connection')).toBe('close');
    const next = await listIn(server, id);
    expect(next.status).toBe(200);
    expect(next.body).toContain('pve_list');
  });
});

describe('MCP over HTTP: the SDK client', () => {
  it('stays connected past the idle time (its GET stream is open) while a session left behind expires', async () => {
    const server = await start({ sessionIdleMs: 300 });
    const client = new Client({ name: 'steady', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
    try {
      await open(server);
      await until(() => server.sessions() === 1, 'the raw session expired');
      const nodes = await client.callTool({ name: 'pve_nodes', arguments: {} });
      expect(textOf(nodes)).toContain('pve1');
    } finally {
      await client.close();
    }
  });
});
