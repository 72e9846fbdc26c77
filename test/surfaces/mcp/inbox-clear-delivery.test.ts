/**
 * `telegram_inbox_clear` over MCP removes the entries only once its answer reached the client,
 * as the CLI does once stdout flushed: a call the client cancels (over HTTP, and over stdio with
 * the built CLI) puts them back, and its audit row says it was cancelled. Whether an HTTP answer
 * reached its client is whether the response that carried it finished before its connection
 * closed (answer-streams), tried on a real socket.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/store.js';
import { withFileLock } from '../../../src/core/file-lock.js';
import { appendInbox, inboxPath, takeInbox } from '../../../src/services/telegram/inbox.js';
import { AnswerStreams } from '../../../src/surfaces/mcp/answer-streams.js';
import { CLI, cliEnv } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { connect, endedRow, rawSession, textOf, until, useAuditedServer } from './helpers.js';

const lab = useLab({ services: ['pve'] });
const server = useAuditedServer(lab, 'change');

const data = (): string => lab.current.env.HOMELAB_DATA_HOME;

/** An inbox of three entries, nothing else beside it. */
async function threeEntries(): Promise<string> {
  await takeInbox(data());
  for (const n of [1, 2, 3]) await appendInbox(data(), { time: `2026-05-01T10:0${n}:00.000Z`, user: { id: 1001, name: 'Alice', username: 'alice' }, text: `message ${n}` });
  return readFileSync(inboxPath(data()), 'utf8');
}

/** The files in the telegram folder (the inbox, and any taken file a clear holds). */
const telegramFiles = (): string[] => readdirSync(`${data()}/telegram`).filter((f) => f.startsWith('inbox')).sort();

/** Resolves once `actor`'s last row is written as running (its operation started). */
async function started(actor: string): Promise<void> {
  await until(() => {
    const store = AuditStore.open(data());
    try {
      return store.list({ actor }).at(-1)?.outcome === 'running';
    } finally {
      store.close();
    }
  }, `a running row of ${actor}`);
}

const CANCELLED_CLEAR = /^cancelled by the MCP client; the inbox was not cleared: its entries did not all reach the output/;

describe('MCP: telegram_inbox_clear', () => {
  it('answered: the client gets the entries, and they are gone from the inbox', async () => {
    await threeEntries();
    const client = await connect(server.current, 'clearing-agent');
    try {
      const result = await client.callTool({ name: 'telegram_inbox_clear', arguments: {} });
      expect(textOf(result)).toContain('cleared 3 entries');
      const row = await endedRow(data(), 'clearing-agent');
      expect(row).toMatchObject({ operation: 'telegram.inbox.clear', outcome: 'ok' });
      expect(telegramFiles()).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('over HTTP, cancelled by the client before it answered: the entries stay in the inbox, and the row says cancelled', async () => {
    const before = await threeEntries();
    const session = await rawSession(server.current, 'http-canceller');
    const call = new AbortController();
    // The test holds the inbox lock, so the clear waits for it until the cancel has arrived.
    await withFileLock(inboxPath(data()), async () => {
      void fetch(server.current.url, { method: 'POST', headers: session, signal: call.signal, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'telegram_inbox_clear', arguments: {} } }) }).catch(() => undefined);
      await started('http-canceller');
      const cancel = await fetch(server.current.url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2, reason: 'changed my mind' } }) });
      expect(cancel.status).toBe(202);
    });
    const row = await endedRow(data(), 'http-canceller');
    call.abort();
    expect(row).toMatchObject({ operation: 'telegram.inbox.clear', outcome: 'error' });
    expect(row.error).toMatch(CANCELLED_CLEAR);
    expect(telegramFiles()).toEqual(['inbox']);
    expect(readFileSync(inboxPath(data()), 'utf8')).toBe(before);
  });

  it('over stdio (the built CLI), a cancel right behind the call: no answer, the entries stay, and the row says cancelled', async () => {
    const before = await threeEntries();
    const child = spawn(process.execPath, [CLI, 'mcp', '--allow', 'change'], { env: { ...cliEnv(), ...lab.current.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const line = (m: unknown): string => `${JSON.stringify(m)}\n`;
    child.stdin.write(line({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'stdio-canceller', version: '1' } } }));
    await until(() => stdout.includes('"id":1'), 'the answer to initialize');
    // One write: the cancel reaches the server right behind the call.
    child.stdin.write(line({ jsonrpc: '2.0', method: 'notifications/initialized' })
      + line({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'telegram_inbox_clear', arguments: {} } })
      + line({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2, reason: 'changed my mind' } }));
    const row = await endedRow(data(), 'stdio-canceller');
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(row).toMatchObject({ operation: 'telegram.inbox.clear', outcome: 'error' });
    expect(row.error).toMatch(CANCELLED_CLEAR);
    expect(stdout).not.toContain('"id":2');
    expect(telegramFiles()).toEqual(['inbox']);
    expect(readFileSync(inboxPath(data()), 'utf8')).toBe(before);
  });
});

describe('MCP over HTTP: whether an answer reached its client', () => {
  it('yes once the response that carried its request finished; no when the client dropped the connection first, or none carries it', async () => {
    const streams = new AnswerStreams();
    const asked = new Map<number, Promise<boolean>>();
    // Each POST's answer is asked about while its response is open; a dropped one's is written after the connection closed.
    const http = createServer((req, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        const { id } = JSON.parse(body) as { id: number };
        streams.carry(JSON.parse(body), res);
        asked.set(id, streams.written(id));
        if (req.headers['x-drop']) res.once('close', () => res.end('{}'));
        else res.end('{}');
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    const post = (id: number, drop = false): Promise<void> => new Promise((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', headers: drop ? { 'x-drop': '1' } : {} }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', drop ? () => resolve() : reject);
      if (drop) req.on('finish', () => req.destroy());
      req.end(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } }));
    });
    try {
      await post(7);
      expect(await asked.get(7)).toBe(true);
      await post(8, true);
      await until(() => asked.has(8), 'the dropped request read');
      expect(await asked.get(8)).toBe(false);
      // No open response carries it (its own closed, or there was none).
      expect(await streams.written(7)).toBe(false);
    } finally {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
