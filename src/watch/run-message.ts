/**
 * @module watch/run-message
 * The one message a check run sends. Its notices usually fit one Telegram message; when
 * they do not (hundreds of guests stopped at once), the message names how many there are
 * and lists the most severe ones that fit, pointing to `homelab watch status` for the rest.
 * A run thus always sends one `sendMessage`: it reaches the owner or it does not, and a
 * run that failed never leaves the first parts of a message sent to be sent again.
 */
import type { Notice } from './engine.js';
import { noticeLine, noticesMessage } from './messages.js';
import { TELEGRAM_LIMIT } from './notifier.js';

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

/** The text of one run's notices, at most `limit` characters (a summary past that). */
export function runMessage(notices: readonly Notice[], now: number, limit = TELEGRAM_LIMIT): string {
  const full = noticesMessage(notices, now);
  if (full.length <= limit) return full;
  const header = summaryHeader(notices);
  const ordered = notices.map((n, i) => ({ n, i })).sort((a, b) => rank(a.n) - rank(b.n) || a.i - b.i).map(({ n }) => n);
  const tail = (rest: number): string => `… and ${rest} more: homelab watch status lists every alert`;
  const lines: string[] = [];
  let length = header.length;
  for (const n of ordered) {
    const line = noticeLine(n, now);
    const rest = ordered.length - lines.length - 1;
    // Room for this line, and for the tail naming what is left after it.
    if (length + 1 + line.length + (rest > 0 ? 1 + tail(rest).length : 0) > limit) break;
    lines.push(line);
    length += 1 + line.length;
  }
  const rest = ordered.length - lines.length;
  return [header, ...lines, ...(rest > 0 ? [tail(rest)] : [])].join('\n');
}
