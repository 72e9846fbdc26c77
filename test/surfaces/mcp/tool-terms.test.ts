/**
 * Over MCP, what an operation says is in the tool's terms, not the command line's: an
 * error's hint names the arguments (`stop: true`, `gw`, `ip`) and the tool to call
 * (`pve_shutdown { vmid: 107 }`), and a tool's description leaves out what only the
 * command line takes (`plan`'s `--detailed-exitcode`, exit codes). Over Streamable HTTP
 * on loopback against the lab's PVE simulator, with the SDK's own client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { connect, startServer, textOf } from './helpers.js';

const lab = useLab({ services: ['pve'] });
let server: McpHttpServer;
let client: Client;

beforeAll(async () => {
  server = await startServer(lab.current, 'danger');
  client = await connect(server);
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('MCP: hints and descriptions in the tool\'s terms', () => {
  it('says what to add as the tool\'s argument, and the command to run as the tool call', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    const result = await client.callTool({ name: 'pve_destroy', arguments: { vmid: 107 } });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toContain('add `stop: true` to hard-stop it first, or shut it down cleanly: `pve_shutdown { vmid: 107 }`');
    expect(text).not.toMatch(/--stop|homelab pve/);
    expect(pve.state.guests.get(107)?.status).toBe('running');
  });

  it('names the inputs a refusal is about by their keys', async () => {
    const result = await client.callTool({
      name: 'pve_create_ct',
      arguments: { template: 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst', hostname: 'web9', gw: '10.5.0.254', start: true, wait: false },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('`gw` needs a static `ip` (like 10.5.0.30/24)');
    const noWait = await client.callTool({
      name: 'pve_create_ct',
      arguments: { template: 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst', hostname: 'web9', start: true, wait: false },
    });
    expect(textOf(noWait)).toBe('`start: true` needs the task to finish first; drop `wait: false`');
  });

  it('describes tools without the command line\'s switches and exit codes', async () => {
    const tools = (await client.listTools()).tools;
    const plan = tools.find((t) => t.name === 'plan');
    expect(plan?.description).not.toContain('--detailed-exitcode');
    expect(plan?.description).not.toMatch(/\bexit/i);
    const wait = (tools.find((t) => t.name === 'pve_start')?.inputSchema.properties as Record<string, { description?: string }>).wait;
    expect(wait?.description).toBe('waits for the task to finish by default; `wait: false` returns at once with its UPID');
    expect(tools.find((t) => t.name === 'pve_restore')?.description).toMatch(/^Restore a backup to a new guest, or over an existing one with `force: true` \(destructive\)/);
    // What no tool is about stays as it is: the owner restarts the server with --allow danger.
    expect(tools.find((t) => t.name === 'apply')?.description).toContain('an MCP server needs --allow danger');
  });
});
