/**
 * @module services/proxy/cert-timeline
 * The picture of `proxy certs`: every certificate's expiry on one time axis with today
 * marked, red when it expired or expires within a week, amber within 30 days.
 */
import type { ChartSpec, TimelineItem } from '../../core/chart.js';

/** What the timeline needs of a certificate. */
export interface DatedCertificate {
  name: string;
  expiresOn: string | null;
  daysLeft: number | null;
}

/** Days are rounded up (as `proxy certs` counts them), so 0 (or -0) is a certificate that expired within the last day. */
function note(days: number): string {
  if (days <= 0) return days === 0 ? 'expired today' : `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  return `in ${days} day${days === 1 ? '' : 's'}`;
}

/** The expiry timeline of `certs` (none when no certificate has a date). */
export function certificateTimeline(certs: readonly DatedCertificate[], nowMs = Date.now()): ChartSpec[] {
  const items = certs
    .filter((c): c is DatedCertificate & { expiresOn: string; daysLeft: number } => c.expiresOn !== null && c.daysLeft !== null)
    .map((c): TimelineItem => ({
      label: c.name, at: Math.floor(Date.parse(c.expiresOn) / 1000), note: note(c.daysLeft),
      tone: c.daysLeft <= 7 ? 'bad' : c.daysLeft <= 30 ? 'warn' : 'ok',
    }))
    .sort((a, b) => a.at - b.at);
  if (!items.length) return [];
  const soon = items.filter((i) => i.tone !== 'ok').length;
  return [{
    kind: 'timeline', title: 'Certificate expiry', now: Math.floor(nowMs / 1000), items,
    caption: `When each of the ${items.length} certificates expires, soonest first; ${soon ? `${soon} expire${soon === 1 ? 's' : ''} within 30 days or already expired` : 'none expires within 30 days'}.`,
  }];
}
