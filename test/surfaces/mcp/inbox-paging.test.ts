/**
 * `inbox_list` over a long inbox (3000 entries, about 640 KB: what a bot that has run for a
 * while collects) pages as the operation tools that list something do: within 25,000
 * characters of text, a showing line saying which offset is next, and `limit`/`offset` taken.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxPath, takeInbox } from '../../../src/services/telegram/inbox.js';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { TEXT_CAP } from '../../../src/surfaces/mcp/paging.js';
import { useLab } from '../../helpers/lab.js';
import { connect, startServer, textOf } from './helpers.js';

const lab = useLab({ services: ['pve'] });
let server: McpHttpServer;
let client: Client;

beforeAll(async () => {
  server = await startServer(lab.current, 'read');
  client = await connect(server, 'inbox-pager');
  const data = lab.current.env.HOMELAB_DATA_HOME;
  await takeInbox(data);
  mkdirSync(`${data}/telegram`, { recursive: true, mode: 0o700 });
  let text = '';
  for (let i = 0; i < 3000; i++) text += `[2026-12-05T10:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}Z] Alice (@alice, 1001): message ${i} ${'x'.repeat(150)}\n`;
  writeFileSync(inboxPath(data), text, { mode: 0o600 });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
  await takeInbox(lab.current.env.HOMELAB_DATA_HOME);
});

type Page = { entries: { text: string }[]; total: number; nextOffset?: number };

describe('MCP: inbox_list over a long inbox', () => {
  it('answers a page within the text cap, its last line saying which offset is next', async () => {
    const first = await client.callTool({ name: 'inbox_list', arguments: {} });
    const text = textOf(first);
    expect(first.isError).toBeFalsy();
    expect(text.length).toBeLessThanOrEqual(TEXT_CAP);
    const page = first.structuredContent as Page;
    expect(page.total).toBe(3000);
    expect(page.entries[0]?.text).toMatch(/^message 0 /);
    expect(page.nextOffset).toBe(page.entries.length);
    expect(text.split('\n').at(-1)).toBe(`showing 1–${page.entries.length} of 3000 (entries); pass offset: ${page.entries.length} for more`);
    expect(JSON.stringify(first.structuredContent).length).toBeLessThanOrEqual(100_000);
  });

  it('takes limit and offset: the last page, and an offset past the end', async () => {
    const last = await client.callTool({ name: 'inbox_list', arguments: { limit: 10, offset: 2990 } });
    const page = last.structuredContent as Page;
    expect(page.entries.map((e) => e.text.split(' ').slice(0, 2).join(' '))).toEqual(Array.from({ length: 10 }, (_, i) => `message ${2990 + i}`));
    expect(page.nextOffset).toBeUndefined();
    expect(textOf(last).split('\n').at(-1)).toBe('showing 2991–3000 of 3000 (entries)');
    const past = await client.callTool({ name: 'inbox_list', arguments: { offset: 5000, pending: false } });
    expect(textOf(past)).toBe('no entries on this page\nshowing none of 3000 (entries): offset 5000 is past the end');
    const zero = await client.callTool({ name: 'inbox_list', arguments: { limit: 0 } });
    expect(zero.isError).toBe(true);
    expect(textOf(zero)).toBe('invalid arguments: limit must be an integer from 1 to 1000');
  });

  it('says limit and offset in its schema', async () => {
    const { tools } = await client.listTools();
    expect(Object.keys(tools.find((t) => t.name === 'inbox_list')?.inputSchema.properties ?? {}).sort()).toEqual(['context', 'limit', 'offset', 'pending']);
  });
});
