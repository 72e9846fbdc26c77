import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowUser, authorizedUsersFile } from '../../../src/services/telegram/allowlist.js';
import { readInbox } from '../../../src/services/telegram/inbox.js';
import { REFUSAL } from '../../../src/surfaces/telegram/access.js';
import { ALICE, OWNER, STRANGER, records, startHarness, until, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.stop(); });

const GROUP_ANONYMOUS_BOT = 1087968824;
const CHANNEL_BOT = 136817688;
const logged = (msg: string) => records(h.logs).filter((r) => r.msg === msg);

describe('messages sent as a group or channel', () => {
  it('are refused with the fixed refusal, even when the shared id is allowlisted, and the owner is never told to allow it', async () => {
    const group = -100777;
    const owner = h.sim.user({ userId: OWNER });
    const ownerBefore = owner.messages().length;
    // An anonymous admin of a group: `from` is GroupAnonymousBot, the group is `sender_chat`.
    const anon = h.sim.user({ userId: GROUP_ANONYMOUS_BOT, chatId: group, type: 'supergroup', firstName: 'Group', userName: 'GroupAnonymousBot' });
    await anon.send('/pve list', { sender_chat: { id: group, type: 'supergroup', title: 'Lab' } });
    expect((await anon.waitForMessage(() => true, 'the refusal')).plain).toBe(REFUSAL);
    // An earlier version suggested allowing it: listed in the file, it still lets nobody in.
    await allowUser(h.lab.env.HOMELAB_DATA_HOME, GROUP_ANONYMOUS_BOT);
    const otherGroup = -100999;
    const otherAnon = h.sim.user({ userId: GROUP_ANONYMOUS_BOT, chatId: otherGroup, type: 'supergroup', firstName: 'Group', userName: 'GroupAnonymousBot' });
    await otherAnon.send('/pve list', { sender_chat: { id: otherGroup, type: 'supergroup', title: 'Elsewhere' } });
    // Sent as a channel (Channel_Bot) into a group where an allowed user is: refused too.
    const channel = h.sim.user({ userId: CHANNEL_BOT, chatId: group, type: 'supergroup', firstName: 'Channel', userName: 'Channel_Bot' });
    await channel.send('/pve status 100', { sender_chat: { id: -100555, type: 'channel', title: 'News' } });
    await until(() => logged('refused a message sent as a chat').length === 3, 'three logged refusals');
    expect(otherAnon.messages().map((m) => m.plain)).toEqual([REFUSAL]);
    // One refusal an hour per chat: the group got one, for two messages.
    expect(anon.messages().map((m) => m.plain)).toEqual([REFUSAL]);
    expect(records(h.logs).some((r) => r.msg === 'command started')).toBe(false);
    expect(owner.messages().slice(ownerBefore).filter((m) => m.plain.includes(String(GROUP_ANONYMOUS_BOT)) || m.plain.includes(String(CHANNEL_BOT)))).toEqual([]);
  });
});

describe('a shared id without sender_chat', () => {
  it('is refused as a message sent as a chat, listed or not, and the owner is never told to allow it', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const ownerBefore = owner.messages().length;
    const before = logged('refused a message sent as a chat').length;
    await allowUser(h.lab.env.HOMELAB_DATA_HOME, GROUP_ANONYMOUS_BOT);
    // A client or an old update that leaves `sender_chat` out: the id alone says it is no person.
    const group = -100333;
    const anon = h.sim.user({ userId: GROUP_ANONYMOUS_BOT, chatId: group, type: 'supergroup', firstName: 'Group', userName: 'GroupAnonymousBot' });
    await anon.send('/pve list');
    expect((await anon.waitForMessage(() => true, 'the refusal')).plain).toBe(REFUSAL);
    await until(() => logged('refused a message sent as a chat').length === before + 1, 'the logged refusal');
    expect(logged('refused a stranger').filter((r) => r.user === GROUP_ANONYMOUS_BOT)).toEqual([]);
    expect(logged('command started').filter((r) => r.user === GROUP_ANONYMOUS_BOT)).toEqual([]);
    expect(owner.messages().slice(ownerBefore).filter((m) => m.plain.includes(String(GROUP_ANONYMOUS_BOT)))).toEqual([]);
  });
});

describe('forwarded messages', () => {
  it('are saved to the inbox as forwarded from their origin, not as the user\'s own words', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send('please run /pve destroy 201 now', { forward_origin: { type: 'user', date: 1, sender_user: { id: STRANGER, is_bot: false, first_name: 'Mallory', username: 'mallory' } }, forward_date: 1 });
    const ack = await owner.waitForMessage((m) => m.plain.startsWith('📥'), 'the acknowledgement', before);
    expect(ack.plain).toContain('forwarded from Mallory @mallory');
    const entry = (await readInbox(h.lab.env.HOMELAB_DATA_HOME)).find((e) => e.text.includes('/pve destroy'));
    expect(entry).toMatchObject({ user: { id: OWNER }, forwardedFrom: 'Mallory @mallory', text: 'please run /pve destroy 201 now' });
  });

  it('never run a forwarded command: one line says so, and nothing is asked', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send('/pve stop 201', { forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'Mallory' } });
    const reply = await owner.waitForMessage(() => true, 'the reply', before);
    expect(reply.plain).toBe('↪️ Forwarded commands are not run: send /pve yourself to run it.');
    expect(reply.buttons).toBeUndefined();
    await owner.send('/pve list');
    await owner.waitForMessage((m) => m.plain.includes('homeassistant'), 'a later command', before);
    expect(owner.messages().slice(before).some((m) => m.buttons)).toBe(false);
    expect(records(h.logs).some((r) => r.msg === 'confirmation asked' || (r.msg === 'command started' && r.op === 'pve.stop'))).toBe(false);
  });
});

describe('forum topics', () => {
  it('answers in the topic the command came from: replies, the confirmation and the result', async () => {
    const group = -100888;
    const alice = h.sim.user({ userId: ALICE, chatId: group, type: 'supergroup', threadId: 42 });
    await alice.send('/pve status 100');
    const status = await alice.waitForMessage((m) => m.plain.includes('100'), 'status');
    expect(status.threadId).toBe(42);
    await alice.send('/pve start 201');
    const question = await alice.waitForMessage((m) => Boolean(m.buttons), 'the confirmation');
    expect(question.threadId).toBe(42);
    const before = alice.messages().length;
    await alice.tap(question, '✅ Confirm');
    await until(() => logged('command finished').some((r) => r.op === 'pve.start'), 'pve start to finish');
    const after = await alice.waitForMessage(() => true, 'the result', before);
    expect(after.threadId).toBe(42);
    const stranger = h.sim.user({ userId: 9191, chatId: group, type: 'supergroup', threadId: 42 });
    await stranger.send('/pve list');
    expect((await stranger.waitForMessage((m) => m.plain === REFUSAL, 'the refusal')).threadId).toBe(42);
    // Every message in the group went to the topic, none to General.
    expect(h.sim.messagesIn(group).map((m) => m.threadId)).toEqual(h.sim.messagesIn(group).map(() => 42));
  });
});

describe('topics of a private chat', () => {
  it('answer saved text and media in the topic they came from', async () => {
    const alice = h.sim.user({ userId: ALICE, threadId: 7 });
    const before = alice.messages().length;
    await alice.send('remember the UPS battery');
    const saved = await alice.waitForMessage((m) => m.plain.startsWith('📥'), 'the inbox acknowledgement', before);
    expect(saved.threadId).toBe(7);
    await alice.sendPhoto(Buffer.from('a photo of the rack'), { caption: 'the rack' });
    const media = await alice.waitForMessage((m) => m.plain.startsWith('📎'), 'the media acknowledgement', before);
    expect(media.threadId).toBe(7);
    await alice.sendPhoto(Buffer.from('too large'), { declaredSize: 100_000_000 });
    const refused = await alice.waitForMessage((m) => m.plain.startsWith('⚠️ Not saved'), 'the size refusal', before);
    expect(refused.threadId).toBe(7);
  });
});

describe('service messages', () => {
  it('are ignored silently in a private chat; a sticker still gets its one line', async () => {
    const alice = h.sim.user({ userId: ALICE });
    const before = alice.messages().length;
    await alice.sendRaw({ pinned_message: { message_id: 1, chat: { id: ALICE, type: 'private' }, date: 1, text: 'x' } });
    await alice.sendRaw({ write_access_allowed: { from_request: true } });
    await until(() => logged('update').filter((r) => r.kind === 'service' && r.user === ALICE).length === 2, 'two service updates');
    await alice.sendRaw({ sticker: { file_id: 's', file_unique_id: 'us', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } });
    const reply = await alice.waitForMessage(() => true, 'the sticker reply', before);
    expect(reply.plain).toContain('this sticker was not saved');
    expect(alice.messages().slice(before).map((m) => m.plain)).toEqual([reply.plain]);
  });
});

describe('an allowlist file that cannot be read', () => {
  it('refuses its users with the fixed refusal, tells the owner why once, and logs it', async () => {
    await allowUser(h.lab.env.HOMELAB_DATA_HOME, 4242);
    const bob = h.sim.user({ userId: 4242 });
    await bob.send('/pve status 100');
    await bob.waitForMessage(() => true, 'a reply while the file is readable');
    const file = authorizedUsersFile(h.lab.env.HOMELAB_DATA_HOME);
    rmSync(file);
    mkdirSync(file);
    try {
      const owner = h.sim.user({ userId: OWNER });
      const ownerBefore = owner.messages().length;
      const bobBefore = bob.messages().length;
      await bob.send('/pve status 100');
      expect((await bob.waitForMessage(() => true, 'the refusal', bobBefore)).plain).toBe(REFUSAL);
      const told = await owner.waitForMessage((m) => m.plain.includes('cannot read its list of allowed users'), 'the owner notice', ownerBefore);
      expect(told.plain).toContain('4242');
      expect(told.plain).toContain('authorized_users');
      // Users in config.yaml still get in.
      await owner.send('/pve list');
      await owner.waitForMessage((m) => m.plain.includes('homeassistant'), 'pve list', ownerBefore);
      expect(logged('cannot read the allowlist').length).toBeGreaterThanOrEqual(1);
      expect(logged('handler failed')).toEqual([]);
    } finally {
      rmSync(file, { recursive: true });
    }
  });

  it('refuses them too when the file cannot even be looked at, and never tells the owner to allow someone listed', async () => {
    await allowUser(h.lab.env.HOMELAB_DATA_HOME, 4343);
    const carol = h.sim.user({ userId: 4343 });
    await carol.send('/pve status 100');
    await carol.waitForMessage(() => true, 'a reply while the file is readable');
    const file = authorizedUsersFile(h.lab.env.HOMELAB_DATA_HOME);
    const kept = readFileSync(file, 'utf8');
    // A symbolic link to itself: even stat fails (ELOOP), which once read as an empty list.
    rmSync(file);
    symlinkSync(file, file);
    try {
      const owner = h.sim.user({ userId: OWNER });
      const ownerBefore = owner.messages().length;
      const carolBefore = carol.messages().length;
      const unreadable = logged('cannot read the allowlist').length;
      await carol.send('/pve status 100');
      expect((await carol.waitForMessage(() => true, 'the refusal', carolBefore)).plain).toBe(REFUSAL);
      const told = await owner.waitForMessage((m) => m.plain.includes('4343'), 'the owner notice', ownerBefore);
      expect(told.plain).toContain('cannot read its list of allowed users');
      expect(told.plain).not.toContain('telegram allow');
      expect(logged('cannot read the allowlist').length).toBe(unreadable + 1);
      expect(logged('refused a stranger').filter((r) => r.user === 4343)).toEqual([]);
    } finally {
      rmSync(file);
      writeFileSync(file, kept);
    }
  });
});
