/**
 * @module services/hub/headlines/kuma
 * Uptime Kuma headline from `kuma status` (or `kuma list`): monitors down of total.
 */
import { z } from 'zod';
import type { Headline, HeadlineSource } from './types.js';

const monitor = z.looseObject({ name: z.string(), status: z.string() });
const monitors = z.union([z.array(monitor), z.looseObject({ monitors: z.array(monitor) }).transform((v) => v.monitors)]);

/** Summarises kuma.status or kuma.list, whichever ran. */
export function summariseKuma(results: ReadonlyMap<string, unknown>): Headline {
  const m = monitors.safeParse(results.get('kuma.status') ?? results.get('kuma.list'));
  if (!m.success) return { text: 'unexpected answer from kuma (no monitor list)', tone: 'bad' };
  const down = m.data.filter((x) => x.status === 'down').map((x) => x.name);
  const pending = m.data.filter((x) => x.status === 'pending').length;
  const text = down.length
    ? `${down.length} of ${m.data.length} monitors down (${down.join(', ')})`
    : `${m.data.length} monitors, none down`;
  return { text: pending ? `${text} · ${pending} pending` : text, tone: down.length ? 'bad' : pending ? 'warn' : 'ok' };
}

/** The kuma headline source. */
export const kumaHeadline: HeadlineSource = {
  service: 'kuma',
  calls: [[{ op: 'kuma.status' }, { op: 'kuma.list' }]],
  summarise: summariseKuma,
};
