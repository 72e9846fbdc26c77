/**
 * The judgement behind `pbs status`, on answers the seeded lab does not produce: a
 * store filling up, a flat or falling usage trend, a failed GC, an older failed verify,
 * the stale threshold's edge, and which tasks count as failed.
 */
import { describe, expect, it } from 'vitest';
import { datastoreHealth, failedTasks, groupHealth, problems, type GcHealth } from '../../../src/services/pbs/health.js';
import type { SnapshotEntry } from '../../../src/services/pbs/schemas.js';
import { renderStatus } from '../../../src/services/pbs/operations-status.js';
import { renderText } from '../../../src/core/render.js';

const NOW = 1_800_000_000;
const DAY = 86_400;
const gc = (state: string | null): GcHealth => ({
  state, ok: state === null ? null : state === 'OK' || state.startsWith('WARNINGS'), running: false, upid: null,
  endtime: null, durationSeconds: null, nextRun: null, removedBytes: null, pendingBytes: null,
});
const snap = (id: string, hoursAgo: number, verify?: 'ok' | 'failed'): SnapshotEntry => ({
  'backup-type': 'vm', 'backup-id': id, 'backup-time': NOW - hoursAgo * 3600, ...(verify ? { verification: { state: verify } } : {}),
});

describe('pbs health', () => {
  it('keeps the estimated full date only when it lies ahead', () => {
    const base = { store: 'main', total: 100, used: 50 };
    expect(datastoreHealth({ ...base, 'estimated-full-date': NOW + DAY }, gc('OK'), NOW).estimatedFull).toBe(NOW + DAY);
    expect(datastoreHealth({ ...base, 'estimated-full-date': NOW - DAY }, gc('OK'), NOW).estimatedFull).toBeNull();
    expect(datastoreHealth({ ...base, 'estimated-full-date': 0 }, gc('OK'), NOW).estimatedFull).toBeNull();
  });

  it('flags a nearly full store, one filling within a month, and a failed GC', () => {
    const full = datastoreHealth({ store: 'a', total: 100, used: 95 }, gc('OK'), NOW);
    const soon = datastoreHealth({ store: 'b', total: 100, used: 50, 'estimated-full-date': NOW + 3 * DAY }, gc('OK'), NOW);
    const month = datastoreHealth({ store: 'c', total: 100, used: 50, 'estimated-full-date': NOW + 20 * DAY }, gc('OK'), NOW);
    const gcFailed = datastoreHealth({ store: 'd', total: 100, used: 10 }, gc('EIO: I/O error'), NOW);
    const found = problems([full, soon, month, gcFailed], [], [], 26, NOW).map((p) => `${p.level} ${p.text}`);
    expect(found).toEqual([
      'bad datastore a is 95% full',
      'bad datastore b will be full in about 3 days (' + new Date((NOW + 3 * DAY) * 1000).toISOString().slice(0, 10) + ')',
      'bad GC on d failed: EIO: I/O error',
      'warn datastore c will be full in about 20 days (' + new Date((NOW + 20 * DAY) * 1000).toISOString().slice(0, 10) + ')',
    ]);
  });

  it('judges a group by its last snapshot: stale only past the threshold, verify of the newest', () => {
    const groups = groupHealth('main', [snap('1', 30, 'failed'), snap('1', 6), snap('2', 26), snap('3', 26.5, 'ok')], 26, NOW);
    expect(groups.map((g) => [g.group, g.stale, g.verify, g.failedVerifies, g.snapshots])).toEqual([
      ['vm/1', false, 'none', 1, 2],
      ['vm/2', false, 'none', 0, 1],
      ['vm/3', true, 'ok', 0, 1],
    ]);
    const found = problems([], groups, [], 26, NOW).map((p) => `${p.level} ${p.text}`);
    expect(found).toEqual(['bad vm/3: last backup 1d 2h ago (over 26 h)', 'warn vm/1: 1 older snapshot(s) failed verification']);
  });

  it('shows a group\'s age to the second, not rounded to a tenth of an hour', () => {
    const groups = groupHealth('main', [snap('1', 4 / 60), snap('2', 5 + 3 / 60), snap('3', 6.02)], 6, NOW);
    expect(groups.map((g) => [g.group, g.ageSeconds, g.ageHours, g.stale])).toEqual([
      ['vm/1', 240, 0.1, false], ['vm/2', 18_180, 5.1, false], ['vm/3', 21_672, 6, true],
    ]);
    const out = renderText(renderStatus({ ok: false, checkedAt: NOW, staleHours: 6, problems: problems([], groups, [], 6, NOW), datastores: [], groups, failedTasks: [] }));
    expect(out).toMatch(/vm\/1 .* 4m 0s /);
    expect(out).toMatch(/vm\/2 .* 5h 3m /);
    expect(out).toContain('vm/3: last backup 6h 1m ago (over 6 h)');
  });

  it('counts errors as failed tasks, not warnings or running tasks', () => {
    const tasks = [
      { upid: 'a', worker_type: 'backup', starttime: NOW, status: 'OK' },
      { upid: 'b', worker_type: 'garbage_collection', starttime: NOW, status: 'WARNINGS: 2' },
      { upid: 'c', worker_type: 'verify', starttime: NOW },
      { upid: 'd', worker_type: 'sync', worker_id: 'main:s-1', starttime: NOW, status: 'connection refused' },
    ];
    expect(failedTasks(tasks).map((t) => t.upid)).toEqual(['d']);
  });
});
