/**
 * Long commands on Telegram: every message and every edit the bot makes stays within the
 * 4096 visible characters Telegram allows (captions: 1024), so the user sees the outcome
 * (the simulated Bot API refuses more, "message is too long", as Telegram does). The
 * command is echoed clipped in the question, the Cancelled, Confirmed and Expired edits,
 * the progress edited into it, the error and timeout replies and a document's caption; error
 * replies cap their message, details and hint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { SentMessage } from '../../../src/services/telegram/sim/index.js';
import { parseTelegramHtml } from '../../../src/services/telegram/sim/html.js';
import { OWNER, startHarness, until, type Harness } from './harness.js';
import { testRegistry } from './test-service.js';

let h: Harness;
let pve: PveSim;
beforeAll(async () => {
  h = await startHarness({ registry: testRegistry(), telegram: { operation_timeouts: { 't.slow': 1 } } });
  pve = h.lab.sims.get('pve') as PveSim;
});
afterAll(async () => { await h?.stop(); });

/** Visible length of every text and caption the bot sent or edited in (refused calls too): none over the limit. */
function expectAllWithinLimits(): void {
  let checked = 0;
  for (const { method, body } of h.sim.state.calls) {
    const field = method === 'sendDocument' ? 'caption' : method === 'sendMessage' || method === 'editMessageText' ? 'text' : undefined;
    if (!field || typeof body[field] !== 'string') continue;
    const parsed = parseTelegramHtml(body[field] as string);
    expect(parsed.ok, `${method} parses`).toBe(true);
    if (parsed.ok) expect(parsed.text.length, `${method}: ${parsed.text.slice(0, 80)}…`).toBeLessThanOrEqual(field === 'caption' ? 1024 : 4096);
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
  expect(h.logs.filter((l) => /too long/.test(l))).toEqual([]);
}

async function ask(text: string): Promise<SentMessage> {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(text);
  return owner.waitForMessage((m) => Boolean(m.buttons), `the question of ${text.slice(0, 30)}`, before, 20_000);
}

describe('long commands on Telegram', () => {
  const huge = 'd'.repeat(4040);

  it('Cancel of a 4040-character description: the message says Cancelled and loses its buttons', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const description = pve.state.guests.get(201)?.config.description;
    const q = await ask(`/pve set 201 --description ${huge}`);
    expect(q.plain.length).toBeLessThanOrEqual(4096);
    await owner.tap(q, '✖️ Cancel');
    await until(() => q.plain.startsWith('✖️ Cancelled'), 'the cancelled message');
    expect(q.buttons).toBeUndefined();
    expect(q.plain).toContain('/pve set 201 --description ddd');
    expect(q.plain).toContain('…');
    expect(pve.state.guests.get(201)?.config.description).toBe(description);
    expectAllWithinLimits();
  });

  it('Confirm with the guest locked: the user is told the run failed and why', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const guest = pve.state.guests.get(201);
    if (!guest) throw new Error('no guest 201');
    const q = await ask(`/pve set 201 --description ${huge}`);
    const before = owner.messages().length;
    guest.lock = 'backup';
    try {
      await owner.tap(q, '✅ Confirm');
      const error = await owner.waitForMessage((m) => m.plain.includes('locked (backup)'), 'the error reply', before, 20_000);
      expect(error.plain).toMatch(/^\/pve set 201 --description d+…d*\n⚠️ /);
      await until(() => /: failed$/.test(q.plain), 'the failed progress');
    } finally {
      delete guest.lock;
    }
    expectAllWithinLimits();
  });

  it('a successful run with a 3,400-character description ends as finished, not on its progress line', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const description = 'e'.repeat(3400);
    const q = await ask(`/pve set 201 --description ${description}`);
    await owner.tap(q, '✅ Confirm');
    await until(() => /✓ \/pve set 201 --description e+…e*: finished in/.test(q.plain), 'the finished progress', 20_000);
    expect(q.plain).not.toContain('⏳');
    expect(pve.state.guests.get(201)?.config.description).toBe(description);
    expectAllWithinLimits();
  });

  it('a read whose error echoes a 2,102-character storage name still answers', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send(`/pve backups 201 --storage a${'b'.repeat(2100)}c`);
    const reply = await owner.waitForMessage((m) => m.plain.includes('⚠️'), 'the error reply', before, 20_000);
    expect(reply.plain).toMatch(/^\/pve backups 201 --storage ab+…b*c\n⚠️ /);
    expectAllWithinLimits();
  });

  it('an expired question of a long command says Expired and loses its buttons', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const q = await ask(`/pve set 201 --description ${huge}`);
    h.advance(61_000);
    await owner.tap(q, '✅ Confirm');
    await until(() => q.plain.startsWith('⌛ Expired'), 'the expired message');
    expect(q.buttons).toBeUndefined();
    expectAllWithinLimits();
  });

  it('an error with a long message, long details and a long hint is capped, keeping its head and its end', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send(`/t fail --note ${'<&>'.repeat(1500)}`);
    const reply = await owner.waitForMessage((m) => m.plain.includes('⚠️'), 'the error reply', before, 20_000);
    expect(reply.plain).toMatch(/^\/t fail --note <&>/);
    expect(reply.plain).toContain('failed at the end');
    expect(reply.plain).toContain('detail 1: ');
    expect(reply.plain).toMatch(/… and \d+ more/);
    expectAllWithinLimits();
  });

  it('a long command whose output goes as a document keeps its caption within 1024 characters', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send(`/t long 30000 --note ${'n'.repeat(3000)}`);
    const doc = await owner.waitForMessage((m) => Boolean(m.document), 'the document', before, 20_000);
    expect(doc.document?.caption).toContain('30000 characters');
    expectAllWithinLimits();
  });

  it('a long command that times out is told so', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send(`/t slow --note ${'s'.repeat(4070)}`);
    const reply = await owner.waitForMessage((m) => m.plain.includes('timed out after 1 s'), 'the timeout reply', before, 20_000);
    expect(reply.plain).toMatch(/^⏱ \/t slow --note s+…s* timed out after 1 s\.$/);
    expectAllWithinLimits();
  });
});
