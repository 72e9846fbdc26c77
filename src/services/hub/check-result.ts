/**
 * @module services/hub/check-result
 * What `homelab check` answers (its JSON shape), apart from the operation, so its renderer
 * (`check-render`) reads the type without importing the operation that imports it.
 */
import type { CheckFinding, FindingKind } from './check-findings/index.js';
import type { SourceOutcome } from './check-gather.js';

/** JSON shape of `check`. */
export interface CheckResult {
  /** Unix time of the check. */
  checkedAt: number;
  /** Guests PVE reported. */
  guests: number;
  findings: CheckFinding[];
  errors: number;
  warnings: number;
  /** How each service fared: ok, skipped (not configured) or failed. */
  services: SourceOutcome[];
  /** Rules that could not run, and why. */
  unknown: { kinds: FindingKind[]; because: string[] }[];
  /** Whether forward targets were probed (`--probe`). */
  probed: boolean;
  /** Forward targets left unprobed: no `check.probe_map` entry, and `check.probe_unmapped: false`. */
  unprobed: string[];
}
