import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentMessage } from '../../../src/services/telegram/sim/index.js';
import { TAP_ANSWERS } from '../../../src/surfaces/telegram/confirm-flow.js';
import { OWNER, records, startHarness, until, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.stop(); });

const GROUP = -100555;
const startRequests = (vmid: number) => (h.lab.sims.get('pve')?.requests ?? []).filter((r) => r.method === 'POST' && r.path.endsWith(`/${vmid}/status/start`));
const buttonEdits = () => h.sim.state.calls.filter((c) => c.method === 'editMessageReplyMarkup').length;
const tapsLogged = () => records(h.logs).filter((r) => r.msg === 'confirmation tapped').length;

async function question(text: string): Promise<SentMessage> {
  const owner = h.sim.user({ userId: OWNER, chatId: GROUP, type: 'supergroup' });
  const before = owner.messages().length;
  const asked = records(h.logs).filter((r) => r.msg === 'confirmation asked').length;
  await owner.send(text);
  const q = await owner.waitForMessage((m) => Boolean(m.buttons), `the question of ${text}`, before);
  await until(() => records(h.logs).filter((r) => r.msg === 'confirmation asked').length > asked, 'the bot to know the question');
  // As the chat showed it when asked: a tap on its buttons still works after the bot edited them away.
  return structuredClone(q);
}

describe('a second tap on a used button', () => {
  it('does nothing when three taps come at once: one run, one answer with words, no refused call', async () => {
    const owner = h.sim.user({ userId: OWNER, chatId: GROUP, type: 'supergroup' });
    const q = await question('/pve start 201');
    const answers = h.sim.state.callbackAnswers.length;
    const edits = buttonEdits();
    const taps = tapsLogged();
    await Promise.all([owner.tap(q, '✅ Confirm'), owner.tap(q, '✅ Confirm'), owner.tap(q, '✖️ Cancel')]);
    await until(() => h.sim.state.callbackAnswers.length >= answers + 3 && tapsLogged() >= taps + 3, 'three tap answers');
    const said = h.sim.state.callbackAnswers.slice(answers).map((a) => a.text);
    expect(said.filter(Boolean)).toHaveLength(1);
    expect([TAP_ANSWERS.running, TAP_ANSWERS.cancelled]).toContain(said.find(Boolean));
    expect(said).not.toContain(TAP_ANSWERS.invalid);
    expect(buttonEdits()).toBe(edits);
    expect(startRequests(201).length).toBeLessThanOrEqual(1);
    expect(records(h.logs).filter((r) => r.level === 'warn' && r.msg === 'telegram call refused')).toEqual([]);
  });

  it('does nothing after Cancel: a late Confirm runs nothing and says nothing', async () => {
    const owner = h.sim.user({ userId: OWNER, chatId: GROUP, type: 'supergroup' });
    const q = await question('/pve start 200');
    let answers = h.sim.state.callbackAnswers.length;
    await owner.tap(q, '✖️ Cancel');
    await h.sim.waitFor(() => h.sim.state.callbackAnswers[answers], 'the Cancel answer');
    expect(h.sim.state.callbackAnswers[answers]?.text).toBe(TAP_ANSWERS.cancelled);
    answers = h.sim.state.callbackAnswers.length;
    const edits = buttonEdits();
    await owner.tap(q, '✅ Confirm');
    const answer = await h.sim.waitFor(() => h.sim.state.callbackAnswers[answers], 'the late tap answer');
    expect(answer.text).toBeUndefined();
    expect(buttonEdits()).toBe(edits);
    expect(startRequests(200)).toHaveLength(0);
  });

  it('ten minutes on, says the button is no longer valid', async () => {
    const owner = h.sim.user({ userId: OWNER, chatId: GROUP, type: 'supergroup' });
    const q = await question('/pve start 200');
    let answers = h.sim.state.callbackAnswers.length;
    await owner.tap(q, '✖️ Cancel');
    await h.sim.waitFor(() => h.sim.state.callbackAnswers[answers], 'the Cancel answer');
    h.advance(11 * 60_000);
    // A new question sweeps what was used long ago.
    await question('/pve start 201');
    answers = h.sim.state.callbackAnswers.length;
    await owner.tap(q, '✅ Confirm');
    const answer = await h.sim.waitFor(() => h.sim.state.callbackAnswers[answers], 'the late tap answer');
    expect(answer.text).toBe(TAP_ANSWERS.invalid);
    expect(startRequests(200)).toHaveLength(0);
  });
});
