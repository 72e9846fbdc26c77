/**
 * A long plan on Telegram stays within the 4096 characters a message may have (the
 * simulated Bot API refuses more, "message is too long", as Telegram does): the `/apply`
 * confirmation shows the first steps and "… and N more", the progress edited into it keeps
 * the title and the latest steps, and the outcome still arrives. The cutting rules
 * themselves as plain data too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capHead, capTail } from '../../../src/surfaces/telegram/text-cap.js';
import { OWNER, startHarness, until, type Harness } from './harness.js';

const joinedLength = (lines: string[]): number => lines.join('\n').length;

describe('capping lines by characters', () => {
  const lines = Array.from({ length: 60 }, (_, i) => `  ${i + 1}. create  DNS TXT r${i}.home.lan → ${'x'.repeat(100)}`);

  it('keeps the first lines of a preview, then says how many more', () => {
    const capped = capHead(lines, 1000);
    expect(joinedLength(capped)).toBeLessThanOrEqual(1000);
    expect(capped.at(-1)).toBe(`… and ${60 - capped.length + 1} more`);
    expect(capped.slice(0, -1)).toEqual(lines.slice(0, capped.length - 1));
    expect(capHead(lines.slice(0, 3), 1000)).toEqual(lines.slice(0, 3));
    expect(joinedLength(capHead(['y'.repeat(5000)], 1000))).toBeLessThanOrEqual(1000);
  });

  it('counts lines already left out (beyond the 40 a confirmation takes) in its "more"', () => {
    // 39 of 60 passed on, 21 beyond: the marker says how many of the 60 are not shown.
    const capped = capHead(lines.slice(0, 39), 3000, 21);
    expect(joinedLength(capped)).toBeLessThanOrEqual(3000);
    expect(capped.at(-1)).toBe(`… and ${60 - (capped.length - 1)} more`);
    // When the 39 fit, the marker still says the 21 beyond.
    expect(capHead(lines.slice(0, 2), 3000, 21)).toEqual([...lines.slice(0, 2), '… and 21 more']);
  });

  it('keeps the title and the latest lines of a log, then says how many earlier ones were left out', () => {
    const log = ['Lab lab.yaml: 60 records', ...lines];
    const capped = capTail(log, 1000);
    expect(joinedLength(capped)).toBeLessThanOrEqual(1000);
    expect(capped[0]).toBe('Lab lab.yaml: 60 records');
    expect(capped[1]).toBe(`… ${60 - (capped.length - 2)} earlier lines`);
    expect(capped.slice(2)).toEqual(lines.slice(60 - (capped.length - 2)));
    expect(capTail(log.slice(0, 4), 1000)).toEqual(log.slice(0, 4));
  });
});

describe('/apply of a long lab.yaml', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ services: ['pve', 'dns', 'proxy', 'kuma'] }); });
  afterAll(async () => { await h?.stop(); });

  it('confirms, shows progress and ends within 4096 characters per message', async () => {
    const records = Array.from({ length: 30 }, (_, i) => `  - { name: long${i}, type: TXT, value: "${`note ${i} `.repeat(30).trim()}" }`);
    writeFileSync(join(h.lab.env.HOMELAB_CONFIG_HOME, 'homelab', 'lab.yaml'), `records:\n${records.join('\n')}\n`);
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send('/apply');
    const q = await owner.waitForMessage((m) => Boolean(m.buttons), 'the plan to confirm', before, 20_000);
    expect(q.plain.length).toBeLessThanOrEqual(4096);
    expect(q.plain).toMatch(/30 records \(30 to create\)/);
    expect(q.plain).toMatch(/\n… and \d+ more\n/);
    expect(q.plain).toContain('/apply');
    await owner.tap(q, '✅ Confirm');
    const done = await owner.waitForMessage((m) => /30 done, 0 unchanged/.test(m.plain), 'the outcome', before, 60_000);
    await until(() => (/: (finished|failed)/.test(q.plain) ? q : undefined), 'the end of the progress');
    for (const text of [q.plain, ...q.edits.map((e) => e.plain), done.plain]) expect(text.length).toBeLessThanOrEqual(4096);
    expect(q.edits.length).toBeGreaterThan(1);
    expect(q.plain).toMatch(/earlier lines?/);
    expect(h.logs.some((l) => l.includes('too long'))).toBe(false);
  });
});
