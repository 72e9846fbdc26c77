/**
 * The overview's refreshes over the lab's simulators: an overview drawn again with
 * nothing changed is the same version (no second overview event, though the moment it
 * was drawn changed), and the consistency check, which reads every guest's config, runs
 * at most once within its period however often the overview is refreshed (counted in
 * the PVE simulator's requests), and again once its period has passed; a check that failed
 * is not kept, the next refresh runs it again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/pve-sim.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import type { OverviewSnapshot } from '../../../src/surfaces/web/overview.js';
import { versionOf } from '../../../src/surfaces/web/overview-routes.js';
import { useLab } from '../../helpers/lab.js';
import { startDashboard } from './helpers.js';

const lab = useLab();
const started: WebServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function feedOf(extra: Parameters<typeof startDashboard>[2] = {}): Promise<ReturnType<WebServer['state']['feeds']['get']>> {
  const server = await startDashboard(lab.current, 'read', extra);
  started.push(server);
  return server.state.feeds.get(server.state.labs.get(server.state.labs.home));
}

/** The PVE requests for guest configs so far (only the consistency check reads them on the overview). */
function configReads(): number {
  return (lab.current.sims.get('pve')?.requests ?? []).filter((r) => /\/(qemu|lxc)\/\d+\/config/.test(r.path)).length;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('refreshing the overview', () => {
  it('sends no second overview event when nothing it shows changed', async () => {
    // The simulated nodes' CPU wobbles with time, as a real one's does: frozen here, so that
    // only the moment the overview is drawn differs between refreshes.
    const pve = lab.current.sims.get('pve') as PveSim;
    pve.options.frozenAtMs = Date.now();
    const feed = await feedOf();
    const first = await feed.refresh();
    const told: OverviewSnapshot[] = [];
    const unsubscribe = feed.subscribe((s) => told.push(s));
    try {
      // A second apart: a chart's "now" and the refresh time differ, what the overview shows does not.
      await pause(1100);
      const second = await feed.refresh();
      await pause(1100);
      const third = await feed.refresh();
      expect(told).toEqual([]);
      expect(versionOf(second)).toBe(versionOf(first));
      expect(versionOf(third)).toBe(versionOf(first));
      expect(String(third.html)).toContain('id="check"');
      expect(String(third.html)).toMatch(/Consistency check[^]*Checked at <time/);
    } finally {
      unsubscribe();
      delete pve.options.frozenAtMs;
    }
  });

  it('runs the consistency check at most once within its period', async () => {
    const feed = await feedOf();
    const before = configReads();
    await feed.refresh();
    const once = configReads() - before;
    expect(once).toBeGreaterThan(0);
    await feed.refresh();
    await feed.refresh();
    expect(configReads() - before).toBe(once);
  });

  it('keeps no failed check: the next refresh runs it again', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    const feed = await feedOf();
    pve.faults.failNext = { count: 100_000, status: 500 };
    let failed: OverviewSnapshot;
    try {
      failed = await feed.refresh();
    } finally {
      pve.faults.failNext = undefined;
    }
    const panel = (s: OverviewSnapshot): string => /<section[^>]*id="check"[^]*?<\/section>/.exec(String(s.html))?.[0] ?? '';
    expect(panel(failed)).toContain('check: 1 of 6 services failed (pve)');
    const before = configReads();
    const next = await feed.refresh();
    expect(configReads()).toBeGreaterThan(before);
    expect(panel(next)).not.toContain('services failed');
    expect(panel(next)).toContain('errors found');
    // Findings are an answer: kept for the period.
    const kept = configReads();
    await feed.refresh();
    expect(configReads()).toBe(kept);
  });

  it('runs the check again once its period has passed', async () => {
    const feed = await feedOf({ checkMs: 0 });
    const before = configReads();
    await feed.refresh();
    const once = configReads() - before;
    await feed.refresh();
    expect(configReads() - before).toBe(2 * once);
  });
});
