import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type RunningLab } from '../../../src/lab/lab.js';
import { cleanName, formatEntry, parseInbox } from '../../../src/services/telegram/inbox.js';
import { telegramSend } from '../../../src/services/telegram/operations-send.js';
import { textHead } from '../../../src/core/text-head.js';
import { pingHost } from '../../../src/surfaces/telegram/ping.js';
import { runCli } from '../../helpers/cli.js';

/** A UTF-16 unit of a surrogate pair standing alone (shown as �, refused as UTF-8). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const SMILE = '😀';
const FAMILY = '👨‍👩‍👧';

describe('text cut to a length', () => {
  it('keeps or drops an emoji whole, and a ZWJ sequence whole', () => {
    expect(textHead(`${'a'.repeat(59)}${SMILE} tail`, 60)).toBe('a'.repeat(59));
    expect(textHead(`${'a'.repeat(58)}${SMILE} tail`, 60)).toBe(`${'a'.repeat(58)}${SMILE}`);
    expect(textHead(`ab${FAMILY}cd`, 6)).toBe('ab');
    expect(textHead('short', 60)).toBe('short');
  });

  it('telegram send asks about its text without cutting an emoji in half', () => {
    const asked = telegramSend.confirm?.({ text: `${'a'.repeat(59)}${SMILE} tail` }) ?? '';
    expect(asked).not.toMatch(LONE_SURROGATE);
    expect(asked).toBe(`Send "${'a'.repeat(59)}…" to the owner chat`);
  });

  it('an inbox name of 63 characters and an emoji is written without half of the emoji', () => {
    const name = `${'x'.repeat(63)}${SMILE}`;
    expect(cleanName(name)).toBe('x'.repeat(63));
    const line = formatEntry({ time: '2026-12-05T22:00:00.000Z', user: { id: 1001, name }, text: 'hello' });
    expect(line).not.toMatch(LONE_SURROGATE);
    expect(parseInbox(line)[0]?.user.name).toBe('x'.repeat(63));
  });

  it('/ping names a long bad host without half of an emoji', () => {
    expect(() => pingHost([`${'a'.repeat(78)}${SMILE}`])).toThrow(/^ping: "a{78} /);
    let said = '';
    try { pingHost([`${'a'.repeat(78)}${SMILE}`]); } catch (err) { said = (err as Error).message; }
    expect(said).not.toMatch(LONE_SURROGATE);
  });
});

describe('homelab bot --console', () => {
  let lab: RunningLab;
  beforeAll(async () => { lab = await startLab({ services: ['pve'] }); });
  afterAll(async () => { await lab?.close(); });

  it('shows the question of /telegram send without a replacement character', async () => {
    const r = await runCli(['bot', '--console'], { ...lab.env }, { input: `/telegram send ${'a'.repeat(59)}${SMILE} tail\ncancel\nexit\n`, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Confirm: Send "${'a'.repeat(59)}…" to the owner chat`);
    expect(r.stdout).not.toContain('\ufffd');
  });
});
