/**
 * @module services/hub/headlines/updates
 * Updates headline from `updates check`: pending and security updates, reboots, and
 * targets that could not be checked: `unreachable` when not reached (exit 4), else `not checked`
 * (refused credentials, an invalid config section).
 */
import { z } from 'zod';
import type { HomelabConfig } from '../../../core/config.js';
import { isConfigured } from '../../../core/config.js';
import { plural, type Headline, type HeadlineSource } from './types.js';

const report = z.looseObject({
  totals: z.looseObject({ targets: z.number(), failed: z.number(), packages: z.number(), security: z.number(), rebootRequired: z.number() }),
  targets: z.array(z.looseObject({ name: z.string(), ok: z.boolean(), counts: z.looseObject({ total: z.number() }), error: z.looseObject({ exitCode: z.number() }).nullish() })),
});

/** Summarises updates.check. */
export function summariseUpdates(results: ReadonlyMap<string, unknown>): Headline {
  const r = report.safeParse(results.get('updates.check'));
  if (!r.success) return { text: 'answered', tone: 'ok' };
  const t = r.data.totals;
  const parts = [`${t.packages} pending${t.security ? ` (${t.security} security)` : ''} on ${plural(t.targets - t.failed, 'target')}`];
  if (t.rebootRequired) parts.push(`${t.rebootRequired} need${t.rebootRequired === 1 ? 's' : ''} a reboot`);
  const failed = r.data.targets.filter((x) => !x.ok);
  // Only a target not reached (exit 4) is "unreachable"; one refused (a wrong token) or misconfigured was not checked.
  const unreachable = failed.filter((x) => (x.error?.exitCode ?? 4) === 4).map((x) => x.name);
  const unchecked = failed.filter((x) => (x.error?.exitCode ?? 4) !== 4).map((x) => x.name);
  if (unreachable.length) parts.push(`unreachable: ${unreachable.join(', ')}`);
  if (unchecked.length) parts.push(`not checked: ${unchecked.join(', ')}`);
  return { text: parts.join(' · '), tone: failed.length || t.security ? 'warn' : 'ok' };
}

/** The updates headline source: configured when there are SSH targets or PVE nodes to check. */
export const updatesHeadline: HeadlineSource = {
  service: 'updates',
  calls: [[{ op: 'updates.check' }]],
  configured: (config: HomelabConfig) => config.ssh.targets.length > 0 || isConfigured(config, 'pve'),
  summarise: summariseUpdates,
};
