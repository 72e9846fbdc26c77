import { describe, expect, it } from 'vitest';
import { splitText } from '../../../src/services/telegram/split.js';
import { parseTelegramHtml } from '../../../src/services/telegram/sim/html.js';

describe('splitText', () => {
  it('splits a 10,000-character text at line boundaries into chunks that rejoin to the original', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(3, '0')} ${'abcdefghij'.repeat(4)}${'x'.repeat(i % 9)}`);
    const text = lines.join('\n').slice(0, 10_000);
    const chunks = splitText(text);
    expect(chunks.length).toBe(3);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(4096);
    expect(chunks.join('\n')).toBe(text);
    for (const c of chunks.slice(0, -1)) expect(text.includes(`${c}\n`)).toBe(true);
  });

  it('cuts a line longer than the limit without splitting a surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(5)}`;
    const chunks = splitText(text, 10);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(10);
    expect(chunks[0]).toBe('a'.repeat(9));
  });

  it('never returns an empty chunk for text with blank lines at a boundary', () => {
    const chunks = splitText(`${'x'.repeat(10)}\n\n\n${'y'.repeat(3)}`, 10);
    expect(chunks).toEqual(['x'.repeat(10), '\n\nyyy']);
  });
});

describe('Telegram HTML (simulator check)', () => {
  it('accepts escaped text and the supported tags', () => {
    expect(parseTelegramHtml('<pre>a &lt;b&gt; &amp; &quot;c&quot;</pre>')).toEqual({ ok: true, text: 'a <b> & "c"' });
  });
  it.each(['a < b', 'AT&T', '<div>x</div>', '<b>unclosed', '<b><i>x</b></i>', 'x > y'])('refuses %j', (html) => {
    expect(parseTelegramHtml(html).ok).toBe(false);
  });
});
