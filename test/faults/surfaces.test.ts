/**
 * Fault suite, the other surfaces: the same faults, injected by the Kuma, PVE and DNS
 * simulators and relayed through the Telegram bot (telegram-test-api, the harness of
 * test/surfaces/telegram) and the MCP server (the SDK's client over HTTP). The bot
 * answers with the error's one line (and its hint), never a stack trace or a secret; MCP
 * returns `isError` with the same message; a change cut off is not sent twice. The bot
 * and MCP cells of docs/reliability.md list what each service's fault showed there.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LabSim } from '../../src/lab/lab.js';
import { METRICS_IMPOSTORS } from '../../src/services/kuma/sim/faults.js';
import { startKumaSim, type KumaSim } from '../../src/services/kuma/sim/index.js';
import type { McpHttpServer } from '../../src/surfaces/mcp/http.js';
import { startBot } from '../../src/surfaces/telegram/bot.js';
import { createLogger } from '../../src/surfaces/telegram/log.js';
import { ALICE, OWNER, startHarness, type Harness } from '../surfaces/telegram/harness.js';
import { connect, startServer, textOf } from '../surfaces/mcp/helpers.js';
import { closedPort } from './ports.js';
import { cellText, faultRecorder, type Fault } from './record.js';

const record = faultRecorder('surfaces');

let h: Harness;
let kuma: KumaSim;
let mcp: McpHttpServer | undefined;
let agent: Client | undefined;
const extraSims: KumaSim[] = [];

/** The services whose faults are relayed: Kuma (both of its paths), and two plain-HTTP clients. */
type Relayed = 'kuma' | 'pve' | 'dns';
const sim = (service: 'pve' | 'dns'): LabSim => h.lab.sims.get(service) as LabSim;

/**
 * Points each service at its section (by default its simulator's, with a 3 s time limit),
 * then restarts the bot and the MCP server so both read it.
 */
async function configure(sections: Partial<Record<Relayed, Record<string, unknown>>> = {}): Promise<void> {
  const own = (s: LabSim): Record<string, unknown> => ({ ...s.configSection, timeout_seconds: 3 });
  writeFileSync(join(h.lab.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), stringify({
    services: { kuma: sections.kuma ?? own(kuma), pve: sections.pve ?? own(sim('pve')), dns: sections.dns ?? own(sim('dns')) },
    telegram: { api_root: h.sim.url, owner_chat_id: OWNER, allowed_users: [OWNER, ALICE] },
  }));
  await h.bot.stop();
  h.bot = await startBot({ env: { ...h.lab.env, PATH: process.env.PATH }, logger: createLogger((line) => h.logs.push(line), 'debug') });
  await agent?.close();
  await mcp?.close();
  mcp = await startServer(h.lab, 'change');
  agent = await connect(mcp, 'fault-agent');
}

beforeAll(async () => {
  h = await startHarness({ services: ['kuma', 'pve', 'dns'] });
  kuma = h.lab.sims.get('kuma') as KumaSim;
  await configure();
}, 60_000);
afterAll(async () => {
  await agent?.close();
  await mcp?.close();
  await h?.bot.stop();
  await h?.stop().catch(() => undefined);
  await Promise.all(extraSims.map((s) => s.close()));
});
afterEach(() => {
  Object.assign(kuma.faults, { latencyMs: 0, hangNext: 0, resetNext: 0, badJsonNext: 0 });
  Object.assign(kuma.kumaFaults, { eventLatencyMs: 0, hang: undefined, dropAfter: undefined, badAnswer: undefined, metricsResetMidBody: 0, metrics: undefined });
  for (const service of ['pve', 'dns'] as const) {
    Object.assign(sim(service).faults, { latencyMs: 0, hangNext: 0, resetNext: 0, resetMidBodyNext: 0, badJsonNext: 0, failNext: undefined, htmlErrorNext: undefined, only: undefined });
  }
});

/** The secrets no reply may show: every credential of the relayed services. */
const secrets = (): string[] => [kuma, sim('pve'), sim('dns')].flatMap((s) => Object.values(s.credentials.values)).filter((v) => v.length > 8);

/** Sends `/<command>` as the owner and returns the bot's reply to it (the message quoting the command). */
async function botReply(command: string): Promise<string> {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(`/${command}`);
  const reply = await owner.waitForMessage((m) => m.plain.startsWith(`/${command}\n`) || (!m.plain.startsWith('✓') && !m.plain.startsWith('✖') && !m.plain.startsWith('⏳') && m.plain.includes('up,')), `the reply to /${command}`, before);
  return reply.plain;
}

/** The bot's error reply: the command, then `⚠️ <one line>`, then at most a hint; no stack, no secret. */
function botError(reply: string): string {
  const lines = reply.split('\n');
  expect(lines[1]).toMatch(/^⚠️ /);
  expect(lines.length).toBeLessThanOrEqual(3);
  expect(reply).not.toMatch(/\n\s+at |<html|unexpected error/i);
  for (const s of secrets()) expect(reply).not.toContain(s);
  return (lines[1] as string).replace(/^⚠️ /, '');
}

/** Calls a kuma tool over MCP; returns its error text (first line), asserting `isError`. */
async function mcpError(name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await (agent as Client).callTool({ name, arguments: args });
  expect(result.isError).toBe(true);
  const text = textOf(result);
  expect(text).not.toMatch(/\n\s+at |<html/i);
  for (const s of secrets()) expect(text).not.toContain(s);
  return text.split('\n')[0] as string;
}

/** The read each relayed service is asked for: its bot command and its MCP tool. */
const READS: Record<Relayed, { command: string; tool: string }> = {
  kuma: { command: 'kuma status', tool: 'kuma_status' },
  pve: { command: 'pve list', tool: 'pve_list' },
  dns: { command: 'dns records', tool: 'dns_records' },
};

/** The lines measured so far for each fault, one per service, in the order the tests ran. */
const relayed = new Map<Fault, string[]>();

/** Checks that the bot and MCP relay the same line for `service`'s read, and records both cells. */
async function relay(fault: Fault, expected: RegExp | string, service: Relayed = 'kuma'): Promise<void> {
  const bot = botError(await botReply(READS[service].command));
  const tool = await mcpError(READS[service].tool);
  if (typeof expected === 'string') expect(bot).toBe(expected);
  else expect(bot).toMatch(expected);
  // The same line; a seeded body's size may differ by a digit between the two reads (a guest's uptime grows).
  const sized = (text: string): string => text.replace(/\b\d+ bytes?\b/g, 'N bytes');
  expect(sized(tool)).toBe(sized(bot));
  // Ports, fingerprints and a seeded body's size change every run: the table shows what, not which.
  const line = bot.replace(/127\.0\.0\.1:\d+/g, '<host>').replace(/[0-9A-F]{2}(:[0-9A-F]{2}){31}/g, '<fp>').replace(/\b\d+ bytes?\b/g, 'N bytes');
  const lines = [...(relayed.get(fault) ?? []), `"${line.length > 110 ? `${line.slice(0, 109)}…` : line}"`];
  relayed.set(fault, lines);
  record({ column: 'bot', fault, outcome: cellText(`one line: ⚠️ ${lines.join(' · ')}`, 500) });
  record({ column: 'mcp', fault, outcome: cellText(`isError, the same line · ${lines.join(' · ')}`, 500) });
}

describe('faults relayed by the bot and MCP', () => {
  it('timeout', async () => {
    kuma.faults.hangNext = 2;
    await relay('timeout', 'kuma: GET /metrics timed out after 3 s');
  });

  it('reset: one line; a change cut off over MCP is sent once', async () => {
    kuma.kumaFaults.metricsResetMidBody = 10;
    await relay('reset', /^kuma: cannot reach http:\/\/127\.0\.0\.1:\d+: /);
    kuma.kumaFaults.dropAfter = { event: 'add', count: 1 };
    const adds = kuma.events.filter((e) => e.event === 'add').length;
    const line = await mcpError('kuma_add_ping', { name: 'mcp-reset', host: '10.5.0.96' });
    expect(line).toBe('kuma: the connection dropped during add; it may or may not have been done');
    expect(kuma.events.filter((e) => e.event === 'add').length - adds).toBe(1);
    record({ column: 'mcp', fault: 'reset', outcome: cellText('isError · "kuma: cannot reach <host>: …" · add cut off: isError, sent once') });
  });

  it('html-5xx', async () => {
    kuma.kumaFaults.metrics = METRICS_IMPOSTORS.proxy502;
    await relay('html-5xx', 'kuma: /metrics answered HTTP 502: 502 Bad Gateway · nginx/1.24.0');
  });

  it('bad-json', async () => {
    kuma.kumaFaults.metrics = METRICS_IMPOSTORS.json;
    await relay('bad-json', /^unexpected answer from kuma: \/metrics is not Prometheus metrics/);
  });

  it('token-expired: exit-5 class error with its hint, the key never shown', async () => {
    const key = kuma.auth.apiKeys[0];
    if (!key) throw new Error('no API key');
    key.active = false;
    try {
      await relay('token-expired', 'kuma: /metrics refused the credentials (HTTP 401)');
    } finally {
      key.active = true;
    }
  });

  it('slow: still the right answer; progress on Telegram and MCP', async () => {
    kuma.faults.latencyMs = 2000;
    const reply = await botReply('kuma status');
    expect(reply).toMatch(/\d+ up, 1 down \(media\)/);
    const notes: string[] = [];
    const result = await (agent as Client).callTool({ name: 'kuma_status', arguments: {} }, undefined, { onprogress: (p) => notes.push(p.message ?? '') });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/\d+ up, 1 down \(media\)/);
    expect(notes).toContain('waiting for kuma (GET /metrics)…');
    const progress = h.sim.messagesIn(OWNER).filter((m) => [m.plain, ...m.edits.map((e) => e.plain)].some((t) => t.includes('waiting for kuma (GET /metrics)')));
    expect(progress.length).toBeGreaterThan(0);
    record({ column: 'bot', fault: 'slow', outcome: 'same reply · progress message "waiting for kuma (GET /metrics)…"' });
    record({ column: 'mcp', fault: 'slow', outcome: 'same result · progress notification "waiting for kuma (GET /metrics)…"' });
  }, 30_000);

  it('tls-mismatch: refused before any request, both fingerprints in the one line', async () => {
    const tls = await startKumaSim({ tls: true, afterLoginDelayMs: 0 });
    extraSims.push(tls);
    const wrong = `${'CD:'.repeat(31)}CD`;
    await configure({ kuma: { ...tls.configSection, fingerprint: wrong, timeout_seconds: 3 } });
    await relay('tls-mismatch', `kuma: TLS certificate fingerprint ${tls.fingerprint} does not match the pinned ${wrong}; credentials were not sent`);
    expect(tls.requests).toHaveLength(0);
  });

  it('refused', async () => {
    const port = await closedPort();
    await configure({ kuma: { ...kuma.configSection, url: `http://127.0.0.1:${port}`, timeout_seconds: 3 } });
    await relay('refused', `kuma: cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
  });
});

describe.each([
  { service: 'pve' as const, path: /\/cluster\/resources$/ },
  { service: 'dns' as const, path: /\/api\/zones\/records\/get$/ },
])('$service faults relayed by the bot and MCP', ({ service, path }) => {
  beforeAll(() => configure(), 30_000);
  const only = { method: 'GET', path };

  it('timeout: one line naming the service and the limit', async () => {
    Object.assign(sim(service).faults, { only, hangNext: 2 });
    await relay('timeout', new RegExp(`^${service}: GET /\\S+ timed out after 3 s$`), service);
  });

  it('5xx with an HTML body: the status and a short excerpt, no HTML', async () => {
    Object.assign(sim(service).faults, { only, htmlErrorNext: { count: 100, status: 502 } });
    await relay('html-5xx', new RegExp(`^${service}: .*HTTP 502 Bad Gateway: 502 Bad Gateway · nginx/1\\.24\\.0`), service);
  });

  it('malformed JSON: "unexpected answer from <service>"', async () => {
    Object.assign(sim(service).faults, { only, badJsonNext: 2 });
    await relay('bad-json', new RegExp(`^unexpected answer from ${service}: `), service);
  });

  it('refused', async () => {
    const port = await closedPort();
    const own = sim(service).configSection;
    await configure({ [service]: { ...own, url: String(own.url).replace(/:\d+$/, `:${port}`), timeout_seconds: 3 } });
    await relay('refused', new RegExp(`^${service}: cannot reach https?://127\\.0\\.0\\.1:${port}: ECONNREFUSED$`), service);
  });
});
