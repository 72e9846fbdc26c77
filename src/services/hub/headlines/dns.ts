/**
 * @module services/hub/headlines/dns
 * DNS headline from `dns stats`: queries in the last hour and the blocked share.
 */
import { z } from 'zod';
import type { Headline, HeadlineSource } from './types.js';

const stats = z.looseObject({
  totalQueries: z.number(),
  blockedFraction: z.number().nullable().optional(),
  totalServerFailure: z.number().nullable().optional(),
  zones: z.number().nullable().optional(),
});

/** Summarises dns.stats. */
export function summariseDns(results: ReadonlyMap<string, unknown>): Headline {
  const s = stats.safeParse(results.get('dns.stats'));
  if (!s.success) return { text: 'answered', tone: 'ok' };
  const blocked = s.data.blockedFraction == null ? '' : `, ${(s.data.blockedFraction * 100).toFixed(1)}% blocked`;
  const zones = s.data.zones == null ? '' : ` · ${s.data.zones} zones`;
  const failures = s.data.totalServerFailure ?? 0;
  const failShare = s.data.totalQueries > 0 ? failures / s.data.totalQueries : 0;
  return {
    text: `${s.data.totalQueries.toLocaleString('en-US')} queries last hour${blocked}${zones}`,
    tone: failShare > 0.05 ? 'warn' : 'ok',
  };
}

/** The dns headline source. */
export const dnsHeadline: HeadlineSource = {
  service: 'dns',
  calls: [[{ op: 'dns.stats' }]],
  summarise: summariseDns,
};
