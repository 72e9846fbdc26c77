/**
 * @module test/surfaces/mcp/helpers
 * An MCP server over Streamable HTTP on 127.0.0.1 against the lab, and the SDK's own
 * client connected to it with the bearer token; a raw session (what the SDK client would not
 * send), and a wait for a condition.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll } from 'vitest';
import { installAuditHook } from '../../../src/audit/hook.js';
import { AuditStore, type AuditEntry } from '../../../src/audit/store.js';
import type { RunningLab } from '../../../src/lab/lab.js';
import { getRegistry } from '../../../src/services/index.js';
import type { AllowLevel } from '../../../src/surfaces/shared/allow-level.js';
import { startMcpHttp, type McpHttpServer } from '../../../src/surfaces/mcp/http.js';

/** The token test servers use. */
export const TOKEN = 'test-token-0123456789abcdef';

/** Starts an HTTP MCP server over the lab with `allow`. */
export function startServer(lab: RunningLab, allow: AllowLevel): Promise<McpHttpServer> {
  return startMcpHttp({ registry: getRegistry(), allow, env: { ...lab.env }, port: 0, token: TOKEN });
}

/** Installs the audit hook and starts an HTTP MCP server over `lab` with `allow` before the file's tests (call it at the top of the file); closes both after them. */
export function useAuditedServer(lab: { current: RunningLab }, allow: AllowLevel): { current: McpHttpServer } {
  const holder = {} as { current: McpHttpServer };
  let removeHook: () => void;
  beforeAll(async () => {
    removeHook = installAuditHook();
    holder.current = await startServer(lab.current, allow);
  });
  afterAll(async () => {
    await holder.current?.close();
    removeHook();
  });
  return holder;
}

/** Connects the SDK client (named `name`) to a server. */
export async function connect(server: McpHttpServer, name = 'test-agent', token = TOKEN): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: unknown }).content as { type: string; text?: string }[] | undefined;
  return content?.find((c) => c.type === 'text')?.text ?? '';
}

/** The headers of a raw request with the token (a JSON body; JSON or SSE answers). */
export const RAW_HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A raw `initialize` body from client `name`. */
export const initializeBody = (name = 'raw-client'): string =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name, version: '1' } } });

/** Opens a raw session as client `name`: the headers its requests send (its `mcp-session-id` among them). */
export async function rawSession(server: McpHttpServer, name = 'raw-client'): Promise<Record<string, string>> {
  const res = await fetch(server.url, { method: 'POST', headers: RAW_HEADERS, body: initializeBody(name) });
  await res.text();
  if (res.status !== 200) throw new Error(`initialize answered ${res.status}`);
  return { ...RAW_HEADERS, 'mcp-session-id': res.headers.get('mcp-session-id') as string };
}

/** Resolves once `check` holds (polled every 20 ms, for at most `ms`, 10 s unless told). */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (let waited = 0; waited < ms && !check(); waited += 20) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`never: ${what}`);
}

/** The audit row of `actor`'s last call in `dataHome` once it has ended (polled for at most `ms`). */
export async function endedRow(dataHome: string, actor: string, ms = 10_000): Promise<AuditEntry> {
  let row: AuditEntry | undefined;
  await until(() => {
    const store = AuditStore.open(dataHome);
    try {
      row = store.list({ actor }).at(-1);
    } finally {
      store.close();
    }
    return row !== undefined && row.outcome !== 'running';
  }, `an ended audit row of ${actor}`, ms);
  return row as AuditEntry;
}
