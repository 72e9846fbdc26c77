/**
 * What an agent sends that does not fit, and what it is told, over real HTTP against the
 * simulated lab: arguments that are not an object are a tool error (not a JSON-RPC error
 * with a zod dump), an unknown resource's error is said once, resource templates are an
 * empty list, the inbox tools refuse unknown arguments, a union input names what it takes,
 * stdin is not offered where there is none, the hints say which tools delete, and the
 * client's name in the audit log is at most 64 characters.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuditHook } from '../../../src/audit/hook.js';
import { AuditStore } from '../../../src/audit/store.js';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { connect, rawSession, startServer, textOf } from './helpers.js';

const lab = useLab({ services: ['pve', 'dns', 'proxy'] });
let server: McpHttpServer;
let client: Client;
let removeHook: () => void;

beforeAll(async () => {
  removeHook = installAuditHook();
  server = await startServer(lab.current, 'change');
  client = await connect(server, 'edge-agent');
});
afterAll(async () => {
  await client?.close();
  await server?.close();
  removeHook();
});

/** tools/call with `args` as they are (the SDK client would not send some of them), in a raw session: the JSON-RPC answer. */
async function rawCall(args: unknown): Promise<{ result?: { content: { text: string }[]; isError?: boolean }; error?: { code: number; message: string } }> {
  const res = await fetch(server.url, { method: 'POST', headers: await rawSession(server, 'raw'), body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'pve_list', arguments: args } }) });
  const body = await res.text();
  // An SSE answer: its data line.
  return JSON.parse(/^data: (.*)$/m.exec(body)?.[1] ?? body) as never;
}

describe('MCP: what does not fit', () => {
  it.each([[null], [[101]], ['vmid=101'], [7]])('arguments %j: a tool error, not a JSON-RPC error', async (args) => {
    const answer = await rawCall(args);
    expect(answer.error).toBeUndefined();
    expect(answer.result).toMatchObject({ isError: true, content: [{ text: 'invalid arguments: arguments must be an object' }] });
  });

  it('says an unknown resource once, and lists no resource templates', async () => {
    await expect(client.readResource({ uri: 'homelab://nope' })).rejects.toThrow(/^MCP error -32602: unknown resource homelab:\/\/nope$/);
    expect(await client.listResourceTemplates()).toMatchObject({ resourceTemplates: [] });
  });

  it('refuses an argument an inbox tool does not take, by name, and says so in its schema', async () => {
    const res = await client.callTool({ name: 'inbox_list', arguments: { pending: false, unread: true } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toBe('invalid arguments: inbox_list: unknown argument unread; it takes pending, limit, offset, context');
    const { tools } = await client.listTools();
    for (const name of ['inbox_list', 'inbox_mark_handled']) expect(tools.find((t) => t.name === name)?.inputSchema).toMatchObject({ additionalProperties: false });
  });

  it.each([
    ['watch_maintenance', {}, 'invalid arguments: watch maintenance: duration must be like 2h, or off'],
    ['watch_maintenance', { duration: 5 }, 'invalid arguments: watch maintenance: duration must be like 2h, or off'],
    ['expose', { name: 'wiki', target: 'forgejo:3000', cert: true, dryRun: true }, 'invalid arguments: expose: cert must be auto, none or a certificate id (see `proxy_certs`)'],
  ])('%s %j: says what the input takes', async (name, args, message) => {
    const res = await client.callTool({ name, arguments: args });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toBe(message);
  });

  it('does not offer stdin where there is none: telegram_send needs its text', async () => {
    const { tools } = await client.listTools();
    const send = tools.find((t) => t.name === 'telegram_send');
    expect(JSON.stringify(send)).not.toMatch(/stdin/i);
    expect(send?.description).toBe('Send a message to the owner chat (changes state)');
    expect(send?.inputSchema.required).toEqual(['text']);
    const res = await client.callTool({ name: 'telegram_send', arguments: {} });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toBe('invalid arguments: telegram send: text is required (there is no stdin to read it from)');
  });

  it('names every argument a tool takes when it refuses one: its own, limit and offset when it pages, context', async () => {
    const list = await client.callTool({ name: 'pve_list', arguments: { foo: 1 } });
    expect(list.isError).toBe(true);
    expect(textOf(list)).toMatch(/^invalid arguments: pve list: unknown argument foo; it takes (\w+, )+limit, offset, context$/);
    const status = await client.callTool({ name: 'pve_status', arguments: { vmid: 101, foo: 1 } });
    expect(textOf(status)).toBe('invalid arguments: pve status: unknown argument foo; it takes vmid, context');
    const nodes = await client.callTool({ name: 'pve_nodes', arguments: { foo: 1 } });
    expect(textOf(nodes)).toBe('invalid arguments: pve nodes: unknown argument foo; it takes limit, offset, context');
  });

  it('says which tools may delete (a plan tool: destructiveHint), and idempotentHint only where it means something (not on reads)', async () => {
    const { tools } = await client.listTools();
    const hints = (name: string): Record<string, unknown> | undefined => tools.find((t) => t.name === name)?.annotations;
    expect(hints('apply')).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(hints('expose')).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(hints('pve_start')).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(hints('pve_start')?.idempotentHint).toBeUndefined();
    expect(hints('pve_list')).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    // The spec reads idempotentHint only when readOnlyHint is false.
    expect(hints('pve_list')?.idempotentHint).toBeUndefined();
    expect(hints('inbox_list')?.idempotentHint).toBeUndefined();
    expect(hints('inbox_mark_handled')).toMatchObject({ readOnlyHint: false, idempotentHint: true });
  });

  it('records a client\'s name of any length as at most 64 characters, control characters left out', async () => {
    const long = await connect(server, `\u001b[31m${'n'.repeat(300)}`);
    try {
      await long.callTool({ name: 'pve_start', arguments: { vmid: 100 } });
    } finally {
      await long.close();
    }
    const store = AuditStore.open(lab.current.env.HOMELAB_DATA_HOME);
    try {
      const row = store.list({ surface: 'mcp', operation: 'pve.start' }).at(-1);
      expect(row?.actor).toBe(`[31m${'n'.repeat(60)}`);
    } finally {
      store.close();
    }
  });
});
