/**
 * The MCP server over stdio, as a local agent runs it: the built `homelab mcp` as a
 * child process, driven by the SDK's own client. Read-only by default; `--allow
 * change` adds change tools, and the child writes the audit row itself.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/store.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { CLI, cliEnv } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { textOf, until } from './helpers.js';

const lab = useLab({ services: ['pve'] });
const clients: Client[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

/** What the servers started here wrote on stderr, by client name. */
const notes = new Map<string, string>();

async function spawnServer(args: string[], name = 'stdio-agent'): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    env: { ...cliEnv(), ...lab.current.env },
    stderr: 'pipe',
  });
  notes.set(name, '');
  transport.stderr?.on('data', (d: Buffer) => notes.set(name, `${notes.get(name) ?? ''}${d.toString()}`));
  await client.connect(transport);
  clients.push(client);
  return client;
}

describe('MCP over stdio (the built CLI)', () => {
  it.each([[[], 'read-only'], [['--allow', 'change'], '--allow change']])('says it serves as many tools as tools/list gives (%j), the inbox tools counted', async (args, mode) => {
    const name = `count-${mode}`;
    const client = await spawnServer(args, name);
    const tools = (await client.listTools()).tools;
    expect(tools.map((t) => t.name)).toContain('inbox_mark_handled');
    await until(() => (notes.get(name) ?? '').includes('serving'), 'the serving line');
    expect(notes.get(name)).toContain(`homelab mcp: serving ${tools.length} tools (${mode}) on stdio`);
  });

  it('serves read tools, answers a call, and refuses a change', async () => {
    const client = await spawnServer([]);
    const tools = (await client.listTools()).tools;
    const names = tools.map((t) => t.name);
    expect(names).toContain('pve_nodes');
    // A path on the hub's disk is the command line's alone: not offered to an agent.
    const exportTool = tools.find((t) => t.name === 'export');
    expect(Object.keys(exportTool?.inputSchema.properties ?? {})).not.toContain('file');
    expect(Object.keys(exportTool?.inputSchema.properties ?? {})).not.toContain('force');
    expect(names).not.toContain('pve_start');
    const nodes = await client.callTool({ name: 'pve_nodes', arguments: {} });
    expect(nodes.isError).toBeFalsy();
    expect((nodes.structuredContent as { result: { node: string; status: string }[] }).result.map((n) => [n.node, n.status])).toEqual([['pve1', 'online'], ['pve2', 'online']]);
    expect(textOf(nodes)).toContain('pve1');
    const refused = await client.callTool({ name: 'pve_start', arguments: { vmid: 201 } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('--allow change');
  });

  it('runs a change with --allow change and records it under the client name', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    pve.state.guests.get(201)!.status = 'stopped';
    const client = await spawnServer(['--allow', 'change'], 'stdio-assistant');
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('pve_start');
    const result = await client.callTool({ name: 'pve_start', arguments: { vmid: 201 } });
    expect(result.isError).toBeFalsy();
    expect(pve.state.guests.get(201)?.status).toBe('running');
    const store = AuditStore.open(lab.current.env.HOMELAB_DATA_HOME);
    try {
      expect(store.list({ actor: 'stdio-assistant' })).toMatchObject([{ surface: 'mcp', operation: 'pve.start', outcome: 'ok', input: { vmid: 201 } }]);
    } finally {
      store.close();
      pve.state.guests.get(201)!.status = 'stopped';
    }
  });

  it('rejects a bad --allow value with a usage error', async () => {
    const { runCli } = await import('../../helpers/cli.js');
    const result = await runCli(['mcp', '--allow', 'everything'], lab.current.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--allow must be change or danger');
  });
});
