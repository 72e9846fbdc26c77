/**
 * @module surfaces/telegram/text-cap
 * Telegram refuses a message, or an edit, of more than 4096 visible characters ("Bad
 * Request: message is too long"). A confirmation (a plan's steps) and a progress message
 * (a plan's step log, edited in place) are one message each, so their lines are capped by
 * characters: a confirmation keeps its first lines and says `… and N more`, a progress log
 * keeps its title and its latest lines and says `… N earlier lines`. A command echoed in a
 * message (`shownCommand`) and an error's parts are clipped in the middle, keeping their
 * head and their end. What is capped is the visible text; the caller escapes it into HTML
 * afterwards (escaping changes the HTML's length, not the visible text's).
 */
import { redact } from '../../core/redact.js';
import { htmlToText } from './html.js';

/** Visible characters Telegram allows in one message (text after HTML parsing). */
export const MESSAGE_LIMIT = 4096;

/** Characters kept free below `MESSAGE_LIMIT` by every capped message (errors, confirmations, progress). */
export const MARGIN = 16;

/** The visible length of Telegram HTML (tags removed, entities counted as one character). */
export function visibleLength(html: string): number {
  return htmlToText(html).length;
}

/** Characters of a command echoed in a message at most (the question, its edits, replies). */
export const MAX_COMMAND = 300;

/** Where to cut `text` at or before `at` without splitting a surrogate pair. */
function cutAt(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return at > 0 && code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** `text` cut to at most `max` characters, ending in `…` when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, cutAt(text, Math.max(0, max - 1)))}…`;
}

/** `text` in at most `max` characters: when longer, its first two thirds and its end around a `…`. */
export function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) * 2 / 3);
  const tail = max - 1 - head;
  let from = text.length - tail;
  const first = text.charCodeAt(from);
  if (first >= 0xdc00 && first <= 0xdfff) from++;
  return `${text.slice(0, cutAt(text, head))}…${tail > 0 ? text.slice(from) : ''}`;
}

/**
 * A command as typed, as messages echo it: redacted (a stored secret typed as a value is
 * `***`), then at most `MAX_COMMAND` characters, its head and its end.
 */
export function shownCommand(command: string): string {
  return clipMiddle(redact(command), MAX_COMMAND);
}

const joined = (lines: readonly string[]): number => lines.reduce((n, l) => n + l.length, 0) + Math.max(0, lines.length - 1);

/**
 * The first of `lines` that fit in `budget` characters (joined by newlines), then
 * `… and N more` for the rest; a line longer than the budget is clipped. `beyond`: lines
 * already left out after these (counted in N, so the marker always says how many are hidden).
 * Unchanged when all fit and none are beyond.
 */
export function capHead(lines: readonly string[], budget: number, beyond = 0): string[] {
  const total = lines.length + beyond;
  const more = (shown: number): string => `… and ${total - shown} more`;
  if (joined(beyond ? [...lines, more(lines.length)] : lines) <= budget) return beyond ? [...lines, more(lines.length)] : [...lines];
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const room = budget - used - (kept.length ? 1 : 0) - more(kept.length).length - 1;
    if (line.length > room) {
      if (!kept.length && room > 20) kept.push(clip(line, room));
      return [...kept, more(kept.length)];
    }
    kept.push(line);
    used += line.length + (kept.length > 1 ? 1 : 0);
  }
  return [...kept, more(kept.length)];
}

/**
 * `lines` (a log: its title first, the newest line last) in at most `budget` characters:
 * the title, `… N earlier lines`, then as many of the latest lines as fit (the newest one
 * clipped when even it does not). Unchanged when all fit.
 */
export function capTail(lines: readonly string[], budget: number): string[] {
  if (joined(lines) <= budget) return [...lines];
  const [title = '', ...rest] = lines;
  const head = clip(title, Math.max(20, Math.floor(budget / 4)));
  const marker = (n: number): string => `… ${n} earlier line${n === 1 ? '' : 's'}`;
  const kept: string[] = [];
  let used = head.length + 1 + marker(rest.length).length;
  for (let i = rest.length - 1; i >= 0; i--) {
    const line = rest[i] as string;
    if (used + 1 + line.length > budget) {
      if (!kept.length) kept.unshift(clip(line, Math.max(1, budget - used - 1)));
      break;
    }
    kept.unshift(line);
    used += 1 + line.length;
  }
  const earlier = rest.length - kept.length;
  return earlier > 0 ? [head, marker(earlier), ...kept] : [head, ...kept];
}
