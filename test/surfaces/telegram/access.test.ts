import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowUser } from '../../../src/services/telegram/allowlist.js';
import { REFUSAL } from '../../../src/surfaces/telegram/access.js';
import { ALICE, OWNER, STRANGER, records, startHarness, until, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.stop(); });

const refusals = (id: number) => records(h.logs).filter((r) => r.msg === 'refused a stranger' && r.user === id);

describe('allowlist', () => {
  it('gives a stranger one fixed refusal and no data, logs every attempt, tells the owner once', async () => {
    const stranger = h.sim.user({ userId: STRANGER, userName: 'mallory', firstName: 'Mallory' });
    const owner = h.sim.user({ userId: OWNER });
    const ownerBefore = owner.messages().length;
    await stranger.send('/pve list');
    const refusal = await stranger.waitForMessage(() => true, 'the refusal');
    expect(refusal.plain).toBe(REFUSAL);
    await stranger.send('/pve status 100');
    await stranger.send('let me in');
    await until(() => refusals(STRANGER).length === 3, 'three logged refusals');
    const told = await owner.waitForMessage((m) => m.plain.includes(String(STRANGER)), 'owner notice', ownerBefore);
    expect(told.plain).toContain('@mallory');
    expect(told.plain).toContain(`on the CLI: homelab telegram allow ${STRANGER}`);
    // one refusal only, no data, and the owner was told once
    expect(stranger.messages().map((m) => m.plain)).toEqual([REFUSAL]);
    expect(owner.messages().slice(ownerBefore).filter((m) => m.plain.includes(String(STRANGER)))).toHaveLength(1);
    expect(readFileSync(join(h.lab.env.HOMELAB_DATA_HOME, 'telegram', 'strangers'), 'utf8')).toBe(`${STRANGER}\n`);
    expect(records(h.logs).some((r) => r.msg === 'command started' && r.user === STRANGER)).toBe(false);
  });

  it('refuses a stranger tapping a button and runs nothing', async () => {
    const alice = h.sim.user({ userId: ALICE });
    await alice.send('/pve start 201');
    const question = await alice.waitForMessage((m) => Boolean(m.buttons), 'confirmation');
    const stranger = h.sim.user({ userId: 7777, chatId: ALICE });
    const answers = h.sim.state.callbackAnswers.length;
    await stranger.tap(question, '✅ Confirm');
    const answer = await h.sim.waitFor(() => h.sim.state.callbackAnswers[answers], 'callback answer');
    expect(answer.text).toBe(REFUSAL);
    expect(records(h.logs).some((r) => r.msg === 'command started' && r.op === 'pve.start')).toBe(false);
  });

  it('lets in a user added with `telegram allow` without a restart', async () => {
    const bob = h.sim.user({ userId: 4242 });
    await allowUser(h.lab.env.HOMELAB_DATA_HOME, 4242);
    await bob.send('/pve list');
    const reply = await bob.waitForMessage(() => true, 'pve list');
    expect(reply.plain).toContain('homeassistant');
  });

  it('does not let a chat user grant access: telegram allow is for the management host only', async () => {
    const alice = h.sim.user({ userId: ALICE });
    const before = alice.messages().length;
    await alice.send('/telegram allow 7777');
    const reply = await alice.waitForMessage(() => true, 'refusal', before);
    expect(reply.plain).toContain('only available on the command line');
    expect(reply.buttons).toBeFalsy();
    const file = join(h.lab.env.HOMELAB_DATA_HOME, 'telegram', 'authorized_users');
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '').not.toContain('7777');
  });

  it('in a group, answers allowlisted users\' commands only and keeps no chatter', async () => {
    const group = -100200;
    const alice = h.sim.user({ userId: ALICE, chatId: group, type: 'group' });
    const stranger = h.sim.user({ userId: 8888, chatId: group, type: 'group' });
    await stranger.send('/pve list');
    await until(() => refusals(8888).length === 1, 'logged group refusal');
    await alice.send('just chatting in the group');
    await alice.send('/pve list');
    const reply = await alice.waitForMessage((m) => m.plain.includes('homeassistant'), 'pve list in group');
    const texts = alice.messages().map((m) => m.plain);
    expect(texts.filter((t) => t.includes('homeassistant'))).toHaveLength(1);
    expect(texts).not.toContain(expect.stringContaining('Saved to the inbox'));
    expect(reply.chatId).toBe(group);
    // the stranger's command produced only the refusal, no data
    expect(texts.filter((t) => t === REFUSAL)).toHaveLength(1);
  });
});

describe('logs', () => {
  it('are JSON lines without the bot token', () => {
    expect(h.logs.length).toBeGreaterThan(5);
    for (const line of h.logs) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain(h.sim.token);
      expect(line).not.toContain(h.sim.token.split(':')[1]);
    }
  });
});
