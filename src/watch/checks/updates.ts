/**
 * @module watch/checks/updates
 * Pending package updates, from `updates check`, for the daily digest (never one
 * message per package): one line per target, security updates listed apart, a
 * pending reboot noted, and targets that could not be checked.
 */
import { z } from 'zod';
import { isConfigured } from '../../core/config.js';
import { defineCheck, type Finding } from '../check.js';

const reportSchema = z.object({
  targets: z.array(z.object({
    name: z.string(),
    ok: z.boolean(),
    packages: z.array(z.object({ name: z.string(), security: z.boolean().nullable() }).loose()),
    counts: z.object({ total: z.number(), security: z.number() }).loose(),
    rebootRequired: z.boolean().nullable(),
    error: z.object({ message: z.string() }).loose().nullable(),
  }).loose()),
}).loose();

/** Lists at most `max` names, then "+N more". */
export function nameList(names: readonly string[], max = 8): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} +${names.length - max} more`;
}

/** `updates`: pending and security updates per target, for the digest. */
export const updatesCheck = defineCheck({
  name: 'updates',
  summary: 'Pending updates per target, security updates apart (daily digest, no alerts)',
  operations: ['updates.check'],
  services: ['pve'],
  configured: (config) => isConfigured(config, 'pve') || config.ssh.targets.length > 0,
  timeoutMs: 300_000,
  schedule: '30 7 * * *',
  kind: 'digest',
  options: z.object({}),
  async evaluate(runner): Promise<Finding[]> {
    const report = reportSchema.parse(await runner.run('updates.check'));
    const out: Finding[] = [];
    for (const t of report.targets) {
      if (!t.ok) {
        out.push({ key: `updates:error:${t.name}`, group: 'not checked', message: `${t.name}: ${t.error?.message ?? 'could not be checked'}`, severity: 'warning' });
        continue;
      }
      const reboot = t.rebootRequired ? ', reboot required' : '';
      const security = t.packages.filter((p) => p.security === true).map((p) => p.name);
      if (security.length) {
        out.push({ key: `updates:security:${t.name}`, group: 'security', message: `${t.name}: ${security.length} (${nameList(security)})${reboot}`, severity: 'critical' });
      }
      const other = t.counts.total - security.length;
      if (other > 0 || (t.rebootRequired && !security.length)) {
        out.push({ key: `updates:pending:${t.name}`, group: 'pending', message: `${t.name}: ${other} ${other === 1 ? 'package' : 'packages'}${security.length ? ' besides security' : ''}${security.length ? '' : reboot}`, severity: 'warning' });
      }
    }
    return out;
  },
});
