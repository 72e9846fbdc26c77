/**
 * @module services/updates/report
 * The `--json` shape of `updates check`: one report per target (PVE node or SSH
 * target), each carrying either its findings or its own error, plus totals.
 */
import { OperationError, toHomelabError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import type { PendingPackage } from './parsers.js';
import { HostKeyError } from './ssh/errors.js';

/** A target's error, as data (one target failing never hides the others). */
export interface TargetError {
  message: string;
  hint: string | null;
  /** The exit code this error would have on its own (4 unreachable/timeout/host key, 5 auth, 3 config, 1 failed). */
  exitCode: number;
  /** `SHA256:…` of the offered host key, when the host key was refused. */
  fingerprint?: string;
  /** The last lines the failing command printed (`E: Could not get lock …`), when there are any. */
  details?: string[];
}

/** What `updates check` found on one target. */
export interface TargetReport {
  name: string;
  kind: 'node' | 'ssh';
  /** `host:port` of an SSH target, the API URL's host for a PVE node. */
  address: string;
  ok: boolean;
  manager: string | null;
  os: string | null;
  packages: PendingPackage[];
  counts: { total: number; security: number };
  rebootRequired: boolean | null;
  /** The package lists were refreshed before listing. */
  refreshed: boolean;
  notes: string[];
  error: TargetError | null;
  durationMs: number;
}

/** The whole `updates check` result. */
export interface UpdatesReport {
  targets: TargetReport[];
  totals: { targets: number; reachable: number; failed: number; packages: number; security: number; rebootRequired: number };
}

/** A report for a target that could not be checked. */
export function failedReport(base: Pick<TargetReport, 'name' | 'kind' | 'address'>, err: unknown, startedAt: number): TargetReport {
  const e = toHomelabError(err);
  return {
    ...base, ok: false, manager: null, os: null, packages: [], counts: { total: 0, security: 0 }, rebootRequired: null,
    refreshed: false, notes: [], durationMs: Date.now() - startedAt,
    error: {
      message: redact(e.message), hint: e.hint ? redact(e.hint) : null, exitCode: e.exitCode,
      ...(e instanceof HostKeyError ? { fingerprint: e.fingerprint } : {}),
      ...(e instanceof OperationError && e.details?.length ? { details: e.details.map((line) => redact(line)) } : {}),
    },
  };
}

/** Counts of a package list. */
export function countPackages(packages: readonly PendingPackage[]): { total: number; security: number } {
  return { total: packages.length, security: packages.filter((p) => p.security === true).length };
}

/** Totals over every target. */
export function totalsOf(targets: readonly TargetReport[]): UpdatesReport['totals'] {
  const ok = targets.filter((t) => t.ok);
  return {
    targets: targets.length,
    reachable: ok.length,
    failed: targets.length - ok.length,
    packages: ok.reduce((n, t) => n + t.counts.total, 0),
    security: ok.reduce((n, t) => n + t.counts.security, 0),
    rebootRequired: ok.filter((t) => t.rebootRequired === true).length,
  };
}
