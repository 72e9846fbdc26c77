/**
 * `renderText` draws text from data safely: every control character shown visibly (no
 * cursor movement, screen clearing or window title from a stored value), and every cell
 * one line, so a value with a line break never breaks a table row.
 */
import { describe, expect, it } from 'vitest';
import { fields, renderText, table, text } from '../../src/core/render.js';
import { terminalExcerpt, terminalLine, terminalText } from '../../src/core/render-safe.js';

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
const HOSTILE = 'x\u001b[2J\u001b]0;pwned\u0007y';

describe('renderText with text from data', () => {
  it('shows escape sequences, BEL, DEL, C1 and bidi controls visibly in table cells', () => {
    const out = renderText([table(['id', 'description'], [[113, HOSTILE], [114, 'a\u007fb\u009b2Jc\u202egnp.exe']], { title: `guests\u001b[H` })]);
    expect(out).not.toMatch(CONTROL);
    expect(out.split('\n')).toEqual([
      'guests␛[H',
      'ID   DESCRIPTION',
      '113  x␛[2J␛]0;pwned␇y',
      '114  a␡b\ufffd2Jc\ufffdgnp.exe',
    ]);
  });

  it('keeps a table row on one line when a cell holds line breaks (shown as ⏎), and aligns the next column', () => {
    const out = renderText([table(['backup', 'notes', 'size>'], [['vzdump-1', 'first line\nsecond line\r\nthird\n', '10'], ['vzdump-2', 'short', '200']])]);
    expect(out.split('\n')).toEqual([
      'BACKUP    NOTES                         SIZE',
      'vzdump-1  first line⏎second line⏎third    10',
      'vzdump-2  short                          200',
    ]);
  });

  it('makes field lists and tabs safe too; text blocks keep their lines', () => {
    const out = renderText([fields([['description', HOSTILE], ['tags', 'a\tb']]), text(`line one\n${HOSTILE}\r\nline three`)]);
    expect(out).not.toMatch(CONTROL);
    expect(out.split('\n')).toEqual(['description  x␛[2J␛]0;pwned␇y', 'tags         a b', '', 'line one', 'x␛[2J␛]0;pwned␇y', 'line three']);
  });

  it('leaves ordinary text, emoji with joiners and colours added by the surface alone', () => {
    const paint = (t: string, tone: string | undefined): string => (tone ? `<${tone}>${t}</${tone}>` : t);
    expect(renderText([text('👩‍💻 ünïcode — fine', 'ok')], paint)).toBe('<ok>👩‍💻 ünïcode — fine</ok>');
  });
});

describe('render-safe helpers', () => {
  it('terminalText keeps lines and tabs, terminalLine makes one line, terminalExcerpt cuts first', () => {
    expect(terminalText('a\tb\nc\u001bd')).toBe('a\tb\nc␛d');
    expect(terminalLine('a\tb\nc\u0000')).toBe('a b⏎c␀');
    const cut = terminalExcerpt(`${'x'.repeat(300_000)}\u001b`, 200);
    expect(cut).toHaveLength(200);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('terminalExcerpt cuts between graphemes: an emoji at the cut is kept or dropped whole', () => {
    expect(terminalExcerpt(`${'x'.repeat(8)}😀tail`, 10)).toBe(`${'x'.repeat(8)}…`);
    expect(terminalExcerpt(`${'x'.repeat(8)}😀tail`, 11)).toBe(`${'x'.repeat(8)}😀…`);
  });
});
