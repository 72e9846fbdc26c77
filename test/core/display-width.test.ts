/**
 * Tables and the spinner measure text in terminal columns, not UTF-16 units: a CJK name
 * takes two columns a character, a letter with a combining accent one, an emoji sequence
 * two; so every column after such a name stays in line, on the terminal and on a phone.
 */
import { describe, expect, it } from 'vitest';
import { displayWidth, headToWidth, padToWidth } from '../../src/core/display-width.js';
import { fields, renderText, table } from '../../src/core/render.js';
import { renderForPhone } from '../../src/surfaces/telegram/phone-render.js';
import { spinner } from '../../src/surfaces/shared/terminal.js';

const CJK = '家庭サーバー監視';
const DECOMPOSED = 'cafe\u0301';

describe('displayWidth', () => {
  it('counts wide characters two, combining marks and joiners none, emoji two, the rest one', () => {
    expect(displayWidth('grafana')).toBe(7);
    expect(displayWidth(CJK)).toBe(16);
    expect(displayWidth(DECOMPOSED)).toBe(4);
    expect(displayWidth('café')).toBe(4);
    expect(displayWidth('🔴 down')).toBe(7);
    expect(displayWidth('👩‍💻')).toBe(2);
    expect(displayWidth('❤️')).toBe(2);
    expect(displayWidth('🇩🇪')).toBe(2);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('x␛[2J⏎')).toBe(6);
  });

  it('counts halfwidth katakana voiced marks a column each, though they extend the grapheme before them', () => {
    expect(displayWidth('ｶﾞｲﾄﾞ')).toBe(5);
    expect(displayWidth('ﾊﾟｽ')).toBe(3);
    expect(headToWidth('ｶﾞｲ', 2)).toBe('ｶﾞ');
  });

  it('pads to columns and cuts between graphemes at a column count', () => {
    expect(padToWidth(CJK, 18)).toBe(`${CJK}  `);
    expect(padToWidth('家', 4, 'right')).toBe('  家');
    expect(headToWidth(CJK, 5)).toBe('家庭');
    expect(headToWidth(`${DECOMPOSED}!`, 4)).toBe(DECOMPOSED);
    expect(headToWidth('ab😀cd', 3)).toBe('ab');
    expect(headToWidth('abcdef', 3)).toBe('abc');
  });
});

describe('tables with wide and combining characters', () => {
  it('keeps every later column in line', () => {
    const out = renderText([table(['id>', 'name', 'type'], [[13, 'beszel-heartbeat', 'push'], [14, CJK, 'http'], [17, DECOMPOSED, 'http']])]).split('\n');
    expect(out).toEqual([
      'ID  NAME              TYPE',
      '13  beszel-heartbeat  push',
      `14  ${CJK}  http`,
      `17  ${DECOMPOSED}              http`,
    ]);
    // The last column starts at the same terminal column on every row.
    expect(new Set(out.map((l) => displayWidth(l.slice(0, l.lastIndexOf('  ') + 2))))).toEqual(new Set([22]));
  });

  it('aligns field names by columns too', () => {
    expect(renderText([fields([[CJK, 'a'], ['id', 'b']])]).split('\n')).toEqual([`${CJK}  a`, `id${' '.repeat(14)}  b`]);
  });

  it('stacks a table on a phone when its CJK text is wider than the phone, though short in code units', () => {
    const name = '家'.repeat(16);
    const blocks = [table(['id>', 'name', 'status'], [[1, name, 'running']])];
    // Counted in code units (16 for the name) the table would fit the phone and stay a table; in columns (32) it does not.
    expect(renderForPhone(blocks).split('\n')).toEqual(['ID  NAME', '  STATUS', ` 1  ${name}`, '  running']);
  });
});

describe('spinner', () => {
  it('cuts a wide-character note to the terminal width in columns, so it never wraps', () => {
    let drawn = '';
    const stream = { isTTY: true, columns: 40, write: (s: string) => { drawn += s; return true; } } as unknown as NodeJS.WriteStream;
    const spin = spinner(stream);
    spin.update(`line 1: kuma add http ${CJK.repeat(3)} http://10.5.0.99/`);
    spin.update('😀'.repeat(30));
    spin.stop();
    const frames = drawn.split('\r\x1b[2K').filter(Boolean);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    for (const f of frames) expect(displayWidth(f)).toBeLessThan(40);
    expect(frames[0]).toBe(`⠋ line 1: kuma add http ${CJK.slice(0, 7)}`);
    expect(frames[1]).not.toContain('\ufffd');
    expect(frames[1]).toBe(`⠙ ${'😀'.repeat(18)}`);
  });
});
