/**
 * `check --probe`'s TCP probe over real loopback sockets: a listening port answers, a
 * closed one does not, an aborted probe gives up, and each target is tried once.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAll, tcpAnswers } from '../../../src/services/hub/check-probe.js';

let open: Server;
let openPort = 0;
let closedPort = 0;
let accepted = 0;

beforeAll(async () => {
  open = createServer((s) => { accepted++; s.destroy(); });
  await new Promise<void>((r) => open.listen(0, '127.0.0.1', () => r()));
  openPort = (open.address() as { port: number }).port;
  const gone = createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', () => r()));
  closedPort = (gone.address() as { port: number }).port;
  await new Promise<void>((r) => gone.close(() => r()));
});
afterAll(async () => { await new Promise<void>((r) => open.close(() => r())); });

describe('check probe', () => {
  it('says whether something accepts a connection', async () => {
    expect(await tcpAnswers('127.0.0.1', openPort, 2000)).toBe(true);
    expect(await tcpAnswers('127.0.0.1', closedPort, 2000)).toBe(false);
  });

  it('probes each target once, keyed as given', async () => {
    const before = accepted;
    const key = (p: number) => `127.0.0.1:${p}`;
    const r = await probeAll([
      { host: '127.0.0.1', port: openPort, key: key(openPort) },
      { host: '127.0.0.1', port: openPort, key: key(openPort) },
      { host: '127.0.0.1', port: closedPort, key: key(closedPort) },
    ], { timeoutMs: 2000, concurrency: 4 });
    expect([...r]).toEqual([[key(openPort), true], [key(closedPort), false]]);
    await new Promise((res) => setTimeout(res, 50));
    expect(accepted - before).toBe(1);
  });

  it('gives up when aborted', async () => {
    const controller = new AbortController();
    const pending = tcpAnswers('127.0.0.1', openPort, 2000, controller.signal);
    controller.abort();
    expect(await pending).toBe(false);
  });
});
