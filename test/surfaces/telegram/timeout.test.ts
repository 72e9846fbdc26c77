import { afterAll, beforeAll, expect, it } from 'vitest';
import { OWNER, ALICE, records, startHarness, until, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ telegram: { timeout_seconds: 30, operation_timeouts: { 'pve.status': 3 } } });
});
afterAll(async () => { await h?.stop(); });

it('times out a hung command with a message naming it and its limit, while another user\'s command completes', async () => {
  const pve = h.lab.sims.get('pve');
  if (!pve) throw new Error('no pve simulator');
  const owner = h.sim.user({ userId: OWNER });
  const alice = h.sim.user({ userId: ALICE });
  const requestsBefore = pve.requests.length;
  pve.faults.hangNext = 1;
  await owner.send('/pve status 100');
  await until(() => pve.requests.length > requestsBefore, 'the hung request to reach the simulator');
  await alice.send('/pve list');
  const list = await alice.waitForMessage((m) => m.plain.includes('homeassistant'), 'pve list while the other command hangs');
  // The reply, not the progress message (slow answers are reported as progress), whose last edit says so too.
  const timeout = await owner.waitForMessage((m) => /^⏱ \/pve status 100 timed out/.test(m.plain), 'timeout message');
  expect(timeout.plain).toBe('⏱ /pve status 100 timed out after 3 s.');
  expect(list.chatId).toBe(ALICE);
  const log = records(h.logs).find((r) => r.msg === 'command timed out');
  expect(log).toMatchObject({ op: 'pve.status', user: OWNER, limitMs: 3000 });
  // the list finished before the status gave up
  const order = records(h.logs).filter((r) => r.msg === 'command finished' || r.msg === 'command timed out').map((r) => r.op);
  expect(order.indexOf('pve.list')).toBeLessThan(order.indexOf('pve.status'));
});

it('keeps working after a timeout', async () => {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send('/pve status 100');
  const reply = await owner.waitForMessage(() => true, 'status after the timeout', before);
  expect(reply.plain).toContain('CT 100 (dns)');
});
