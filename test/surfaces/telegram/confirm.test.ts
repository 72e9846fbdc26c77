import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/store.js';
import type { SentMessage } from '../../../src/services/telegram/sim/index.js';
import { TAP_ANSWERS } from '../../../src/surfaces/telegram/confirm-flow.js';
import { ALICE, OWNER, records, startHarness, until, type Harness } from './harness.js';
import { testRegistry, touched } from './test-service.js';

let h: Harness;
beforeAll(async () => { h = await startHarness({ registry: testRegistry() }); });
afterAll(async () => { await h?.stop(); });

const startRequests = (vmid: number) => (h.lab.sims.get('pve')?.requests ?? []).filter((r) => r.method === 'POST' && r.path.endsWith(`/${vmid}/status/start`));

async function question(userId: number, text: string, chatId?: number): Promise<SentMessage> {
  const user = h.sim.user({ userId, chatId });
  const before = user.messages().length;
  await user.send(text);
  return user.waitForMessage((m) => Boolean(m.buttons), `confirmation of ${text}`, before);
}

async function answerTo(before: number) {
  return h.sim.waitFor(() => h.sim.state.callbackAnswers[before], 'callback answer');
}

describe('confirmation of change and danger operations', () => {
  it('shows what will happen with Confirm and Cancel, and runs nothing yet', async () => {
    const q = await question(OWNER, '/pve start 201');
    expect(q.plain).toContain('Start VM 201 (media) on pve2');
    expect(q.buttons?.flat().map((b) => b.text)).toEqual(['✅ Confirm', '✖️ Cancel']);
    for (const b of q.buttons?.flat() ?? []) expect(Buffer.byteLength(b.data)).toBeLessThanOrEqual(64);
    expect(startRequests(201)).toHaveLength(0);
  });

  it('refuses a power or snapshot change of a guest that does not exist before asking, in one line', async () => {
    const owner = h.sim.user({ userId: OWNER });
    for (const command of ['/pve start 9999', '/pve stop 9999', '/pve shutdown 9999', '/pve reboot 9999', '/pve snapshot 9999 before', '/pve rollback 9999 before']) {
      const before = owner.messages().length;
      await owner.send(command);
      const reply = await owner.waitForMessage((m) => m.plain.includes('no guest with vmid 9999'), `refusal of ${command}`, before);
      expect(reply.buttons, command).toBeUndefined();
      expect(reply.plain, command).not.toContain('Confirm');
      expect(reply.plain.split('\n')[0], command).toContain('no guest with vmid 9999 in the cluster');
    }
    expect((h.lab.sims.get('pve')?.requests ?? []).filter((r) => r.method === 'POST' && r.path.includes('/9999/'))).toHaveLength(0);
  });

  it('names the guest in every power and snapshot confirmation, and refuses --vmstate of a container before asking', async () => {
    expect((await question(OWNER, '/pve stop 200')).plain).toContain('Hard-stop VM 200 (homeassistant) on pve1');
    expect((await question(OWNER, '/pve shutdown 106')).plain).toContain('Shut down CT 106 (dockge) on pve2');
    expect((await question(OWNER, '/pve reboot 107')).plain).toContain('Reboot CT 107 (forgejo) on pve2');
    expect((await question(OWNER, '/pve snapshot 200 before')).plain).toContain('Take snapshot before of VM 200 (homeassistant) on pve1');
    expect((await question(OWNER, '/pve rollback 200 before')).plain).toContain('Roll VM 200 (homeassistant) on pve1 back to snapshot before');
    expect((await question(OWNER, '/pve delsnapshot 200 before')).plain).toContain('Delete snapshot before of VM 200 (homeassistant) on pve1');
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send('/pve snapshot 106 before --vmstate');
    const reply = await owner.waitForMessage((m) => m.plain.includes('--vmstate is only for VMs'), 'vmstate refusal', before);
    expect(reply.buttons).toBeUndefined();
  });

  it('refuses a change that names nothing to change before asking, with the flags it takes', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send('/pve set 201');
    const reply = await owner.waitForMessage((m) => m.plain.includes('nothing to change'), 'usage reply', before);
    expect(reply.plain).toContain('give at least one of --name, --cores, --memory');
    expect(reply.buttons).toBeUndefined();
  });

  it('runs once on Confirm by the requester; a second tap does nothing', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const q = await question(OWNER, '/pve start 201');
    let n = h.sim.state.callbackAnswers.length;
    await owner.tap(q, '✅ Confirm');
    expect((await answerTo(n)).text).toBe(TAP_ANSWERS.running);
    const done = await owner.waitForMessage((m) => m.plain.includes('start VM 201 (media) on pve2: OK'), 'task outcome');
    expect(done.text?.startsWith('<pre>')).toBe(true);
    expect(startRequests(201)).toHaveLength(1);
    expect(q.plain).toContain('Confirmed: Start VM 201 (media) on pve2');
    expect(q.buttons).toBeUndefined();
    n = h.sim.state.callbackAnswers.length;
    await owner.tap({ ...q, buttons: q.edits[0]?.buttons }, '✅ Confirm');
    // Answered without a word (Telegram wants every tap answered): no notice, nothing run.
    expect((await answerTo(n)).text).toBeUndefined();
    expect(startRequests(201)).toHaveLength(1);
  });

  it('recorded the confirmed run in the audit log as the Telegram user who asked', () => {
    const store = AuditStore.open(h.lab.env.HOMELAB_DATA_HOME);
    try {
      const row = store.list({ limit: 100 }).find((r) => r.operation === 'pve.start');
      expect(row).toMatchObject({ surface: 'telegram', actor: String(OWNER), outcome: 'ok', input: { vmid: 201 } });
    } finally {
      store.close();
    }
  });

  it('shows progress of the task in the confirmation message, edited', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const progress = owner.messages().find((m) => m.plain.includes('start of VM 201') || m.edits.some((e) => e.plain.includes('start of VM 201')));
    expect(progress?.plain).toMatch(/^▶️ Confirmed: Start VM 201 \(media\) on pve2\n\/pve start 201\n✓ \/pve start 201: finished in/);
    expect(progress?.edits.some((e) => e.plain.includes('▶️ Confirmed: Start VM 201 (media) on pve2\n/pve start 201\n⏳ start of VM 201 (media)'))).toBe(true);
  });

  it('drops the command on Cancel', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const q = await question(OWNER, '/t touch cancelled');
    const n = h.sim.state.callbackAnswers.length;
    await owner.tap(q, '✖️ Cancel');
    expect((await answerTo(n)).text).toBe(TAP_ANSWERS.cancelled);
    await until(() => q.plain.startsWith('✖️ Cancelled: Touch cancelled'), 'cancelled message');
    expect(q.buttons).toBeUndefined();
    expect(touched.map((t) => t.name)).not.toContain('cancelled');
  });

  it("refuses someone else's tap (even an allowlisted user) and keeps the question open", async () => {
    const group = -500;
    const q = await question(OWNER, '/t touch shared', group);
    const alice = h.sim.user({ userId: ALICE, chatId: group, type: 'group' });
    const owner = h.sim.user({ userId: OWNER, chatId: group, type: 'group' });
    let n = h.sim.state.callbackAnswers.length;
    await alice.tap(q, '✅ Confirm');
    expect((await answerTo(n)).text).toBe(TAP_ANSWERS.notYours(`User${OWNER}`));
    expect(touched.map((t) => t.name)).not.toContain('shared');
    n = h.sim.state.callbackAnswers.length;
    await owner.tap(q, '✅ Confirm');
    expect((await answerTo(n)).text).toBe(TAP_ANSWERS.running);
    await until(() => touched.find((t) => t.name === 'shared'), 'touch ran');
    expect(touched.filter((t) => t.name === 'shared')).toEqual([{ name: 'shared', actor: String(OWNER) }]);
  });

  it('expires after a minute: the tap does nothing and the message says so', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const q = await question(OWNER, '/pve start 202');
    h.advance(61_000);
    const n = h.sim.state.callbackAnswers.length;
    await owner.tap(q, '✅ Confirm');
    expect((await answerTo(n)).text).toBe(TAP_ANSWERS.expired);
    await until(() => q.plain.startsWith('⌛ Expired: Start VM 202 (win11) on pve2'), 'expired message');
    expect(q.plain).toContain('Nothing was done.');
    expect(q.buttons).toBeUndefined();
    expect(startRequests(202)).toHaveLength(0);
    expect(records(h.logs).filter((r) => r.msg === 'confirmation expired')).toHaveLength(1);
  });

  it('/telegram send asks first, then sends the words to the owner chat', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const q = await question(OWNER, '/telegram send dinner is <ready> & hot');
    expect(q.plain).toContain('Send "dinner is <ready> & hot" to the owner chat');
    await owner.tap(q, '✅ Confirm');
    const sent = await owner.waitForMessage((m) => m.parseMode === undefined && m.plain === 'dinner is <ready> & hot', 'the message');
    expect(sent.chatId).toBe(OWNER);
  });

  it('is still valid just before the minute is over', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const q = await question(OWNER, '/t touch intime');
    h.advance(59_000);
    await owner.tap(q, '✅ Confirm');
    await until(() => touched.find((t) => t.name === 'intime'), 'touch ran');
  });
});
