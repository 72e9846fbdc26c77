/**
 * @module services/hub/headlines/proxy
 * Proxy headline from `proxy list`: hosts online of enabled, and the soonest
 * certificate expiry when it is within two weeks.
 */
import { z } from 'zod';
import type { Headline, HeadlineSource } from './types.js';

const hosts = z.array(z.looseObject({
  domains: z.array(z.string()),
  enabled: z.boolean(),
  online: z.boolean().nullable(),
  certificate: z.looseObject({ daysLeft: z.number().nullable().optional() }).nullable().optional(),
}));

/** Summarises proxy.list. */
export function summariseProxy(results: ReadonlyMap<string, unknown>): Headline {
  const h = hosts.safeParse(results.get('proxy.list'));
  if (!h.success) return { text: 'answered', tone: 'ok' };
  const enabled = h.data.filter((x) => x.enabled);
  const offline = enabled.filter((x) => x.online === false);
  const online = enabled.filter((x) => x.online !== false).length;
  const parts = [`${online}/${enabled.length} hosts online`];
  let tone: Headline['tone'] = offline.length ? 'bad' : 'ok';
  const expiring = enabled
    .filter((x) => typeof x.certificate?.daysLeft === 'number' && x.certificate.daysLeft <= 14)
    .sort((a, b) => (a.certificate?.daysLeft ?? 0) - (b.certificate?.daysLeft ?? 0));
  const soonest = expiring[0];
  if (soonest) {
    const days = soonest.certificate?.daysLeft ?? 0;
    parts.push(`certificate of ${soonest.domains[0] ?? '?'} ${days <= 0 ? 'expired' : `expires in ${days} d`}${expiring.length > 1 ? ` (+${expiring.length - 1})` : ''}`);
    if (tone === 'ok') tone = days <= 0 ? 'bad' : 'warn';
  }
  return { text: parts.join(' · '), tone };
}

/** The proxy headline source. */
export const proxyHeadline: HeadlineSource = {
  service: 'proxy',
  calls: [[{ op: 'proxy.list' }]],
  summarise: summariseProxy,
};
