/**
 * The bot words its own text for the chat (`homelab pve list` → `/pve list`), never the data it
 * shows: a monitor named `homelab dns`, an inbox note, a guest's description come back exactly
 * as they are, and a table keeps its alignment. Only what an operation marks as its command line
 * (`/check`'s fix lines: cli-words.test.ts) and a table's empty note are reworded, after
 * redaction. Through telegram-test-api and the lab's PVE and Kuma simulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../src/core/redact.js';
import { commandText, renderText, table, text, fields } from '../../../src/core/render.js';
import { getRegistry } from '../../../src/services/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { SentMessage } from '../../../src/services/telegram/sim/index.js';
import { blocksForBot, botTextFor } from '../../../src/surfaces/telegram/bot-text.js';
import { errorHtml } from '../../../src/surfaces/telegram/errors.js';
import { ApiError, UsageError } from '../../../src/core/errors.js';
import { OWNER, startHarness, type Harness, sendAsOwner } from './harness.js';

const forBot = botTextFor(getRegistry());

describe("a result's blocks on the bot", () => {
  it('rewords only cells and text marked as command lines, and empty notes; data stays', () => {
    const shown = renderText(blocksForBot([
      table(['id>', 'name'], [[14, 'homelab dns'], [15, { text: 'homelab pve start 201', command: true }]]),
      table(['name'], [], { empty: 'none yet: homelab expose <name> <target> makes one' }),
      fields([['description', 'homelab status page'], ['fix', { text: 'homelab pve list', command: true }]]),
      text('remember: homelab pve list showed 3 guests'),
      commandText('    fix: homelab pve start 201'),
    ], forBot));
    expect(shown.split('\n')).toEqual([
      'ID  NAME',
      '14  homelab dns',
      '15  /pve start 201',
      '',
      'none yet: /expose <name> <target> makes one',
      '',
      'description  homelab status page',
      'fix          /pve list',
      '',
      'remember: homelab pve list showed 3 guests',
      '    fix: /pve start 201',
    ]);
  });

  it('redacts a marked line before rewording it, so no part of a secret escapes', () => {
    registerSecret('s3cr3t homelab pve list');
    const shown = renderText(blocksForBot([commandText('fix: homelab pve start 201, with s3cr3t homelab pve list')], forBot));
    expect(shown).toBe('fix: /pve start 201, with ***');
    expect(shown).not.toContain('s3cr3t');
  });
});

describe('an error on the bot', () => {
  it("rewords homelab's own message and hint, not a value it quotes", () => {
    const ours = errorHtml(new UsageError('no monitor named "homelab dns backup" in this lab', 'homelab kuma list shows them'), { forBot });
    expect(ours).toBe('⚠️ no monitor named &quot;homelab dns backup&quot; in this lab\n<i>/kuma list shows them</i>');
  });

  it("shows a service's answer as it is", () => {
    const theirs = errorHtml(new ApiError('kuma', 400, 'monitor homelab dns already exists'), { forBot });
    expect(theirs).toBe('⚠️ kuma: monitor homelab dns already exists');
  });
});

describe('data on the bot', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ services: ['pve', 'kuma'] }); });
  afterAll(async () => { await h?.stop(); });

  const send = (text: string, match: (m: SentMessage) => boolean, what: string): Promise<SentMessage> => sendAsOwner(h, text, match, what);

  it('a monitor named "homelab dns" is listed by its name, its row aligned', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const q = await send('/kuma add ping "homelab dns" 10.5.0.53', (m) => Boolean(m.buttons) || m.plain.includes('⚠️'), 'the question');
    expect(q.buttons, q.plain).toBeDefined();
    const before = owner.messages().length;
    await owner.tap(q, '✅ Confirm');
    const added = await owner.waitForMessage((m) => m.plain.startsWith('added'), 'the outcome', before, 20_000);
    expect(added.plain).toMatch(/^added +homelab dns \(id \d+\)/);
    const list = await send('/kuma list', (m) => m.plain.includes('NAME'), 'the list');
    const lines = list.plain.split('\n');
    const header = lines.find((l) => l.includes('NAME')) ?? '';
    const row = lines.find((l) => l.includes('homelab dns'));
    expect(row, list.plain).toBeDefined();
    expect(row?.indexOf('homelab dns')).toBe(header.indexOf('NAME'));
    expect(list.plain).not.toMatch(/(^|\s)\/dns\b/);
  });

  it('an inbox note comes back as it was written', async () => {
    const note = 'remember: homelab pve list showed 3 guests; ask about homelab lab setup';
    await send(note, (m) => m.plain.includes('Saved to the inbox'), 'the note saved');
    const inbox = await send('/telegram inbox', (m) => m.plain.includes('remember:'), 'the inbox');
    expect(inbox.plain).toContain(`: ${note}`);
  });

  it("a guest's description is shown as it is", async () => {
    const guest = (h.lab.sims.get('pve') as PveSim).state.guests.get(201);
    if (!guest) throw new Error('no guest 201');
    guest.config.description = 'homelab status page';
    try {
      const config = await send('/pve config 201', (m) => m.plain.includes('description'), 'the config');
      expect(config.plain).toMatch(/^description +homelab status page$/m);
    } finally {
      delete guest.config.description;
    }
  });
});

describe('names inside command lines homelab wrote', () => {
  it('are quoted by the finding, so the bot rewords the command and never the name', () => {
    const blocks = blocksForBot([commandText('restart the agent; homelab beszel system "homelab dns" shows its last report')], forBot);
    expect(renderText(blocks)).toBe('restart the agent; /beszel system "homelab dns" shows its last report');
  });

  it('quoted for a shell (single quotes), are never reworded either; an apostrophe in prose quotes nothing', () => {
    const fix = "homelab kuma resume 'it'\\''s, homelab pve destroy 100' (or homelab apply, for an app in lab.yaml; homelab expose web … does it too)";
    expect(renderText(blocksForBot([commandText(fix)], forBot)))
      .toBe("/kuma resume 'it'\\''s, homelab pve destroy 100' (or /apply, for an app in lab.yaml; /expose web … does it too)");
    expect(forBot("Beszel's agent: homelab beszel system 'a; homelab pve stop 100' shows its last report, homelab's own"))
      .toBe("Beszel's agent: /beszel system 'a; homelab pve stop 100' shows its last report, homelab's own");
  });
});

describe('doctor on the bot', () => {
  it('says its fixes in the bot\'s terms, marking what only the command line has', async () => {
    const { renderDoctor } = await import('../../../src/services/setup/doctor/operation.js');
    const report = { checks: [{ area: 'config', name: 'pve', status: 'fail' as const, detail: 'not configured', fix: 'homelab init' }, { area: 'pve', name: 'login', status: 'warn' as const, detail: 'slow', fix: 'homelab pve nodes shows them' }], counts: { pass: 0, warn: 1, fail: 1, skip: 0 } };
    const shown = renderText(blocksForBot(renderDoctor(report as Parameters<typeof renderDoctor>[0]), forBot));
    expect(shown).toContain('fix: on the CLI: homelab init');
    expect(shown).toContain('fix: /pve nodes shows them');
  });
});
