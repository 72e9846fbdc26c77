/**
 * @module services/setup/doctor/check
 * One line of `doctor`: what was checked, pass/warn/fail/skip, what was found, and the
 * fix when it did not pass.
 */
import { ExitCode, toHomelabError } from '../../../core/errors.js';
import { serverLine } from '../../../core/http/server-text.js';
import { redact } from '../../../core/redact.js';

/** Outcome of one check. `warn` does not fail doctor; `skip` means a prerequisite failed. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One doctor check. */
export interface DoctorCheck {
  /** `config`, a service (`pve`), or `ssh`. */
  area: string;
  /** What was checked: `credentials`, `answers`, `token`, `tls`, `host key web`. */
  name: string;
  status: CheckStatus;
  detail: string;
  fix: string | null;
  /** A failed check's exit code (4 unreachable, TLS pin or host key; 5 refused; 3 config; 1 otherwise); null unless `fail`. */
  exitCode: number | null;
}

/** Builds a check with secrets redacted; a failure exits `exitCode` (default 1) when it is the most serious. */
export function check(area: string, name: string, status: CheckStatus, detail: string, fix: string | null = null, exitCode: number = ExitCode.failed): DoctorCheck {
  // Details often quote a server (an error message, a version string): one clean line, never a page.
  return { area, name, status, detail: serverLine(redact(detail), 300), fix: fix === null ? null : redact(fix), exitCode: status === 'fail' ? exitCode : null };
}

/** A failed check from an error (its message, hint and exit code). */
export function failed(area: string, name: string, err: unknown, fix?: string): DoctorCheck {
  const e = toHomelabError(err);
  return check(area, name, 'fail', e.message, fix ?? e.hint ?? null, e.exitCode);
}
