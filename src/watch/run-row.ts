/**
 * @module watch/run-row
 * A check's last run as `watch.sqlite` stores it (the `runs` table), read without trusting
 * the cells: the file may be damaged, or edited. A run whose findings cell is not a list of
 * findings, or whose outcome is not one homelab writes, reads as a failed run whose detail
 * names the file, so `watch status` and the digest show it instead of failing; the check's
 * next run writes the row again.
 */
import { z } from 'zod';
import type { Finding } from './check.js';

/** A row of the `runs` table, as SQLite returns it. */
export interface RawRun {
  check_name: string;
  time: number;
  outcome: string;
  detail: string | null;
  findings: string;
}

/** A check's last run. */
export interface CheckRun {
  check: string;
  time: number;
  outcome: 'ok' | 'error' | 'skipped';
  detail: string | null;
  findings: Finding[];
}

const OUTCOME = z.enum(['ok', 'error', 'skipped']);

const FINDINGS: z.ZodType<Finding[]> = z.array(
  z.object({ key: z.string(), message: z.string(), severity: z.enum(['warning', 'critical']), group: z.string().optional() }).transform(
    ({ group, ...f }): Finding => (group === undefined ? f : { ...f, group }),
  ),
);

/** The findings a cell holds; undefined when it holds no list of findings (not JSON, or another shape). */
function findingsOf(cell: string): Finding[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(cell);
  } catch {
    return undefined;
  }
  const findings = FINDINGS.safeParse(value);
  return findings.success ? findings.data : undefined;
}

/** The run a row of `file`'s `runs` table holds; a damaged row reads as a failed run saying so. */
export function toRun(r: RawRun, file: string): CheckRun {
  const outcome = OUTCOME.safeParse(r.outcome);
  const findings = findingsOf(r.findings);
  const run = { check: r.check_name, time: r.time };
  if (!outcome.success) return { ...run, outcome: 'error', detail: `its last run in ${file} has an outcome homelab does not write (${JSON.stringify(r.outcome)}); its next run replaces it`, findings: [] };
  if (!findings) return { ...run, outcome: 'error', detail: `its last run's findings in ${file} are damaged; its next run replaces them`, findings: [] };
  return { ...run, outcome: outcome.data, detail: r.detail, findings };
}
