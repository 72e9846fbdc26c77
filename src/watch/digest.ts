/**
 * @module watch/digest
 * Gathers the daily digest from the store: what fires now, the last 24 h of events,
 * the latest findings of digest checks (updates), failing checks and mutes; only of the
 * checks that run.
 */
import type { AnyCheck } from './check.js';
import { digestMessage } from './messages.js';
import type { WatchStore } from './state.js';

/**
 * The digest text at `now`, of the alerts and runs of `checks` (those that run: a check
 * disabled, or whose service is gone, watches nothing, so its alerts are left out).
 */
export function buildDigest(store: WatchStore, checks: readonly AnyCheck[], now: number, timeZone?: string): string {
  const watched = new Set(checks.map((c) => c.name));
  const runs = store.runs().filter((r) => watched.has(r.check));
  const digestChecks = new Set(checks.filter((c) => c.kind === 'digest').map((c) => c.name));
  return digestMessage({
    now,
    ...(timeZone ? { timeZone } : {}),
    firing: store.alerts().filter((a) => a.state === 'firing' && watched.has(a.check)),
    events: store.events(now - 86_400_000, now),
    digestFindings: runs.filter((r) => digestChecks.has(r.check) && r.outcome === 'ok').flatMap((r) => r.findings),
    mutes: store.mutes(now),
    failing: runs.filter((r) => r.outcome === 'error').map((r) => ({ check: r.check, detail: r.detail ?? '' })),
  });
}
