/**
 * The bot's confirmation shows live facts (an operation's preview) before asking, and a
 * plan operation's steps: in the Confirm/Cancel message, then step by step in that same
 * message as it runs, kept there when it ends. Against telegram-test-api and the lab's PVE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AnyOperation, ServiceModule } from '../../../src/core/operation.js';
import { Registry } from '../../../src/core/registry.js';
import { createPlan, definePlanOperation, type PlanStep } from '../../../src/orchestration/index.js';
import { serviceModules } from '../../../src/services/index.js';
import type { SentMessage } from '../../../src/services/telegram/sim/index.js';
import { newNotes, notesService } from '../../orchestration/notes-service.js';
import { OWNER, startHarness, until, type Harness } from './harness.js';

const notes = newNotes();
const step = (key: string, fail: boolean): PlanStep => ({
  key, describe: `note ${key}`, op: 'notes.put', input: { key, value: key, ...(fail ? { fail: 'api' } : {}) }, risk: 'change',
  undo: { op: 'notes.delete', input: {}, describe: `delete note ${key}`, fromResult: { id: 'id' } },
});
const planService: ServiceModule = {
  name: 'tp',
  summary: 'plan test operations',
  operations: [definePlanOperation({
    id: 'tp.two', summary: 'put two notes', args: ['second'], risk: 'change',
    input: z.object({ second: z.string(), fail: z.boolean().default(false) }),
    build: async (_ctx, input) => createPlan(`two notes: first, ${input.second}`, [step('first', false), step(input.second, input.fail)]),
  }) as unknown as AnyOperation],
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ registry: new Registry([...serviceModules, notesService(notes), planService]), progressIntervalMs: 0 });
});
afterAll(async () => { await h?.stop(); });

async function question(text: string): Promise<SentMessage> {
  const user = h.sim.user({ userId: OWNER });
  const before = user.messages().length;
  await user.send(text);
  return user.waitForMessage((m) => Boolean(m.buttons), `confirmation of ${text}`, before);
}

describe('confirmation with live facts (bot)', () => {
  it('pve destroy names the guest as it is now, before asking', async () => {
    const q = await question('/pve destroy 201 --purge');
    expect(q.plain).toContain('Destroy VM 201 (media) on pve2 and purge it from backup jobs, HA and replication');
    expect(q.plain).toMatch(/disks: \S*vm-201-disk-0/);
    await h.sim.user({ userId: OWNER }).tap(q, '✖️ Cancel');
  });

  it('a plan operation shows its plan; confirmed, the same message reports each step, and keeps them at the end', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const q = await question('/tp two second');
    expect(q.plain).toContain('⚠️ Confirm: two notes: first, second (2 to create)');
    expect(q.plain).toContain('1. create  note first\n  2. create  note second');
    expect(notes.log).toEqual([]);
    const before = owner.messages().length;
    await owner.tap(q, '✅ Confirm');
    const done = await until(() => owner.messages().find((m) => m.messageId === q.messageId && m.plain.includes('finished in')), 'the confirmation message, finished');
    expect(done.plain).toMatch(/^▶️ Confirmed: two notes: first, second \(2 to create\)\n\/tp two second\ntwo notes: first, second\n✓ step 1\/2: note first\n✓ step 2\/2: note second\nplan \S+ applied\n✓ \/tp two second: finished in/);
    expect(done.edits.some((e) => e.plain.includes('⏳ two notes: first, second\n✓ step 1/2: note first\nstep 2/2: note second'))).toBe(true);
    const outcome = await owner.waitForMessage((m) => m.plain.includes('2 done, 0 unchanged'), 'the outcome table', before);
    expect(outcome.plain).toContain('done');
    expect(notes.log).toEqual(['put first', 'put second']);
  });

  it('a failed plan shows the failure and each undo in the message, then the outcome and the one-line error', async () => {
    const owner = h.sim.user({ userId: OWNER });
    notes.log.length = 0;
    const q = await question('/tp two third --fail');
    const before = owner.messages().length;
    await owner.tap(q, '✅ Confirm');
    const done = await until(() => owner.messages().find((m) => m.messageId === q.messageId && m.plain.includes('failed')), 'the confirmation message, failed');
    expect(done.plain).toContain('✖ step 2/2: note third: notes: key third is taken');
    expect(done.plain).toContain('↩ undo 1/2: delete note first');
    const error = await owner.waitForMessage((m) => m.plain.includes('step 2 of 2 (note third) failed'), 'the error reply', before);
    expect(error.plain).toContain('1 step undone');
    expect(notes.log).toEqual(['put first', 'put third', 'delete 3']);
  });

  it('--dry-run shows the plan without asking or changing anything', async () => {
    const owner = h.sim.user({ userId: OWNER });
    notes.log.length = 0;
    const before = owner.messages().length;
    await owner.send('/tp two fourth --dry-run');
    const reply = await owner.waitForMessage((m) => m.plain.includes('two notes: first, fourth'), 'the plan', before);
    expect(reply.buttons).toBeUndefined();
    expect(reply.plain).toContain('2 to create');
    expect(notes.log).toEqual([]);
  });
});
