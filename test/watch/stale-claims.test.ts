/**
 * A claim left by a watch run that was killed mid-send (watch/claims) must not outlive
 * what it claimed: when the condition clears before the notice is due again, the next run
 * drops the stale claim and the alert row is cleaned up as usual. A claim of a live run
 * still keeps its row until that run has recorded its notice.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/watch/check.js';
import { claimNotices, newRun } from '../../src/watch/claims.js';
import { applyFindings, type AlertPolicy } from '../../src/watch/engine.js';
import { WatchStore } from '../../src/watch/state.js';
import { tempDataDir } from './helpers.js';

const policy: AlertPolicy = { holdMs: 0, repeatMs: 0, flapWindowMs: 3_600_000, flapThreshold: 10 };
const media: Finding = { key: 'guests:201', message: 'VM 201 (media) on pve2 is stopped but set to start on boot', severity: 'critical' };
const HOUR = 3_600_000;

let data: ReturnType<typeof tempDataDir>;
let store: WatchStore;
beforeEach(async () => {
  data = tempDataDir();
  store = await WatchStore.open(data.dir);
});
afterEach(() => {
  store.close();
  data.remove();
});

/** A run of a process that has ended (killed mid-send). */
function deadRun(): { run: string; pid: number } {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid;
  return { run: `${pid}:killed`, pid };
}

/** One watch run at `now`: the check's findings, then the notices it claims (and would send). */
function watchRun(findings: Finding[], now: number, run = newRun()): string[] {
  return store.transaction(() => {
    applyFindings(store, 'guests', findings, now, policy);
    return claimNotices(store, 'guests', now, policy, false, run).map((n) => `${n.key}:${n.kind}`);
  });
}

const rows = (): string[] => store.alerts().map((a) => `${a.key}:${a.state}`);

describe('a claim left by a killed watch run', () => {
  it('is dropped by the next run, and the alert row goes once the condition has settled', () => {
    const t0 = Date.now();
    // A run claims the firing notice and is killed before it records it as sent.
    expect(watchRun([media], t0, deadRun())).toEqual(['guests:201:firing']);
    expect(store.claims.all()).toHaveLength(1);
    // The condition clears before the next run: nothing is due, and the stale claim is dropped.
    expect(watchRun([], t0 + 60_000)).toEqual([]);
    expect(store.claims.all()).toEqual([]);
    expect(rows()).toEqual(['guests:201:ok']);
    // Once its changes are out of the flap window, the row goes as any settled alert's does.
    expect(watchRun([], t0 + 2 * HOUR)).toEqual([]);
    expect(rows()).toEqual([]);
    expect(store.claims.all()).toEqual([]);
  });

  it('does not keep the alert row even before a run has dropped it', () => {
    const t0 = Date.now();
    expect(watchRun([media], t0, deadRun())).toEqual(['guests:201:firing']);
    applyFindings(store, 'guests', [], t0 + 60_000, policy);
    applyFindings(store, 'guests', [], t0 + 2 * HOUR, policy);
    expect(rows()).toEqual([]);
    expect(store.claims.all()).toEqual([]);
  });

  it('a live run’s claim still keeps the row until that run records its notice', () => {
    const t0 = Date.now();
    const live = { run: `${process.pid}:sending`, pid: process.pid };
    expect(watchRun([media], t0, live)).toEqual(['guests:201:firing']);
    applyFindings(store, 'guests', [], t0 + 60_000, policy);
    applyFindings(store, 'guests', [], t0 + 2 * HOUR, policy);
    expect(watchRun([], t0 + 2 * HOUR + 60_000)).toEqual([]);
    expect(rows()).toEqual(['guests:201:ok']);
    expect(store.claims.all().map((c) => c.run)).toEqual([live.run]);
  });
});
