/**
 * @module core/text-head
 * The start of a text cut to a length in UTF-16 units (JavaScript's `length`, and what
 * Telegram counts), cut between graphemes only: an emoji, a flag or a letter with its
 * accents is kept or dropped whole, never cut into a lone surrogate (shown as `�`, and
 * refused by APIs that want UTF-8).
 */

// Made on the first cut, not at load: building a Segmenter loads ICU's break rules (about
// 10 ms), which every command that imports this module would pay at start-up.
let graphemes: Intl.Segmenter | undefined;

/** The graphemes of `text` in order (a letter with its accents, an emoji sequence: one each). */
export function graphemesOf(text: string): Intl.Segments {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return graphemes.segment(text);
}

/** The longest start of `text` of at most `max` UTF-16 units that ends between two graphemes. */
export function textHead(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { index, segment } of graphemesOf(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}
