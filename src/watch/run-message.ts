/**
 * @module watch/run-message
 * The messages a check run sends. Its notices usually fit one Telegram message; when
 * they do not (hundreds of guests stopped at once), the first message names how many
 * there are and lists every critical alert (in as many messages as they take), then the
 * other notices that fit, and a last line counting the rest (warnings and resolutions
 * only), pointing to `homelab watch status`. Each message carries the notices it
 * delivers, so the watcher records each as sent once its own message went out: a run
 * failing at its second message leaves the first one's notices sent and the rest due.
 * A notice too long for one message is cut, with a `… (cut)` mark.
 */
import type { Notice } from './engine.js';
import { noticeLine } from './messages.js';
import { TELEGRAM_LIMIT } from './notifier.js';

/** One message of a run and the notices it delivers (listed, or counted in its last line). */
export interface RunPart {
  text: string;
  notices: Notice[];
}

/** The mark ending a notice cut to fit one message. */
export const CUT_MARK = '… (cut)';

/** Critical alerts first, then other alerts, then resolutions; listing order within each. */
function rank(n: Notice): number {
  if (n.kind === 'resolved') return 2;
  return n.severity === 'critical' ? 0 : 1;
}

function summaryHeader(notices: readonly Notice[]): string {
  const count = (kinds: Notice['kind'][]): number => notices.filter((n) => kinds.includes(n.kind)).length;
  const parts = [
    [count(['firing']), 'firing'], [count(['repeat']), 'still firing'], [count(['flapping']), 'flapping'], [count(['resolved']), 'resolved'],
  ].filter(([n]) => Number(n) > 0).map(([n, what]) => `${n} ${what}`);
  const checks = [...new Set(notices.map((n) => n.check))].join(', ');
  return `📣 ${notices.length} alerts of ${checks} at once (${parts.join(', ')}); the most severe:`;
}

const tail = (rest: number): string => `… and ${rest} more: homelab watch status lists every alert`;

/** `line` at most `max` characters: cut, with the mark, when longer (never halving a surrogate pair). */
export function cutLine(line: string, max: number): string {
  if (line.length <= max) return line;
  let end = Math.max(0, max - CUT_MARK.length - 1);
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${line.slice(0, end)} ${CUT_MARK}`;
}

/**
 * The messages for one run's notices, each at most `limit` characters: the plain list
 * when it fits one, else a summary whose last line counts only non-critical notices.
 */
export function runMessage(notices: readonly Notice[], now: number, limit = TELEGRAM_LIMIT): RunPart[] {
  if (!notices.length) return [];
  const plain = notices.map((n) => cutLine(noticeLine(n, now), limit));
  if (plain.join('\n').length <= limit) return [{ text: plain.join('\n'), notices: [...notices] }];
  const header = summaryHeader(notices);
  const ordered = notices.map((n, i) => ({ n, i })).sort((a, b) => rank(a.n) - rank(b.n) || a.i - b.i).map(({ n }) => n);
  const others = ordered.filter((n) => rank(n) > 0).length;
  // Every line fits one message with the header and the longest tail.
  const room = limit - header.length - 1 - (others > 0 ? tail(others).length + 1 : 0);
  const parts: { lines: string[]; notices: Notice[]; length: number }[] = [{ lines: [header], notices: [], length: header.length }];
  let listed = 0;
  for (const n of ordered) {
    const line = cutLine(noticeLine(n, now), room);
    const rest = ordered.length - listed - 1;
    let part = parts[parts.length - 1] as (typeof parts)[number];
    // Room for this line, and for the tail naming what is left after it.
    if (part.length + 1 + line.length + (rest > 0 ? 1 + tail(others).length : 0) > limit) {
      // Only critical alerts go on to another message; the rest is counted.
      if (rank(n) > 0) break;
      part = { lines: [], notices: [], length: -1 };
      parts.push(part);
    }
    part.lines.push(line);
    part.notices.push(n);
    part.length += 1 + line.length;
    listed++;
  }
  const last = parts[parts.length - 1] as (typeof parts)[number];
  const rest = ordered.length - listed;
  if (rest > 0) {
    last.lines.push(tail(rest));
    last.notices.push(...ordered.slice(listed));
  }
  return parts.map((p) => ({ text: p.lines.join('\n'), notices: p.notices }));
}
