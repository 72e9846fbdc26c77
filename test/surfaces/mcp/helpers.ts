/**
 * @module test/surfaces/mcp/helpers
 * An MCP server over Streamable HTTP on 127.0.0.1 against the lab, and the SDK's own
 * client connected to it with the bearer token.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RunningLab } from '../../../src/lab/lab.js';
import { getRegistry } from '../../../src/services/index.js';
import type { AllowLevel } from '../../../src/surfaces/mcp/exposure.js';
import { startMcpHttp, type McpHttpServer } from '../../../src/surfaces/mcp/http.js';

/** The token test servers use. */
export const TOKEN = 'test-token-0123456789abcdef';

/** Starts an HTTP MCP server over the lab with `allow`. */
export function startServer(lab: RunningLab, allow: AllowLevel): Promise<McpHttpServer> {
  return startMcpHttp({ registry: getRegistry(), allow, env: { ...lab.env }, port: 0, token: TOKEN });
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
