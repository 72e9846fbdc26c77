/**
 * @module services/watch/operations-run
 * `watch run [check]`: what the checks find right now, without alert state and
 * without sending anything (a dry run of the daemon's checks), each within its time limit
 * as the daemon runs it (watch/evaluate). What a check finds is
 * its result; a check that could not run is a failure: the table is still printed and
 * the exit status says it (docs/exit-codes.md).
 */
import { z } from 'zod';
import { deriveContext } from '../../core/context.js';
import { settleParts, toHomelabError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { table, toned } from '../../core/render.js';
import type { Finding } from '../../watch/check.js';
import { CHECK_NAMES } from '../../watch/check-names.js';
import { resolvedChecks } from './resolved.js';

/** One check's result in `watch run`. */
export interface CheckFindings {
  check: string;
  outcome: 'ok' | 'error' | 'skipped';
  detail: string | null;
  /** Why it could not run, as an exit code (4 unreachable or timed out, 5 auth, 3 config, 1 failed); null unless `error`. */
  exitCode: number | null;
  findings: Finding[];
}

/** `watch run [check]`. */
export const watchRun = defineOperation({
  id: 'watch.run',
  summary: 'Run the checks now and show what they find (no alerts sent, no state changed)',
  args: ['check'],
  input: z.object({ check: z.enum(CHECK_NAMES, { error: `must be one of ${CHECK_NAMES.join(', ')}` }).optional().describe('only this check') }),
  risk: 'read',
  examples: ['watch run', 'watch run backups --json'],
  async run(ctx, input): Promise<CheckFindings[]> {
    const [{ createRunner }, { evaluateWithin }] = await Promise.all([import('../../watch/runner.js'), import('../../watch/evaluate.js')]);
    const { resolved } = await resolvedChecks(ctx);
    const wanted = resolved.filter((r) => !input.check || r.check.name === input.check);
    const results = await Promise.all(wanted.map(async (r): Promise<CheckFindings> => {
      if (r.skip) return { check: r.check.name, outcome: 'skipped', detail: r.skip, exitCode: null, findings: [] };
      try {
        const findings = await evaluateWithin(r, (signal) => createRunner(deriveContext(ctx, { signal })), Date.now(), ctx.signal);
        return { check: r.check.name, outcome: 'ok', detail: null, exitCode: null, findings };
      } catch (err) {
        const e = toHomelabError(err);
        return { check: r.check.name, outcome: 'error', detail: e.message, exitCode: e.exitCode, findings: [] };
      }
    }));
    const failures = results.flatMap((r) => (r.outcome === 'error' ? [{ part: r.check, exitCode: r.exitCode ?? 1 }] : []));
    return settleParts('watch run', results, results.length, 'checks', failures);
  },
  render: (results) => [
    table(
      ['check', 'finding', 'severity'],
      results.flatMap((r) => {
        if (r.outcome === 'skipped') return [[r.check, toned(`skipped: ${r.detail ?? ''}`, 'dim'), '']];
        if (r.outcome === 'error') return [[r.check, toned(`could not run: ${r.detail ?? ''}`, 'bad'), '']];
        if (!r.findings.length) return [[r.check, toned('all good', 'ok'), '']];
        return r.findings.map((f) => [r.check, f.group ? `${f.group}: ${f.message}` : f.message, toned(f.severity, f.severity === 'critical' ? 'bad' : 'warn')]);
      }),
    ),
  ],
});
