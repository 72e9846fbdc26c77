/**
 * @module watch/checks/consistency
 * The lab's consistency (`homelab check`) as a watch check that alerts on NEW findings
 * only: every finding is an alert under its stable key, announced once when it appears
 * (after the hold time) and never repeated (`repeatMs: 0`); it resolves when fixed. The
 * usual hold, mute and maintenance rules apply. While a service cannot be read the run
 * counts as failed, so the alerts of its unknown rules are kept rather than resolved; its
 * exit code is the most serious failed service's (4 for DNS unreachable, 3 for its config).
 */
import { z } from 'zod';
import { ExitCode, OperationError, worstExitCode } from '../../core/errors.js';
import { defineCheck, type Finding } from '../check.js';

const resultSchema = z.object({
  findings: z.array(z.object({ key: z.string(), severity: z.enum(['error', 'warning']), message: z.string(), fix: z.string() }).loose()),
  services: z.array(z.object({ service: z.string(), state: z.string(), detail: z.string().nullable(), exitCode: z.number().nullable().optional() }).loose()),
}).loose();

/** `consistency`: new inconsistencies between the services. */
export const consistencyCheck = defineCheck({
  name: 'consistency',
  summary: 'A new inconsistency between the services (homelab check): DNS, proxy, monitors, certificates, backups, Beszel against PVE',
  operations: ['check'],
  services: ['pve'],
  schedule: '17 * * * *',
  repeatMs: 0,
  timeoutMs: 120_000,
  options: z.object({
    /** Finding keys (`proxy-without-monitor:notes.home.lan`) or kinds (`stale-record`) never to alert on. */
    ignore: z.array(z.string()).default([]),
  }),
  async evaluate(runner, options): Promise<Finding[]> {
    // Error findings make `check` fail with its result attached (exit 1): that is a result here.
    const raw = await runner.run('check').catch((err: unknown) => {
      if (err instanceof OperationError && err.result !== undefined) return err.result;
      throw err;
    });
    const r = resultSchema.parse(raw);
    const failed = r.services.filter((s) => s.state === 'failed');
    if (failed.length) {
      // The most serious service's code (docs/exit-codes.md), as `homelab check` alone exits.
      const code = worstExitCode(failed.map((s) => s.exitCode ?? ExitCode.failed)) || ExitCode.failed;
      throw new OperationError(`could not read ${failed.map((s) => `${s.service} (${s.detail ?? 'error'})`).join(', ')}`, undefined, undefined, undefined, code);
    }
    return r.findings
      .filter((f) => !options.ignore.some((i) => f.key === i || f.key.startsWith(`${i}:`)))
      .map((f) => ({ key: `consistency:${f.key}`, message: `${f.message} (fix: ${f.fix})`, severity: f.severity === 'error' ? 'critical' as const : 'warning' as const }));
  },
});
