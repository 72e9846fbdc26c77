import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readInbox } from '../../../src/services/telegram/inbox.js';
import { AuditStore } from '../../../src/audit/store.js';
import { OWNER, records, startHarness, until, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.stop(); });
afterEach(() => { Object.assign(h.sim.faults, { only: undefined, htmlErrorNext: 0 }); });

const inbox = () => readInbox(h.lab.env.HOMELAB_DATA_HOME);

/** Saves `notes` to the inbox, then asks `/telegram inbox clear` and returns its question. */
async function askClear(notes: string[]) {
  const owner = h.sim.user({ userId: OWNER });
  for (const note of notes) {
    const before = owner.messages().length;
    await owner.send(note);
    await owner.waitForMessage((m) => m.plain.startsWith('📥 Saved to the inbox'), `the ack of ${note}`, before);
  }
  const before = owner.messages().length;
  await owner.send('/telegram inbox clear');
  const question = await owner.waitForMessage((m) => Boolean(m.buttons), 'the question', before);
  return { owner, question };
}

describe('/telegram inbox clear on the bot', () => {
  it('puts the entries back when Telegram does not take the result, and says so', async () => {
    const { owner, question } = await askClear(['note one, keep me', 'note two, keep me too']);
    // One 502 from a proxy in front of the Bot API, on the message carrying the result.
    Object.assign(h.sim.faults, { only: ['sendMessage', 'sendDocument'], htmlErrorNext: 1 });
    const before = owner.messages().length;
    await owner.tap(question, '✅ Confirm');
    const notice = await owner.waitForMessage((m) => m.plain.includes('could not be sent'), 'the notice', before);
    expect(notice.plain).toContain('✖ /telegram inbox clear: its result could not be sent.');
    expect(notice.plain).toContain('⚠️ the inbox was not cleared: its entries did not all reach the output');
    expect(notice.plain).toContain('they are still in the inbox');
    expect((await inbox()).map((e) => e.text)).toEqual(['note one, keep me', 'note two, keep me too']);
    // The audit row says the clear failed, as the CLI's does when its stdout fails.
    const store = AuditStore.open(h.lab.env.HOMELAB_DATA_HOME);
    try {
      const row = await until(() => store.list({ operation: 'telegram.inbox.clear' }).find((r) => r.outcome !== 'running'), 'the audit row');
      expect(row).toMatchObject({ surface: 'telegram', outcome: 'error', error: expect.stringContaining('the inbox was not cleared') as unknown });
    } finally {
      store.close();
    }
    expect(records(h.logs).some((r) => r.msg === 'command failed' && r.op === 'telegram.inbox.clear')).toBe(true);
  });

  it('removes the entries once Telegram took the result', async () => {
    const { owner, question } = await askClear([]);
    const before = owner.messages().length;
    await owner.tap(question, '✅ Confirm');
    const shown = await owner.waitForMessage((m) => m.plain.includes('cleared 2 entries'), 'the result', before);
    expect(shown.plain).toContain('note one, keep me');
    expect(await inbox()).toEqual([]);
  });
});
