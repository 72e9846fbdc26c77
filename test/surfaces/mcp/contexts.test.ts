/**
 * MCP over two labs: every tool (the inbox tools too) lists an optional `context` with the
 * config's names; a call runs in the lab it names (the server's own without it), with that
 * lab's clients; an unknown context is a tool error naming the known ones, and nothing is
 * sent; a change records its context in the audit log; each lab has its own inbox; a call
 * in the other lab names it in the tool calls and command lines its answer suggests. An
 * empty HOMELAB_CONTEXT is no lab name: the server's own lab is then the current one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuditHook } from '../../../src/audit/hook.js';
import { AuditStore } from '../../../src/audit/store.js';
import { appendInbox } from '../../../src/services/telegram/inbox.js';
import type { RunningLab } from '../../../src/lab/lab.js';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { OFFICE_EXTRA_GUESTS, startTwoLabs, type TwoLabs } from '../../helpers/two-labs.js';
import { connect, startServer, textOf } from './helpers.js';

let labs: TwoLabs;
let server: McpHttpServer;
let client: Client;
let removeHook: () => void;
beforeAll(async () => {
  removeHook = installAuditHook();
  labs = await startTwoLabs(['pve', 'dns']);
  server = await startServer({ ...labs.home, env: labs.env }, 'change');
  client = await connect(server, 'ctx-agent');
});
afterAll(async () => {
  removeHook?.();
  await client?.close();
  await server?.close();
  await labs?.close();
});

type Guests = { result: { vmid: number }[] };

describe('MCP with two contexts', () => {
  it('offers an optional context on every tool, with the names the config defines', async () => {
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(5);
    for (const tool of tools) {
      const props = tool.inputSchema.properties as Record<string, { enum?: string[] }>;
      expect(props.context?.enum, tool.name).toEqual(['default', 'office']);
      expect(tool.inputSchema.required ?? []).not.toContain('context');
    }
  });

  it('runs a call in the context it names, the server\'s own without one', async () => {
    const home = (await client.callTool({ name: 'pve_list', arguments: {} })).structuredContent as Guests;
    const office = (await client.callTool({ name: 'pve_list', arguments: { context: 'office' } })).structuredContent as Guests;
    expect(office.result.length).toBe(home.result.length + OFFICE_EXTRA_GUESTS);
    const named = (await client.callTool({ name: 'pve_list', arguments: { context: 'default' } })).structuredContent as Guests;
    expect(named.result.length).toBe(home.result.length);
  });

  it("names the call's lab in the tool calls its answer suggests", async () => {
    const office = textOf(await client.callTool({ name: 'pve_status', arguments: { vmid: 99999, context: 'office' } }));
    expect(office).toContain('`pve_list { context: "office" }`');
    const home = textOf(await client.callTool({ name: 'pve_status', arguments: { vmid: 99999 } }));
    expect(home).toContain('`pve_list`');
    expect(home).not.toContain('context:');
  });

  it("names the call's lab in a command line only the CLI has", async () => {
    const office = textOf(await client.callTool({ name: 'expose', arguments: { name: 'pad', target: '10.5.0.9:80', dryRun: true, context: 'office' } }));
    // `init` is the CLI's alone: the line stays a command line, in the call's lab.
    expect(office).toContain('(homelab --context office init)');
  });

  it("names the call's lab in the command lines its result shows (check's fix lines); the structured result is data", async () => {
    const office = await client.callTool({ name: 'check', arguments: { context: 'office' } });
    const text = textOf(office);
    expect(text).toMatch(/fix: homelab --context office \w/);
    expect(text).not.toMatch(/fix: homelab (?!--context)/);
    expect(JSON.stringify(office.structuredContent)).not.toContain('--context');
    const home = textOf(await client.callTool({ name: 'check', arguments: {} }));
    expect(home).toMatch(/fix: homelab \w/);
    expect(home).not.toContain('--context');
  });

  it('refuses an unknown context with the known names, before anything is sent', async () => {
    const before = labs.home.sims.get('pve')?.requests.length;
    const r = await client.callTool({ name: 'pve_list', arguments: { context: 'garage' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('unknown context "garage"');
    expect(textOf(r)).toContain('default, office');
    const typed = await client.callTool({ name: 'pve_list', arguments: { context: 7 } });
    expect(typed.isError).toBe(true);
    expect(labs.home.sims.get('pve')?.requests.length).toBe(before);
  });

  it('changes the lab it names, and the audit row records that context', async () => {
    const office = labs.office.sims.get('pve');
    const home = labs.home.sims.get('pve');
    const starts = (sim: typeof office) => (sim?.requests ?? []).filter((q) => q.method === 'POST' && q.path.endsWith('/201/status/start')).length;
    const before = { office: starts(office), home: starts(home) };
    const r = await client.callTool({ name: 'pve_start', arguments: { vmid: 201, context: 'office' } });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(starts(office)).toBe(before.office + 1);
    expect(starts(home)).toBe(before.home);
    const rows = AuditStore.open(labs.env.HOMELAB_DATA_HOME).list({ surface: 'mcp', operation: 'pve.start' });
    expect(rows.at(-1)).toMatchObject({ actor: 'ctx-agent', context: 'office', outcome: 'ok', input: { vmid: 201 } });
    expect(AuditStore.open(labs.env.HOMELAB_DATA_HOME).list({ surface: 'mcp', context: 'default' })).toEqual([]);
  });

  it('reads the inbox of the context it names', async () => {
    const officeData = join(labs.env.HOMELAB_DATA_HOME, 'contexts', 'office');
    mkdirSync(join(officeData, 'telegram'), { recursive: true });
    await appendInbox(officeData, { time: new Date().toISOString(), user: { id: 1001, name: 'Owner' }, text: 'office printer jammed' });
    const office = await client.callTool({ name: 'inbox_list', arguments: { context: 'office' } });
    expect(textOf(office)).toContain('office printer jammed');
    const home = await client.callTool({ name: 'inbox_list', arguments: {} });
    expect(textOf(home)).not.toContain('office printer jammed');
    const bad = await client.callTool({ name: 'inbox_list', arguments: { context: 'garage' } });
    expect(bad.isError).toBe(true);
  });
});

describe('MCP with HOMELAB_CONTEXT empty', () => {
  it('reads it as unset: the current lab is the default, as for every command', async () => {
    const env: NodeJS.ProcessEnv = { ...labs.env, HOMELAB_CONTEXT: '' };
    const empty = await startServer({ ...labs.home, env } as RunningLab, 'read');
    const agent = await connect(empty, 'empty-agent');
    try {
      const { tools } = await agent.listTools();
      const pveList = tools.find((t) => t.name === 'pve_list');
      const context = (pveList?.inputSchema.properties as Record<string, { description?: string }> | undefined)?.context;
      expect(context?.description).toMatch(/^the lab \(context\) to run in; default default\. /);
      const home = (await agent.callTool({ name: 'pve_list', arguments: {} })).structuredContent as Guests;
      const named = (await client.callTool({ name: 'pve_list', arguments: { context: 'default' } })).structuredContent as Guests;
      expect(home.result.length).toBe(named.result.length);
    } finally {
      await agent.close();
      await empty.close();
    }
  });
});

describe('MCP server started in another lab than config.yaml\'s current one', () => {
  it('names the lab in command lines by config.yaml (where a pasted line runs), in tool calls by the server\'s own lab', async () => {
    const officeServer = await startServer({ ...labs.home, env: { ...labs.env, HOMELAB_CONTEXT: 'office' } } as RunningLab, 'read');
    const agent = await connect(officeServer, 'office-agent');
    try {
      // A call in the server's lab (office): a pasted `homelab …` would run in default, so the fix names office.
      const check = textOf(await agent.callTool({ name: 'check', arguments: {} }));
      expect(check).toMatch(/fix: homelab --context office \w/);
      expect(check).not.toMatch(/fix: homelab (?!--context)/);
      // Its tool calls need no context: without one, a call runs in office.
      const status = textOf(await agent.callTool({ name: 'pve_status', arguments: { vmid: 99999 } }));
      expect(status).toContain('`pve_list`');
      expect(status).not.toContain('context:');
      // A call in default (the config's current lab): its tool calls name default, its command lines stay bare.
      const home = await agent.callTool({ name: 'check', arguments: { context: 'default' } });
      expect(textOf(home)).toMatch(/fix: homelab \w/);
      expect(textOf(home)).not.toContain('--context');
      const homeStatus = textOf(await agent.callTool({ name: 'pve_status', arguments: { vmid: 99999, context: 'default' } }));
      expect(homeStatus).toContain('`pve_list { context: "default" }`');
    } finally {
      await agent.close();
      await officeServer.close();
    }
  });
});
