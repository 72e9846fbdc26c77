/**
 * @module services/hub/check
 * `homelab check`: the lab's consistency across services. Reads PVE, DNS, the proxy,
 * Kuma, PBS and Beszel at once (`check-gather`), applies the rules (`check-findings`),
 * and reports each finding with its severity, what every service involved says, and the
 * command that fixes it. Exit 1 when any finding is an error; a service that failed
 * makes its rules unknown and the exit code its own (4 unreachable, 5 refused, …).
 */
import { z } from 'zod';
import { OperationError, PartialFailureError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { findAll, type Part } from './check-findings/index.js';
import { gatherLab, type SourceOutcome } from './check-gather.js';
import { renderCheck } from './check-render.js';
import type { CheckResult } from './check-result.js';

export type { CheckResult } from './check-result.js';

const SERVICE_OF: Record<Part, string[]> = {
  zone: ['dns'], guests: ['pve'], knownHosts: ['pve'], records: ['dns'], proxyHosts: ['proxy'], certificates: ['proxy'],
  monitors: ['kuma'], backups: ['pve', 'pbs'], systems: ['beszel'],
};

function because(missing: Part[], sources: SourceOutcome[]): string[] {
  const names = [...new Set(missing.flatMap((p) => SERVICE_OF[p]))];
  return names.flatMap((n) => {
    const s = sources.find((x) => x.service === n);
    if (!s || s.state === 'ok') return [];
    return [s.state === 'skipped' ? `${n} not configured` : `${n} failed: ${s.detail ?? 'error'}`];
  });
}

/** The certificate windows when not given: a warning within 14 days, an error within 3. */
const CERT_WARN_DAYS = 14;
const CERT_ERROR_DAYS = 3;

/**
 * The certificate windows of a run. Given both, they are as given (the input refuses an
 * error window longer than the warning one). Given one, the other follows it: the error
 * window is at most the warning window (`--cert-warn-days 2` errs within 2 days), and the
 * warning window at least the error window (so every error is among the warnings' range).
 */
function certWindows(input: { certWarnDays?: number | undefined; certErrorDays?: number | undefined }): { certWarnDays: number; certErrorDays: number } {
  const certWarnDays = input.certWarnDays ?? Math.max(CERT_WARN_DAYS, input.certErrorDays ?? 0);
  return { certWarnDays, certErrorDays: input.certErrorDays ?? Math.min(CERT_ERROR_DAYS, certWarnDays) };
}

/** `check`. */
export const checkOperation = defineOperation({
  id: 'check',
  summary: "The lab's consistency across services: DNS, proxy, monitors, certificates, backups and Beszel against PVE",
  description: 'Each finding has a severity, what every service involved says, and the command that fixes it. Services that are not configured are skipped, and their checks are reported as unknown. Exit 1 when any finding is an error; 4 (or 5, 3) when a service could not be read.',
  input: z.object({
    probe: z.boolean().default(false).describe("also try a TCP connection to each proxy host's forward target"),
    timeout: z.number({ error: 'timeout must be from 1 to 300 seconds' }).min(1).max(300).default(30).describe('seconds each service may take, 1 to 300'),
    concurrency: z.number({ error: 'concurrency must be an integer from 1 to 64' }).int().min(1).max(64).default(16).describe('per-guest reads and probes at once'),
    certWarnDays: z.number().int().min(1).max(365).optional().describe(`certificates expiring within this many days are a warning (default ${CERT_WARN_DAYS})`),
    certErrorDays: z.number().int().min(0).max(365).optional().describe(`… and an error within this many days (default ${CERT_ERROR_DAYS}, or the warning window when shorter)`),
  }).refine((i) => i.certWarnDays === undefined || i.certErrorDays === undefined || i.certErrorDays <= i.certWarnDays,
    { message: 'cert-error-days must not be more than {certWarnDays} (an error is a warning that came closer)', path: ['certErrorDays'] }),
  risk: 'read',
  pages: 'findings',
  timeoutMs: 120_000,
  examples: ['check', 'check --json', 'check --probe'],
  async run(ctx, input): Promise<CheckResult> {
    const now = Math.floor(Date.now() / 1000);
    ctx.progress('reading every service');
    const { view, sources, guests, unprobed } = await gatherLab(ctx, { timeoutMs: input.timeout * 1000, concurrency: input.concurrency, probe: input.probe, probeTimeoutMs: 2000 });
    const found = findAll(view, certWindows(input), now);
    const errors = found.findings.filter((f) => f.severity === 'error').length;
    const result: CheckResult = {
      checkedAt: now, guests, findings: found.findings, errors, warnings: found.findings.length - errors, services: sources,
      unknown: found.unknown.map((u) => ({ kinds: u.kinds, because: u.reason ? [u.reason] : because(u.missing, sources) })), probed: input.probe, unprobed,
    };
    const failed = sources.filter((s) => s.state === 'failed');
    if (failed.length) {
      throw new PartialFailureError(`check: ${failed.length} of ${sources.filter((s) => s.state !== 'skipped').length} services failed (${failed.map((s) => s.service).join(', ')}): their checks are unknown`,
        result, failed.map((s) => ({ part: s.service, exitCode: s.exitCode ?? 1 })));
    }
    if (errors) throw new OperationError(`check: ${errors} error${errors === 1 ? '' : 's'} found`, undefined, undefined, result);
    return result;
  },
  render: (r) => renderCheck(r),
});
