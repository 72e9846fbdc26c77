import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type RunningLab } from '../../../src/lab/lab.js';
import { appendInbox, readInbox, type InboxEntry } from '../../../src/services/telegram/inbox.js';
import { startTelegramSim, type TelegramSim } from '../../../src/services/telegram/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { writeBotToken } from '../../helpers/bot-token.js';

const OWNER = 1001;
let lab: RunningLab;
let sim: TelegramSim;
let env: Record<string, string>;

function writeToken(token: string): void {
  writeBotToken(lab.env.HOMELAB_CONFIG_HOME, token);
}

beforeAll(async () => {
  [lab, sim] = await Promise.all([startLab({ services: [] }), startTelegramSim()]);
  lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER] } });
  writeToken(sim.token);
  sim.knownChats.add(OWNER);
  env = { ...lab.env };
});
afterAll(async () => { await Promise.all([sim?.close(), lab?.close()]); });

describe('telegram send', () => {
  it('sends its arguments to the owner chat', async () => {
    const before = sim.messagesIn(OWNER).length;
    const result = await runCliJson<{ chatId: number; messageIds: number[] }>(['telegram', 'send', 'backup', 'finished', '<ok>'], env);
    const sent = sim.messagesIn(OWNER).slice(before);
    expect(sent.map((m) => m.plain)).toEqual(['backup finished <ok>']);
    expect(sent[0]?.parseMode).toBeUndefined();
    expect(result).toEqual({ chatId: OWNER, messageIds: [sent[0]?.messageId], characters: 20 });
  });

  it('sends a text that looks like an option after --, instead of showing help', async () => {
    const before = sim.messagesIn(OWNER).length;
    const r = await runCli(['telegram', 'send', '--', '-h'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Usage');
    expect(sim.messagesIn(OWNER).slice(before).map((m) => m.plain)).toEqual(['-h']);
  });

  it('reads stdin when there is no text (cron: cmd | homelab telegram send)', async () => {
    const before = sim.messagesIn(OWNER).length;
    const r = await runCli(['telegram', 'send'], env, { input: 'disk /dev/sda: 91% full\nsecond line\n\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`sent to chat ${OWNER}`);
    expect(sim.messagesIn(OWNER).slice(before).map((m) => m.plain)).toEqual(['disk /dev/sda: 91% full\nsecond line']);
  });

  it('splits long stdin at line boundaries instead of cutting it', async () => {
    const before = sim.messagesIn(OWNER).length;
    const text = Array.from({ length: 300 }, (_, i) => `log line ${i} ${'-'.repeat(20)}`).join('\n');
    const r = await runCli(['telegram', 'send'], env, { input: text });
    expect(r.code).toBe(0);
    const sent = sim.messagesIn(OWNER).slice(before);
    expect(sent.length).toBe(Math.ceil(text.length / 4096));
    expect(sent.map((m) => m.plain).join('\n')).toBe(text);
  });

  it('refuses empty input with exit 2', async () => {
    const r = await runCli(['telegram', 'send'], env, { input: '\n\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to send');
  });

  it('reports a chat Telegram does not know as a config error naming the setting, exit 3', async () => {
    lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: 5555 } });
    try {
      const r = await runCli(['telegram', 'send', 'hi'], env);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('telegram: cannot write to chat 5555, set in telegram.owner_chat_id (Bad Request: chat not found)');
      expect(r.stderr).toContain('set telegram.owner_chat_id to a chat that has started the bot');
    } finally {
      lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER] } });
    }
  });

  it('reports a refused token with exit 5 and never prints it', async () => {
    const wrong = `${sim.token.split(':')[0]}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    writeToken(wrong);
    try {
      const r = await runCli(['telegram', 'send', 'hi'], env);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('bot token refused');
      expect(r.stdout + r.stderr).not.toContain('AAAAAAAAAAAAAAAAAAAA');
    } finally {
      writeToken(sim.token);
    }
  });
});

describe('telegram users, allow, deny', () => {
  it('adds and removes ids in the authorised-users file', async () => {
    expect((await runCliJson<{ changed: boolean }>(['telegram', 'allow', '4242'], env)).changed).toBe(true);
    expect((await runCliJson<{ changed: boolean }>(['telegram', 'allow', '4242'], env)).changed).toBe(false);
    const users = await runCliJson<{ users: { id: number; sources: string[]; owner: boolean }[] }>(['telegram', 'users'], env);
    expect(users.users).toEqual([{ id: OWNER, sources: ['config'], owner: true }, { id: 4242, sources: ['file'], owner: false }]);
    expect((await runCliJson<{ changed: boolean }>(['telegram', 'deny', '4242'], env)).changed).toBe(true);
    expect((await runCliJson<{ users: unknown[] }>(['telegram', 'users'], env)).users).toHaveLength(1);
  });

  it('cannot deny an id listed in config.yaml, and says where it is', async () => {
    const r = await runCli(['telegram', 'deny', String(OWNER)], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('telegram.allowed_users');
  });

  it('refuses the ids Telegram shares between everyone who writes as a group or channel', async () => {
    for (const [id, what] of [['1087968824', 'GroupAnonymousBot'], ['136817688', 'Channel_Bot'], ['777000', "Telegram's service account"]] as const) {
      const r = await runCli(['telegram', 'allow', id, '--yes'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`id ${id} is ${what}`);
      expect(r.stderr).toContain('not one person: it cannot be allowed');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const users = await runCliJson<{ users: { id: number }[] }>(['telegram', 'users'], env);
    expect(users.users.map((u) => u.id)).toEqual([OWNER]);
  });

  it('marks a shared id listed in the file (by hand, or by an earlier version) as never admitted', async () => {
    const file = join(lab.env.HOMELAB_DATA_HOME, 'telegram', 'authorized_users');
    mkdirSync(join(lab.env.HOMELAB_DATA_HOME, 'telegram'), { recursive: true });
    writeFileSync(file, '1087968824\n4343\n');
    try {
      const users = await runCliJson<{ users: { id: number; neverAdmitted?: string }[] }>(['telegram', 'users'], env);
      expect(users.users.find((u) => u.id === 1087968824)?.neverAdmitted).toBe('id 1087968824 is GroupAnonymousBot, the id of every anonymous admin of every group, not one person');
      expect(users.users.find((u) => u.id === 4343)).not.toHaveProperty('neverAdmitted');
      const r = await runCli(['telegram', 'users'], env);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').find((l) => l.includes('1087968824'))).toContain('never admitted: a shared Telegram id');
      expect(r.stdout.split('\n').find((l) => l.includes('4343'))).not.toContain('never admitted');
    } finally {
      writeFileSync(file, '');
    }
  });

  it('refuses a shared id in telegram.allowed_users as a config error, in one line', async () => {
    lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER, 136817688] } });
    try {
      const r = await runCli(['telegram', 'users'], env);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/: telegram\.allowed_users\.1: id 136817688 is Channel_Bot, the id of every message sent as a channel, not one person: it is never admitted; remove it$/)]);
    } finally {
      lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER] } });
    }
  });

  it('refuses an id that is not a user id', async () => {
    const r = await runCli(['telegram', 'allow', '-5'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('positive integer');
  });
});

describe('telegram inbox', () => {
  it('prints the inbox and clears it atomically across processes, losing nothing', async () => {
    const total = 120;
    const entry = (i: number): InboxEntry => ({ time: new Date().toISOString(), user: { id: 7, name: 'Writer' }, text: `entry ${i}\nsecond line ${i}` });
    const cleared: InboxEntry[] = [];
    const writer = (async () => {
      for (let i = 0; i < total; i++) {
        await appendInbox(lab.env.HOMELAB_DATA_HOME, entry(i));
        await new Promise((r) => setImmediate(r));
      }
    })();
    let writing = true;
    void writer.then(() => { writing = false; });
    while (writing) {
      const [a, b] = await Promise.all([
        runCliJson<{ entries: InboxEntry[] }>(['telegram', 'inbox', 'clear'], env),
        runCliJson<{ entries: InboxEntry[] }>(['telegram', 'inbox', 'clear'], env),
      ]);
      cleared.push(...a.entries, ...b.entries);
    }
    await writer;
    const rest = await runCliJson<{ entries: InboxEntry[]; cleared: boolean }>(['telegram', 'inbox'], env);
    expect(rest.cleared).toBe(false);
    const all = [...cleared, ...rest.entries].map((e) => e.text).sort();
    expect(all).toEqual(Array.from({ length: total }, (_, i) => `entry ${i}\nsecond line ${i}`).sort());
    expect(await readInbox(lab.env.HOMELAB_DATA_HOME)).toHaveLength(rest.entries.length);
    // The text view of a known, non-empty inbox: every entry, its lines indented, nothing cleared.
    await appendInbox(lab.env.HOMELAB_DATA_HOME, entry(total));
    const text = await runCli(['telegram', 'inbox'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Writer: entry ${total}\n    second line ${total}`);
    expect(text.stdout.match(/Writer: entry \d+/g)).toHaveLength(rest.entries.length + 1);
    expect(await readInbox(lab.env.HOMELAB_DATA_HOME)).toHaveLength(rest.entries.length + 1);
  });
});
