/**
 * @module services/hub/headlines/pbs
 * PBS headline from `pbs status`: backups OK, or the first problem and how many more.
 */
import { z } from 'zod';
import { plural, type Headline, type HeadlineSource } from './types.js';

const status = z.looseObject({
  ok: z.boolean(),
  problems: z.array(z.looseObject({ level: z.enum(['warn', 'bad']), text: z.string() })),
  groups: z.array(z.unknown()).optional(),
});

/** Summarises pbs.status. */
export function summarisePbs(results: ReadonlyMap<string, unknown>): Headline {
  const s = status.safeParse(results.get('pbs.status'));
  if (!s.success) return { text: 'answered', tone: 'ok' };
  const groups = s.data.groups ? `${plural(s.data.groups.length, 'backup group')}, ` : '';
  const bad = s.data.problems.filter((p) => p.level === 'bad');
  const first = bad[0] ?? s.data.problems[0];
  if (!first) return { text: `${groups}backups OK`, tone: 'ok' };
  const more = s.data.problems.length - 1;
  return { text: `${groups}${first.text}${more ? ` (+${more} more)` : ''}`, tone: bad.length ? 'bad' : 'warn' };
}

/** The pbs headline source. */
export const pbsHeadline: HeadlineSource = {
  service: 'pbs',
  calls: [[{ op: 'pbs.status' }]],
  summarise: summarisePbs,
};
