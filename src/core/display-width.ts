/**
 * @module core/display-width
 * How many terminal columns text takes, for aligning tables and fitting a line to a
 * terminal's width. JavaScript's `length` counts UTF-16 units: a CJK character is one unit
 * but two columns, a letter with a combining accent two units but one column. Text is
 * measured grapheme by grapheme (as a terminal draws it): a grapheme with nothing visible (a
 * lone combining mark, a joiner) takes no column, an emoji two, anything else its first
 * visible character's East Asian Width (Wide and Fullwidth: two; the rest, Ambiguous too: one),
 * read from Unicode's table by `get-east-asian-width`. The same rules as `string-width`,
 * without its grapheme segmenter made at load (about 10 ms for every command, core/text-head
 * makes one on first use); printable ASCII, most of what a table holds, needs no segmenting.
 * Measures text already made safe (core/render-safe): no control character, no escape code.
 */
import { eastAsianWidth } from 'get-east-asian-width';
import { graphemesOf } from './text-head.js';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// A character that draws something: not a control, a format character, a default-ignorable
// character (joiners, variation selectors) or a combining mark (nonspacing or enclosing).
const VISIBLE = /[^\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Nonspacing_Mark}\p{Enclosing_Mark}\p{Surrogate}]/u;
// Emoji of more than one code point (a flag, a keycap, ❤️ with its emoji selector, a ZWJ
// family): terminals draw them two columns wide even when their first code point is narrow.
// Built on first use (the `v` flag's emoji sequences are a large set).
let rgiEmoji: RegExp | undefined;
const HALFWIDTH_VOICED_MARKS = /[\uFF9E\uFF9F]/g;

/** The columns one grapheme takes. */
function graphemeWidth(grapheme: string): number {
  const start = grapheme.search(VISIBLE);
  if (start === -1) return 0;
  if (grapheme.length > 1) {
    rgiEmoji ??= new RegExp('^\\p{RGI_Emoji}$', 'v');
    if (rgiEmoji.test(grapheme)) return 2;
  }
  // Halfwidth katakana's voiced marks (ｶﾞ, ﾊﾟ) extend the grapheme but take a column of their own.
  const halfwidthMarks = grapheme.length > 1 ? (grapheme.slice(start + 1).match(HALFWIDTH_VOICED_MARKS)?.length ?? 0) : 0;
  return eastAsianWidth(grapheme.codePointAt(start) ?? 0x20) + halfwidthMarks;
}

/** The number of terminal columns `text` takes (one line, already made safe for a terminal). */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemesOf(text)) width += graphemeWidth(segment);
  return width;
}

/** `text` with spaces after it (`align` left) or before it (right) to fill `width` columns. */
export function padToWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** The longest start of `text` that takes at most `columns` columns, cut between graphemes (an emoji or an accented letter kept or dropped whole). */
export function headToWidth(text: string, columns: number): string {
  if (PRINTABLE_ASCII.test(text)) return text.slice(0, Math.max(0, columns));
  let width = 0;
  let end = 0;
  for (const { index, segment } of graphemesOf(text)) {
    width += graphemeWidth(segment);
    if (width > columns) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}
