/**
 * @module watch/claims
 * So that two processes watching one lab (cron's `watch --once` overlapping itself,
 * or the daemon and a `--once`) never send one notice twice, a run claims the notices
 * it will send in the same IMMEDIATE transaction that works them out, sends, and then
 * records them as sent (dropping its claims), or drops its claims when the send failed
 * (they are due again at the next run). A notice another run has claimed is left to
 * it. A claim outlives its run only when the run died mid-send: a claim whose process
 * is gone, or older than `CLAIM_TTL_MS`, is stale and taken over, so the notice is
 * sent by the next run (possibly a second time, if the dead run had sent it: never lost).
 */
import { randomUUID } from 'node:crypto';
import type { AlertPolicy, Notice } from './engine.js';
import { dueNotices } from './engine.js';
import type { Claim, WatchStore } from './state.js';

/** How long a claim of a running process holds (a hung send); far longer than a send may take. */
export const CLAIM_TTL_MS = 10 * 60_000;

/** One run of a check, as the claims name it. */
export interface ClaimingRun {
  run: string;
  pid: number;
}

/** A new run of this process. */
export function newRun(): ClaimingRun {
  return { run: `${process.pid}:${randomUUID()}`, pid: process.pid };
}

/** Whether process `pid` runs (EPERM: it does, as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `claim` still holds at `wallNow` (epoch ms, the real clock). */
export function claimHolds(claim: Claim, wallNow: number): boolean {
  return Math.abs(wallNow - claim.at) < CLAIM_TTL_MS && running(claim.pid);
}

/**
 * The notices due for `check` at `now` that no other run is sending, claimed for `run`
 * in one IMMEDIATE transaction. `wallNow` times the claims (the real clock, even when
 * the alerts run on a test's).
 */
export function claimNotices(store: WatchStore, check: string, now: number, policy: AlertPolicy, silenced: boolean, run: ClaimingRun, wallNow: number = Date.now()): Notice[] {
  return store.transaction(() => {
    const held = new Set(store.claims().filter((c) => c.run !== run.run && claimHolds(c, wallNow)).map((c) => c.key));
    const due = dueNotices(store, check, now, policy, silenced).filter((n) => !held.has(n.key));
    for (const n of due) store.claim({ key: n.key, run: run.run, pid: run.pid, at: wallNow });
    return due;
  });
}

/** Drops the claims of `run` on `notices` (their send failed: they are due again). */
export function releaseClaims(store: WatchStore, notices: readonly Notice[], run: ClaimingRun): void {
  store.transaction(() => store.release(notices.map((n) => n.key), run.run));
}
