import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInbox } from '../../../src/services/telegram/inbox.js';
import { OWNER, ALICE, records, startHarness, until, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness({ telegram: { allowed_users: [OWNER, ALICE, 3001, 3002, 3003, 3004, 3005], max_file_mb: 1 } }); });
afterAll(async () => { await h?.stop(); });

const tgDir = () => join(h.lab.env.HOMELAB_DATA_HOME, 'telegram');
const inbox = () => (existsSync(join(tgDir(), 'inbox')) ? parseInbox(readFileSync(join(tgDir(), 'inbox'), 'utf8')) : []);

describe('inbox', () => {
  it('keeps 50 concurrent messages from 5 users, each whole, and acknowledges each', async () => {
    const users = [3001, 3002, 3003, 3004, 3005].map((id) => h.sim.user({ userId: id, userName: `u${id}` }));
    const body = (u: number, i: number) => `message ${i} from ${u}\n${'line two '.repeat(30)}${u}-${i}\nthird line [${u}:${i}] (x, 1): tricky`;
    await Promise.all(users.flatMap((u) => Array.from({ length: 10 }, (_, i) => u.send(body(u.id, i)))));
    await until(() => inbox().length >= 50, '50 inbox entries');
    for (const u of users) await u.waitForMessage(() => u.messages().filter((m) => m.plain.startsWith('📥 Saved to the inbox')).length === 10, `10 acks for ${u.id}`);
    const entries = inbox();
    expect(entries).toHaveLength(50);
    const expected = users.flatMap((u) => Array.from({ length: 10 }, (_, i) => ({ id: u.id, text: body(u.id, i) })));
    expect(entries.map((e) => ({ id: e.user.id, text: e.text })).sort((a, b) => a.text.localeCompare(b.text))).toEqual(expected.sort((a, b) => a.text.localeCompare(b.text)));
    for (const e of entries) expect(e.user.username).toBe(`u${e.user.id}`);
  });
});

describe('media', () => {
  it('saves a photo under images/ with an inbox line pointing at it', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5000, 7)]);
    await owner.sendPhoto(jpeg, { caption: 'rack, front' });
    const ack = await owner.waitForMessage((m) => m.plain.startsWith('📎 Saved'), 'photo ack', before);
    const path = /images\/\S+\.jpg/.exec(ack.plain)?.[0];
    expect(path).toMatch(/^images\/\d{8}-\d{6}-photo\.jpg$/);
    expect(readFileSync(join(tgDir(), path as string))).toEqual(jpeg);
    expect(inbox().find((e) => e.file === path)).toMatchObject({ kind: 'photo', text: 'rack, front', user: { id: OWNER } });
  });

  it('saves documents with hostile names inside files/, never overwriting', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const names = ['../../../../etc/passwd', '..\\..\\boot.ini', '.ssh', 'a/../../b.txt', 'con<>|?*.txt', '../../etc/passwd'];
    const saved: string[] = [];
    for (const [i, name] of names.entries()) {
      const before = owner.messages().length;
      await owner.sendDocument(Buffer.from(`content ${i}`), name);
      const ack = await owner.waitForMessage((m) => m.plain.startsWith('📎 Saved') || m.plain.startsWith('Not saved'), `ack of ${name}`, before);
      const path = /files\/\S+/.exec(ack.plain)?.[0] as string;
      expect(path).toMatch(/^files\/\d{8}-\d{6}-[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(readFileSync(join(tgDir(), path), 'utf8')).toBe(`content ${i}`);
      saved.push(path);
    }
    expect(new Set(saved).size).toBe(names.length);
    expect(saved[0]).toMatch(/-passwd$/);
    expect(saved[5]).toMatch(/-passwd(-\d+)?$/);
    expect(readdirSync(tgDir()).sort()).toEqual(expect.arrayContaining(['files', 'images', 'inbox']));
    expect(existsSync(join(h.lab.env.HOMELAB_DATA_HOME, 'etc'))).toBe(false);
    for (const p of saved) expect(inbox().some((e) => e.file === p && e.kind === 'file')).toBe(true);
  });

  it('refuses a file over the size limit before downloading it', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    const downloads = () => h.sim.state.calls.filter((c) => c.method === 'getFile').length;
    const n = downloads();
    await owner.sendDocument(Buffer.from('small body, big claim'), 'huge.iso', { declaredSize: 5_000_000 });
    const reply = await owner.waitForMessage(() => true, 'size refusal', before);
    expect(reply.plain).toContain('Not saved: the file is 5 MB; the limit is 1 MB');
    expect(downloads()).toBe(n);
    expect(readdirSync(join(tgDir(), 'files')).some((f) => f.includes('huge'))).toBe(false);
  });

  it('cuts off a download that turns out larger than the limit and keeps nothing', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.sendDocument(Buffer.alloc(1_500_000, 1), 'liar.bin', { declaredSize: 100 });
    const reply = await owner.waitForMessage(() => true, 'refusal', before);
    expect(reply.plain).toContain('larger than the limit of 1 MB');
    expect(readdirSync(join(tgDir(), 'files')).filter((f) => f.includes('liar') || f.startsWith('.part'))).toEqual([]);
    expect(records(h.logs).some((r) => r.msg === 'media not saved')).toBe(true);
  });

  it('says what it does not keep', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.sendRaw({ voice: { file_id: 'v1', file_unique_id: 'v1', duration: 3 } });
    const reply = await owner.waitForMessage(() => true, 'reply to voice', before);
    expect(reply.plain).toBe('I keep text, photos and documents; this voice was not saved.');
  });
});
