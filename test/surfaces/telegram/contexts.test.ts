/**
 * The bot over two labs (telegram-test-api behind our simulator): one bot (its token and
 * allowlist shared), commands run in the bot's own context unless they name another with
 * `--context` as on the CLI; a confirmed change goes to the lab it named, and its audit row
 * records that context; an unknown context is refused with the known names; free text goes
 * to the inbox of the bot's own context.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/store.js';
import { startTelegramSim, type TelegramSim } from '../../../src/services/telegram/sim/index.js';
import { startBot, type RunningBot } from '../../../src/surfaces/telegram/bot.js';
import { createLogger } from '../../../src/surfaces/telegram/log.js';
import { OFFICE_EXTRA_GUESTS, startTwoLabs, type TwoLabs } from '../../helpers/two-labs.js';
import { OWNER } from './harness.js';
import { writeBotToken } from '../../helpers/bot-token.js';

let labs: TwoLabs;
let sim: TelegramSim;
let bot: RunningBot;
beforeAll(async () => {
  [labs, sim] = await Promise.all([startTwoLabs(['pve']), startTelegramSim()]);
  labs.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER] } });
  writeBotToken(labs.env.HOMELAB_CONFIG_HOME, sim.token);
  sim.knownChats.add(OWNER);
  bot = await startBot({ env: { ...labs.env, PATH: process.env.PATH }, logger: createLogger(() => undefined, 'error') });
});
afterAll(async () => {
  await bot?.stop();
  await Promise.all([sim?.close(), labs?.close()]);
});

async function ask(text: string) {
  const owner = sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(text);
  return owner.waitForMessage(() => true, `reply to ${text}`, before);
}

describe('the bot with two contexts', () => {
  it('runs in its own context, and in the one --context names', async () => {
    // Guest 1000 is one of the office lab's extra guests: the home lab has none such.
    expect(OFFICE_EXTRA_GUESTS).toBeGreaterThan(0);
    expect((await ask('/pve status 1000 --context office')).plain).toContain('scale-1000');
    expect((await ask('/pve status --context=office 1000')).plain).toContain('scale-1000');
    const home = await ask('/pve status 1000');
    expect(home.plain).not.toContain('scale-1000');
    expect(home.plain).toContain('1000');
  });

  it('says in /help how to pick a lab, and which ones there are', async () => {
    const help = (await ask('/help')).plain;
    expect(help).toContain('Commands run in default unless they name another with --context <name>');
    expect(help).toContain('/pve list --context office');
    expect(help).toContain('Labs: default, office');
  });

  it("names the run's lab in the commands its reply suggests", async () => {
    const office = await ask('/pve status 99999 --context office');
    expect(office.plain).toContain('/pve list --context office');
    const home = await ask('/pve status 99999');
    expect(home.plain).toContain('/pve list');
    expect(home.plain).not.toContain('--context');
  });

  it("names the lab in a change's failed preview and in a refusal, as in a read's error", async () => {
    // The confirmation's preview reads the guest first: it fails before anything is asked.
    const office = await ask('/pve destroy 99999 --context office');
    expect(office.plain).toContain('99999');
    expect(office.plain).toContain('/pve list --context office');
    expect(office.buttons).toBeFalsy();
    // A refusal of its input, before anything runs, points into that lab too.
    const refused = await ask('/expose grafana 10.0.0.5:3000 --cert bogus --context office');
    expect(refused.plain).toContain('see /proxy certs --context office');
    const home = await ask('/pve destroy 99999');
    expect(home.plain).toContain('/pve list');
    expect(home.plain).not.toContain('--context');
  });

  it('refuses an unknown context, naming the known ones, and sends nothing', async () => {
    const before = labs.home.sims.get('pve')?.requests.length;
    const reply = await ask('/pve list --context garage');
    expect(reply.plain).toContain('unknown context "garage": this bot serves default, office');
    expect(reply.plain).toContain('name one of them, as in /pve list --context office');
    // The bot has no /context command: no reply points to one.
    expect(reply.plain).not.toContain('/context');
    const lab = await ask('/audit --lab garage');
    expect(lab.plain).toContain('unknown context "garage"');
    expect(lab.plain).toContain('send /help for the labs this bot serves');
    expect(lab.plain).not.toContain('/context');
    expect((await ask('/pve list --context')).plain).toContain('--context needs a context name');
    expect(labs.home.sims.get('pve')?.requests.length).toBe(before);
  });

  it('asks before a change in another lab, runs it there on Confirm, and audits the context', async () => {
    const owner = sim.user({ userId: OWNER });
    const starts = (lab: 'home' | 'office') => (labs[lab].sims.get('pve')?.requests ?? []).filter((r) => r.method === 'POST' && r.path.endsWith('/201/status/start')).length;
    const before = { home: starts('home'), office: starts('office') };
    const n = owner.messages().length;
    await owner.send('/pve start 201 --context office');
    const q = await owner.waitForMessage((m) => Boolean(m.buttons), 'confirmation', n);
    expect(q.plain).toContain('201');
    await owner.tap(q, '✅ Confirm');
    await owner.waitForMessage((m) => m.plain.includes('start VM 201') && m.plain.includes('OK'), 'task outcome');
    expect(starts('office')).toBe(before.office + 1);
    expect(starts('home')).toBe(before.home);
    const rows = AuditStore.open(labs.env.HOMELAB_DATA_HOME).list({ surface: 'telegram', operation: 'pve.start' });
    expect(rows.at(-1)).toMatchObject({ actor: String(OWNER), context: 'office', outcome: 'ok' });
  });

  it('saves free text to the inbox of its own context', async () => {
    const reply = await ask('the garage door is stuck');
    expect(reply.plain).toContain('Saved to the inbox');
    const inbox = join(labs.env.HOMELAB_DATA_HOME, 'telegram', 'inbox');
    expect(readFileSync(inbox, 'utf8')).toContain('the garage door is stuck');
    expect(existsSync(join(labs.env.HOMELAB_DATA_HOME, 'contexts', 'office', 'telegram', 'inbox'))).toBe(false);
  });
});
