/**
 * @module core/render-safe
 * Text from data (a guest's description, a backup's notes, a command line read from a
 * batch) made fit to draw on a terminal: every C0 and C1 control character, DEL and the
 * Unicode controls that reorder or hide text are shown as visible stand-ins, so nothing a
 * service stores can move the cursor, clear the screen or set the window title. C0
 * controls become their Unicode control pictures (ESC is `␛`, BEL `␇`), DEL `␡`, the rest
 * U+FFFD. A table cell is one line: a line break in it shows as `⏎`, a tab as a space.
 * `renderText` draws every cell, title and text block through here; what a surface adds
 * itself (its colours) comes after.
 */
import { textHead } from './text-head.js';

// C0 controls but tab and line feed, DEL, C1 controls, then the bidi overrides and isolates, marks and
// invisible characters that reorder or hide text (joiners stay: emoji sequences are made of them).
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** The visible stand-in of one control character. */
function standIn(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
}

/** Text of several lines for a terminal: line breaks and tabs kept (CR LF read as LF), every other control shown visibly. */
export function terminalText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROLS, standIn);
}

/**
 * One line for a terminal (a table cell, a title, an echoed command): a trailing line break
 * dropped, the others shown as `⏎`, tabs as spaces, every other control shown visibly.
 */
export function terminalLine(text: string): string {
  return text.replace(/[\r\n]+$/, '').replace(/\r?\n/g, '⏎').replace(/\t/g, ' ').replace(CONTROLS, standIn);
}

/** One line for a terminal, at most `max` characters (cut with `…` between graphemes: an emoji kept or dropped whole). */
export function terminalExcerpt(text: string, max: number): string {
  // Cut first (a 300 KB line costs nothing more than a short one), then make it safe.
  const cut = text.length > max ? `${textHead(text, max - 1)}…` : text;
  return terminalLine(cut);
}
