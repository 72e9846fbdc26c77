/**
 * @module watch/checks/certs
 * Certificates expiring within N days: every Nginx Proxy Manager certificate
 * (`proxy certs`), and the certificates Uptime Kuma sees on the sites it monitors
 * (`kuma status`) unless an NPM certificate already covers that host (one cause, one
 * alert). Either source alone is enough; an unconfigured one is left out. Kuma rounds its
 * days to the nearest, so only its negative counts are expired (core/cert-expiry).
 */
import { z } from 'zod';
import { defineCheck, type CheckRunner, type Finding } from '../check.js';
import { covers } from '../../core/cert-names.js';
import { expiryWords } from '../../core/cert-expiry.js';

const proxyCertsSchema = z.array(z.object({ id: z.number(), name: z.string(), provider: z.string(), expiresOn: z.string().nullable(), daysLeft: z.number().nullable(), domains: z.array(z.string()), usedBy: z.array(z.string()) }).loose());
const kumaSchema = z.object({ monitors: z.array(z.object({ name: z.string(), url: z.string().nullable(), hostname: z.string().nullable(), certDaysLeft: z.number().nullable() }).loose()) }).loose();

const usable = async (runner: CheckRunner, op: string, service: string): Promise<boolean> => runner.configured(service) && (await runner.has(op));

/** `certs`: certificates expiring soon (NPM, Kuma). */
export const certsCheck = defineCheck({
  name: 'certs',
  summary: 'A certificate (Nginx Proxy Manager, or a site Kuma monitors) expires within the set days',
  operations: [],
  services: ['proxy', 'kuma'],
  schedule: '0 */6 * * *',
  holdMs: 0,
  repeatMs: 86_400_000,
  options: z.object({
    /** Alert this many days before expiry. */
    days: z.number().int().min(1).max(365).default(14),
    /** Critical at or below this many days. */
    critical_days: z.number().int().min(0).max(365).default(3),
  }),
  async evaluate(runner, options): Promise<Finding[]> {
    const out: Finding[] = [];
    const severity = (days: number): Finding['severity'] => (days <= options.critical_days ? 'critical' : 'warning');
    const npmDomains: string[] = [];
    if (await usable(runner, 'proxy.certs', 'proxy')) {
      for (const c of proxyCertsSchema.parse(await runner.run('proxy.certs'))) {
        npmDomains.push(...c.domains);
        if (c.daysLeft === null || c.daysLeft > options.days) continue;
        const used = c.usedBy.length ? `, used by ${c.usedBy.join(', ')}` : '';
        out.push({ key: `certs:proxy:${c.id}`, message: `certificate ${c.name} (${c.provider}) ${expiryWords(c.daysLeft)}${c.expiresOn ? ` (${c.expiresOn.slice(0, 10)})` : ''}${used}`, severity: severity(c.daysLeft) });
      }
    }
    if (await usable(runner, 'kuma.status', 'kuma')) {
      for (const m of kumaSchema.parse(await runner.run('kuma.status', { certWarnDays: options.days })).monitors) {
        if (m.certDaysLeft === null || m.certDaysLeft > options.days) continue;
        const host = m.hostname ?? (m.url ? safeHost(m.url) : null);
        if (host && npmDomains.some((d) => covers(d, host))) continue;
        out.push({ key: `certs:kuma:${m.name}`, message: `certificate of ${host ?? m.name} (monitor ${m.name}) ${expiryWords(m.certDaysLeft, m.certDaysLeft < 0)}`, severity: severity(m.certDaysLeft) });
      }
    }
    return out;
  },
});

function safeHost(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}
