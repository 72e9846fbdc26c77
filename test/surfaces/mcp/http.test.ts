/**
 * The MCP server over Streamable HTTP, driven by the SDK's own client against the
 * simulated lab: bearer token required, tools listed per mode, a call's result as
 * text and structured content, calls outside the mode refused (nothing reaches the
 * service), input errors as tool errors, progress notifications, audit rows.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuditHook } from '../../../src/audit/hook.js';
import { AuditStore } from '../../../src/audit/store.js';
import { isOfferedOn } from '../../../src/core/operation.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { getRegistry } from '../../../src/services/index.js';
import { OperationError } from '../../../src/core/errors.js';
import { startMcpHttp, type McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { TOKEN, connect, initializeBody, startServer, textOf } from './helpers.js';

const lab = useLab({ services: ['pve'] });
const servers: Partial<Record<'read' | 'change' | 'danger', McpHttpServer>> = {};
const clients: Client[] = [];
let removeHook: () => void;

beforeAll(async () => {
  removeHook = installAuditHook();
  servers.read = await startServer(lab.current, 'read');
  servers.change = await startServer(lab.current, 'change');
  servers.danger = await startServer(lab.current, 'danger');
});
afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of Object.values(servers)) await s?.close();
  removeHook();
});

const client = async (mode: 'read' | 'change' | 'danger', name?: string): Promise<Client> => {
  const c = await connect(servers[mode] as McpHttpServer, name);
  clients.push(c);
  return c;
};
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;

describe('MCP over Streamable HTTP', () => {
  it('refuses requests without the bearer token', async () => {
    const url = (servers.read as McpHttpServer).url;
    const body = initializeBody('x');
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const none = await fetch(url, { method: 'POST', headers, body });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(url, { method: 'POST', headers: { ...headers, authorization: 'Bearer nope' }, body });
    expect(wrong.status).toBe(401);
    await expect(connect(servers.read as McpHttpServer, 'intruder', `${TOKEN}x`)).rejects.toThrow();
    const right = await fetch(url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${TOKEN}` }, body });
    expect(right.status).toBe(200);
  });

  it('lists read tools only by default, and more with --allow change or danger', async () => {
    const names = async (mode: 'read' | 'change' | 'danger'): Promise<string[]> => (await (await client(mode)).listTools()).tools.map((t) => t.name);
    const read = await names('read');
    const change = await names('change');
    const danger = await names('danger');
    const ops = getRegistry().all();
    const withRisk = (...risks: string[]): string[] => ops.filter((o) => risks.includes(o.risk) && isOfferedOn(o, 'mcp')).map((o) => o.id.replace(/\./g, '_'));
    expect(read.filter((n) => !n.startsWith('inbox_')).sort()).toEqual(withRisk('read').sort());
    expect(change.filter((n) => !n.startsWith('inbox_')).sort()).toEqual(withRisk('read', 'change').sort());
    expect(danger.filter((n) => !n.startsWith('inbox_')).sort()).toEqual(withRisk('read', 'change', 'danger').sort());
    expect(read).toContain('pve_list');
    expect(read).not.toContain('pve_start');
    expect(change).toContain('pve_start');
    expect(change).not.toContain('pve_stop');
    expect(danger).toContain('pve_stop');
    for (const list of [read, change, danger]) expect(list).toEqual(expect.arrayContaining(['inbox_list', 'inbox_mark_handled']));
    // Local administration is never offered to agents, whatever the mode.
    for (const local of ['telegram_allow', 'telegram_deny', 'shims_install', 'init']) expect(danger).not.toContain(local);
  });

  it('refuses a CLI-only operation even when a client calls it by name', async () => {
    const res = await (await client('danger')).callTool({ name: 'telegram_allow', arguments: { id: 424242 } });
    expect(res.isError).toBe(true);
  });

  it('describes each tool from its operation: summary, JSON Schema input, hints', async () => {
    const tools = (await (await client('danger')).listTools()).tools;
    const status = tools.find((t) => t.name === 'pve_status');
    expect(status?.description).toBe(getRegistry().get('pve.status')?.summary);
    expect(status?.inputSchema).toMatchObject({ type: 'object', required: ['vmid'] });
    // Its own input and the optional lab every tool takes (surfaces/mcp/context-arg); no paging: it answers one guest (surfaces/mcp/paging).
    expect(Object.keys(status?.inputSchema.properties ?? {})).toEqual(['vmid', 'context']);
    expect(Object.keys(tools.find((t) => t.name === 'pve_list')?.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['limit', 'offset', 'context']));
    expect(tools.find((t) => t.name === 'pve_stop')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tools.find((t) => t.name === 'pve_list')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    // An operation that needs one of its optional keys says which.
    expect(tools.find((t) => t.name === 'pve_set')?.description).toContain('Give at least one of: name, cores, memory, onboot, tags, description, protection.');
  });

  it('answers a call with readable text and the result as structured content', async () => {
    const result = await (await client('read')).callTool({ name: 'pve_list', arguments: { type: 'qemu' } });
    expect(result.isError).toBeFalsy();
    const guests = (result.structuredContent as { result: { vmid: number; name: string; status: string; type: string }[] }).result;
    expect(guests.every((g) => g.type === 'qemu')).toBe(true);
    expect(guests.find((g) => g.vmid === 201)).toMatchObject({ name: 'media', status: 'stopped' });
    expect(textOf(result)).toMatch(/VMID\s+NAME/);
    expect(textOf(result)).toContain('media');
  });

  it('refuses tools outside its mode, whatever the client sends, and nothing reaches the service', async () => {
    const before = pve().requests.length;
    const read = await (await client('read')).callTool({ name: 'pve_start', arguments: { vmid: 201 } });
    expect(read.isError).toBe(true);
    expect(textOf(read)).toContain('pve.start is a change operation');
    expect(textOf(read)).toContain('--allow change');
    const danger = await (await client('change')).callTool({ name: 'pve_stop', arguments: { vmid: 100 } });
    expect(danger.isError).toBe(true);
    expect(textOf(danger)).toContain('--allow danger');
    const unknown = await (await client('danger')).callTool({ name: 'rm_rf', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toBe('unknown tool rm_rf');
    expect(pve().requests.length).toBe(before);
    expect(pve().state.guests.get(100)?.status).toBe('running');
  });

  it('turns invalid arguments into tool errors before anything is sent', async () => {
    const c = await client('read');
    const before = pve().requests.length;
    const bad = await c.callTool({ name: 'pve_status', arguments: { vmid: 'abc' } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/^invalid arguments: pve status: vmid must be an integer from 100 to 999999999/);
    const missing = await c.callTool({ name: 'pve_status', arguments: {} });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('vmid');
    const choice = await c.callTool({ name: 'pve_list', arguments: { type: 'docker' } });
    expect(choice.isError).toBe(true);
    expect(textOf(choice)).toContain('type');
    expect(pve().requests.length).toBe(before);
  });

  it('reports a service error as a tool error', async () => {
    const missing = await (await client('read')).callTool({ name: 'pve_status', arguments: { vmid: 777 } });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('777');
  });

  it('runs an allowed change with progress notifications and records it in the audit log as the MCP client', async () => {
    const c = await client('change', 'claude-test');
    const notes: string[] = [];
    pve().state.guests.get(201)!.status = 'stopped';
    const result = await c.callTool({ name: 'pve_start', arguments: { vmid: 201 } }, undefined, { onprogress: (p) => notes.push(p.message ?? '') });
    expect(textOf(result)).not.toMatch(/^invalid/);
    expect(result.isError).toBeFalsy();
    expect(pve().state.guests.get(201)?.status).toBe('running');
    expect(notes.length).toBeGreaterThan(0);
    const rows = AuditStore.open(lab.current.env.HOMELAB_DATA_HOME).list({ surface: 'mcp' });
    expect(rows.at(-1)).toMatchObject({ surface: 'mcp', actor: 'claude-test', operation: 'pve.start', outcome: 'ok', input: { vmid: 201, wait: true } });
    pve().state.guests.get(201)!.status = 'stopped';
  });
});

describe('the HTTP server\'s port', () => {
  it('in use already: one line naming the port and what to do, not Node\'s message (exit 1)', async () => {
    const taken = servers.read as McpHttpServer;
    const err = await startMcpHttp({ registry: getRegistry(), allow: 'read', env: { ...lab.current.env }, port: taken.port, token: TOKEN }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as OperationError).message).toBe(`port ${taken.port} is in use on 127.0.0.1`);
    expect((err as OperationError).hint).toBe('pick another with --port (or stop what listens there)');
    expect((err as OperationError).exitCode).toBe(1);
  });
});
