/**
 * @module services/hub/headlines/beszel
 * Beszel headline from `beszel systems`: systems down, and disks over 90 %.
 */
import { z } from 'zod';
import type { Headline, HeadlineSource } from './types.js';

const systems = z.array(z.looseObject({ name: z.string(), status: z.string(), diskPercent: z.number().nullable().optional() }));

/** Summarises beszel.systems. */
export function summariseBeszel(results: ReadonlyMap<string, unknown>): Headline {
  const s = systems.safeParse(results.get('beszel.systems'));
  if (!s.success) return { text: 'answered', tone: 'ok' };
  const watched = s.data.filter((x) => x.status !== 'paused');
  const down = watched.filter((x) => x.status === 'down').map((x) => x.name);
  const full = watched.filter((x) => (x.diskPercent ?? 0) >= 90).map((x) => `${x.name} ${(x.diskPercent ?? 0).toFixed(0)}%`);
  const parts = [down.length ? `${down.length} of ${watched.length} systems down (${down.join(', ')})` : `${watched.length} systems up`];
  if (full.length) parts.push(`disk full: ${full.join(', ')}`);
  return { text: parts.join(' · '), tone: down.length ? 'bad' : full.length ? 'warn' : 'ok' };
}

/** The beszel headline source. */
export const beszelHeadline: HeadlineSource = {
  service: 'beszel',
  calls: [[{ op: 'beszel.systems' }]],
  summarise: summariseBeszel,
};
