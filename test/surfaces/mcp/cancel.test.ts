/**
 * A tool call cancelled while it waits for a PVE task, over MCP as over the CLI's Ctrl-C: the
 * task carries on, and the audit row says so with its UPID ("cancelled by the MCP client;
 * start of VM 201 (media) is still running on pve: task UPID:…"), not "aborted". Cancelled by
 * the SDK client's AbortSignal over HTTP, and by the client closing the stdio server's stdin
 * (the built CLI, which waits for the call to write its row before it exits). A client that
 * merely drops its HTTP connection does not cancel: the call finishes and the session serves on.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { CLI, cliEnv } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { connect, endedRow, rawSession, until, useAuditedServer } from './helpers.js';

const lab = useLab({ services: ['pve'], taskDurationMs: 3000 });
const server = useAuditedServer(lab, 'change');

const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;


/** Resolves once guest `vmid` runs (the task carried on; polled for at most 10 s). */
async function running(vmid: number): Promise<void> {
  await until(() => pve().state.guests.get(vmid)?.status === 'running', `VM ${vmid} running`);
}

const LEFT_RUNNING = (vmid: number, name: string): RegExp => new RegExp(`^cancelled by the MCP client; start of VM ${vmid} \\(${name}\\) is still running on pve: task UPID:`);

describe('MCP: a cancelled wait', () => {
  it('over HTTP, cancelled by the client (AbortSignal): the row says the task is still running, with its UPID', async () => {
    pve().state.guests.get(201)!.status = 'stopped';
    const client = await connect(server.current, 'cancelling-agent');
    try {
      const stop = new AbortController();
      const call = client.callTool({ name: 'pve_start', arguments: { vmid: 201 } }, undefined, {
        signal: stop.signal,
        // Once the task runs (its UPID known), not while the request that starts it is under way.
        onprogress: (p) => (p.message?.includes('running') ? stop.abort('the user pressed stop') : undefined),
      });
      await expect(call).rejects.toThrow();
      const row = await endedRow(lab.current.env.HOMELAB_DATA_HOME, 'cancelling-agent');
      expect(row).toMatchObject({ operation: 'pve.start', outcome: 'error' });
      expect(row.error).toMatch(LEFT_RUNNING(201, 'media'));
      await running(201);
    } finally {
      await client.close();
    }
  });

  it('over stdio, the client closing stdin mid-wait: the server cancels the call and writes its row before it exits', async () => {
    pve().state.guests.get(202)!.status = 'stopped';
    const client = new Client({ name: 'closing-agent', version: '1' });
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--allow', 'change'], env: { ...cliEnv(), ...lab.current.env }, stderr: 'pipe' });
    await client.connect(transport);
    let closing: Promise<void> | undefined;
    const call = client.callTool({ name: 'pve_start', arguments: { vmid: 202 } }, undefined, {
      onprogress: (p) => {
        if (p.message?.includes('running')) closing ??= client.close();
      },
    });
    await expect(call).rejects.toThrow();
    await closing;
    const row = await endedRow(lab.current.env.HOMELAB_DATA_HOME, 'closing-agent');
    expect(row).toMatchObject({ operation: 'pve.start', outcome: 'error' });
    expect(row.error).toMatch(LEFT_RUNNING(202, 'win11'));
    await running(202);
  });
});

describe('MCP over HTTP: a client that drops its connection mid-call', () => {
  it('does not cancel it: the task finishes, the row says ok, and the session still answers', async () => {
    pve().state.guests.get(203)!.status = 'stopped';
    const session = await rawSession(server.current, 'dropping-client');
    const drop = new AbortController();
    const res = await fetch(server.current.url, { method: 'POST', headers: session, signal: drop.signal, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'pve_start', arguments: { vmid: 203 }, _meta: { progressToken: 7 } } }) });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('running')) seen += Buffer.from((await reader.read()).value ?? []).toString();
    drop.abort();
    const row = await endedRow(lab.current.env.HOMELAB_DATA_HOME, 'dropping-client');
    expect(row).toMatchObject({ operation: 'pve.start', outcome: 'ok' });
    expect(pve().state.guests.get(203)?.status).toBe('running');
    const status = await fetch(server.current.url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'pve_status', arguments: { vmid: 203 } } }) });
    expect(status.status).toBe(200);
    expect(await status.text()).toMatch(/status +running/);
  });
});
