/**
 * `inbox_mark_handled` from two MCP server processes at once (the HTTP service and a stdio
 * agent, say): every mark either makes is kept, since each reads and replaces the record
 * under its lock. Two built CLIs over stdio, each marking its half of the entries one call
 * per id, all calls at once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';
import { inboxPath, readInbox, takeInbox } from '../../../src/services/telegram/inbox.js';
import { entryId, handledFile } from '../../../src/surfaces/mcp/inbox.js';
import { CLI, cliEnv } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { textOf } from './helpers.js';

const lab = useLab({ services: ['pve'] });
const clients: Client[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await takeInbox(lab.current.env.HOMELAB_DATA_HOME);
});

async function stdioClient(name: string): Promise<Client> {
  const client = new Client({ name, version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], env: { ...cliEnv(), ...lab.current.env }, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

describe('MCP: inbox_mark_handled from two processes at once', () => {
  it('keeps every mark of both', async () => {
    const data = lab.current.env.HOMELAB_DATA_HOME;
    await takeInbox(data);
    mkdirSync(`${data}/telegram`, { recursive: true, mode: 0o700 });
    // A long inbox, which each call reads, as a bot that has run for a while has.
    let text = '';
    for (let i = 0; i < 1000; i++) text += `[2026-12-05T10:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}Z] Alice (@alice, 1001): message ${i} ${'x'.repeat(150)}\n`;
    writeFileSync(inboxPath(data), text, { mode: 0o600 });
    const ids = (await readInbox(data)).map(entryId).slice(0, 200);
    const [a, b] = await Promise.all([stdioClient('marker-a'), stdioClient('marker-b')]);
    const mark = (client: Client, part: number): Promise<string[]> => Promise.all(ids.filter((_, i) => i % 2 === part)
      .map(async (id) => textOf(await client.callTool({ name: 'inbox_mark_handled', arguments: { ids: [id] } }))));
    const answers = (await Promise.all([mark(a as Client, 0), mark(b as Client, 1)])).flat();
    expect(answers.filter((t) => t.startsWith('marked 1 handled'))).toHaveLength(200);
    const record = JSON.parse(readFileSync(handledFile(data), 'utf8')) as { handled: Record<string, string> };
    expect(Object.keys(record.handled).sort()).toEqual([...ids].sort());
  });
});
