/**
 * @module watch/claim-rows
 * The claims table of the watch database (the protocol is watch/claims): one row per alert
 * a run is sending a notice about now, naming the run and its process. A claim holds while
 * its process runs and for at most `CLAIM_TTL_MS`; one that does not (its run was killed
 * mid-send, or hung) is stale: it holds nothing, and is dropped.
 */
import type { SqliteDatabase } from '../audit/sqlite.js';
import { processAlive } from '../core/process-alive.js';

/** How long a claim of a running process holds (a hung send); far longer than a send may take. */
export const CLAIM_TTL_MS = 10 * 60_000;

/** A run's claim on an alert: it is sending a notice about it now. `at`: epoch ms (the real clock). */
export interface Claim {
  key: string;
  /** The claiming run (`<pid>:<uuid>`). */
  run: string;
  pid: number;
  at: number;
}


/** Whether `claim` still holds at `wallNow` (epoch ms, the real clock). */
export function claimHolds(claim: Claim, wallNow: number): boolean {
  return Math.abs(wallNow - claim.at) < CLAIM_TTL_MS && processAlive(claim.pid);
}

/** Reads and writes the claims table. */
export class ClaimRows {
  constructor(private readonly db: SqliteDatabase) {}

  /** Every claim. */
  all(): Claim[] {
    return this.db.prepare('SELECT key, run, pid, at FROM claims ORDER BY key').all() as Claim[];
  }

  /** The claim on `key`, if any. */
  on(key: string): Claim | undefined {
    return this.db.prepare('SELECT key, run, pid, at FROM claims WHERE key = ?').get(key) as Claim | undefined;
  }

  /** Claims `c.key` for a run (replacing a stale claim). */
  put(c: Claim): void {
    this.db.prepare('INSERT OR REPLACE INTO claims (key, run, pid, at) VALUES (?, ?, ?, ?)').run(c.key, c.run, c.pid, c.at);
  }

  /** Drops the claims of `run` on `keys`. */
  release(keys: readonly string[], run: string): void {
    const stmt = this.db.prepare('DELETE FROM claims WHERE key = ? AND run = ?');
    for (const key of keys) stmt.run(key, run);
  }

  /** Drops `claims` (stale ones), each only while it is still the claim of the same run. */
  drop(claims: readonly Claim[]): void {
    const stmt = this.db.prepare('DELETE FROM claims WHERE key = ? AND run = ?');
    for (const c of claims) stmt.run(c.key, c.run);
  }
}
