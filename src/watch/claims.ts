/**
 * @module watch/claims
 * So that two processes watching one lab (cron's `watch --once` overlapping itself,
 * or the daemon and a `--once`) never send one notice twice, a run claims the notices
 * it will send in the same IMMEDIATE transaction that works them out, sends, and then
 * records them as sent (dropping its claims), or drops its claims when the send failed
 * (they are due again at the next run). A notice another run has claimed is left to
 * it. A claim outlives its run only when the run died mid-send: a claim whose process
 * is gone, or older than `CLAIM_TTL_MS`, is stale (watch/claim-rows) and taken over, so the
 * notice is sent by the next run (possibly a second time, if the dead run had sent it: never
 * lost). Every run drops the stale claims it finds, so one on a notice no longer due (the
 * condition cleared meanwhile) never keeps its alert row.
 */
import { randomUUID } from 'node:crypto';
import { claimHolds } from './claim-rows.js';
import type { AlertPolicy, Notice } from './engine.js';
import { dueNotices } from './engine.js';
import type { WatchStore } from './state.js';

export { CLAIM_TTL_MS, claimHolds, type Claim } from './claim-rows.js';

/** One run of a check, as the claims name it. */
export interface ClaimingRun {
  run: string;
  pid: number;
}

/** A new run of this process. */
export function newRun(): ClaimingRun {
  return { run: `${process.pid}:${randomUUID()}`, pid: process.pid };
}

/**
 * The notices due for `check` at `now` that no other run is sending, claimed for `run`
 * in one IMMEDIATE transaction. `wallNow` times the claims (the real clock, even when
 * the alerts run on a test's).
 */
export function claimNotices(store: WatchStore, check: string, now: number, policy: AlertPolicy, silenced: boolean, run: ClaimingRun, wallNow: number = Date.now()): Notice[] {
  return store.transaction(() => {
    const claims = store.claims.all();
    const live = claims.filter((c) => claimHolds(c, wallNow));
    // Stale claims (their run died or hung) are dropped, due again or not: none keeps an alert row.
    store.claims.drop(claims.filter((c) => !live.includes(c)));
    const held = new Set(live.filter((c) => c.run !== run.run).map((c) => c.key));
    const due = dueNotices(store, check, now, policy, silenced).filter((n) => !held.has(n.key));
    for (const n of due) store.claims.put({ key: n.key, run: run.run, pid: run.pid, at: wallNow });
    return due;
  });
}

/** Drops the claims of `run` on `notices` (their send failed: they are due again). */
export function releaseClaims(store: WatchStore, notices: readonly Notice[], run: ClaimingRun): void {
  store.transaction(() => store.claims.release(notices.map((n) => n.key), run.run));
}
