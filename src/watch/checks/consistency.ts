/**
 * @module watch/checks/consistency
 * The lab's consistency (`homelab check`) as a watch check that alerts on NEW findings
 * only: every finding is an alert under its stable key, announced once when it appears
 * (after the hold time) and never repeated (`repeatMs: 0`); it resolves when fixed. The
 * usual hold, mute and maintenance rules apply. While a service cannot be read the run
 * counts as failed, so the alerts of its unknown rules are kept rather than resolved; its
 * exit code is the most serious failed service's (4 for DNS unreachable, 3 for its config).
 * Each alert's text carries the finding's fix; an alert of a lab other than config.yaml's
 * current one names its lab in it (`fix: homelab --context office pve start 201`), so the line
 * pasted acts where it was found (`CheckRunner.commandLines`).
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
    const wanted = r.findings.filter((f) => !options.ignore.some((i) => f.key === i || f.key.startsWith(`${i}:`)));
    // The fix goes into the alert's text, which no surface rewrites: it names the lab here when a pasted line would run in another.
    return Promise.all(wanted.map(async (f) => ({
      key: `consistency:${f.key}`,
      message: `${f.message} (fix: ${await runner.commandLines(f.fix)})`,
      severity: f.severity === 'error' ? 'critical' as const : 'warning' as const,
    })));
  },
});
