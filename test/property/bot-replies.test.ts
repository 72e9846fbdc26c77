/**
 * The parser defects and refusals seen from a chat, through the simulated Bot API
 * (telegram-test-api) and the simulated lab: a refused command gets one clear reply
 * and sends nothing to any service.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOfferedOn } from '../../src/core/operation.js';
import { getRegistry } from '../../src/services/index.js';
import { parseCommandLine } from '../../src/surfaces/telegram/command-line.js';
import { route } from '../../src/surfaces/telegram/router.js';
import { OWNER, startHarness, type Harness } from '../surfaces/telegram/harness.js';
import { junkWords } from './junk.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.stop(); });

const registry = getRegistry();
const pveRequests = (): number => h.lab.sims.get('pve')?.requests.length ?? 0;

async function ask(text: string) {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(text);
  return owner.waitForMessage(() => true, `reply to ${text}`, before);
}

/** Whether the bot's router refuses the text (a command for this bot, not help, not ping). */
function refused(text: string): boolean {
  const line = parseCommandLine(text);
  if (!line || line.bot) return false;
  try {
    route(registry, line);
    return false;
  } catch {
    return true;
  }
}

describe('parser defects, from a chat', () => {
  it('/pve status 0x65 is refused with the usage, not run on VM 101', async () => {
    const before = pveRequests();
    for (const text of ['/pve status 0x65', '/pve status 1e2', '/pve status "  101"', '/pve status +101']) {
      const reply = await ask(text);
      expect(reply.plain.split('\n')).toEqual(['⚠️ pve status: vmid must be an integer from 100 to 999999999', 'usage: /pve status <vmid>']);
    }
    expect(pveRequests()).toBe(before);
    expect((await ask('/pve status 101')).plain).toContain('101');
  });

  it('/pve list --json=false replies with the table, --json=true with JSON', async () => {
    const table = await ask('/pve list --json=false');
    expect(table.text?.startsWith('<pre>')).toBe(true);
    expect(() => JSON.parse(table.plain) as unknown).toThrow();
    const json = JSON.parse((await ask('/pve list --type lxc --json=true')).plain) as { type: string }[];
    expect(json.length).toBeGreaterThan(0);
    expect(json.every((g) => g.type === 'lxc')).toBe(true);
  });

  it('/dns add … --comment --ttl 60 is refused: --ttl is not taken as the comment', async () => {
    const reply = await ask('/dns add web 10.0.0.5 --comment --ttl 60');
    // The parser's own hint (how to give a value that starts with -) says more than the usage line.
    expect(reply.plain.split('\n')).toEqual(['⚠️ --comment needs a value', 'a value that starts with - is written --comment=-…']);
  });
});

describe('refusals, from a chat (property)', () => {
  it('answers any refused command with one warning line and the usage, sending nothing', async () => {
    const ops = registry.all().filter((op) => isOfferedOn(op, 'telegram'));
    const text = fc.constantFrom(...ops)
      .chain((op) => junkWords(op).map((words) => `/${op.id.replace(/\./g, ' ')} ${words.join(' ')}`))
      .filter((t) => t.length < 2000 && !/\p{Cs}/u.test(t) && refused(t));
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const before = pveRequests();
        const reply = await ask(t);
        const lines = reply.plain.split('\n');
        expect(lines[0]).toMatch(/^⚠️ \S/);
        expect(lines.length).toBeLessThanOrEqual(2);
        expect(reply.plain).not.toMatch(/unexpected error|\bat .+:\d+:\d+/);
        expect(pveRequests()).toBe(before);
      }),
      { numRuns: 10 },
    );
  });
});
