/**
 * The simulated Uptime Kuma checks push monitors as Kuma does (shared/api/uptime-kuma.md §6):
 * one nobody pushes to goes DOWN (PENDING first while retries are left) when no push comes
 * within its interval, worked out when read, no timers. The state on its own, then the built
 * binary's `kuma list` and `kuma status` against the lab (checks started in the past, rather
 * than waiting an interval).
 */
import { describe, expect, it } from 'vitest';
import type { KumaListEntry, KumaStatus } from '../../../src/services/kuma/index.js';
import { defaultMonitor } from '../../../src/services/kuma/sim/fields.js';
import type { KumaSim } from '../../../src/services/kuma/sim/index.js';
import { NO_PUSH_MSG, runDuePushChecks } from '../../../src/services/kuma/sim/push-checks.js';
import { KumaState, kumaTime } from '../../../src/services/kuma/sim/state.js';
import { runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['kuma'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): KumaSim => lab.current.sims.get('kuma') as KumaSim;

describe('simulated push monitor checks', () => {
  it('goes PENDING, then DOWN, when no push comes within the interval, and after a push only once it is late', () => {
    const state = new KumaState(true);
    const now = Date.parse('2025-01-01T12:00:00Z');
    const id = state.insert(defaultMonitor(true, { type: 'push', name: 'job', interval: 60, retryInterval: 30, maxretries: 1, pushToken: 'x' }), true);
    state.startChecks(id, now - 200_000);
    // Due at -140 s: a retry left (PENDING), 30 s later DOWN, then every 60 s.
    const missed = runDuePushChecks(state, now);
    expect(missed.map((b) => [b.status, b.msg, b.time])).toEqual([
      [2, NO_PUSH_MSG, kumaTime(now - 140_000)], [0, NO_PUSH_MSG, kumaTime(now - 110_000)], [0, NO_PUSH_MSG, kumaTime(now - 50_000)],
    ]);
    expect(runDuePushChecks(state, now)).toEqual([]);
    // A push: UP; the next check finds it fresh, and the one after the interval (+1 s) finds none.
    state.beat(id, 1, 'OK', null, now);
    expect(runDuePushChecks(state, now + 60_000)).toEqual([]);
    const late = runDuePushChecks(state, now + 70_000);
    expect(late.map((b) => [b.status, b.time])).toEqual([[2, kumaTime(now + 61_001)]]);
    // A monitor a simulated client pushes to (the lab's Beszel hub) gets its pushes, never a miss.
    const pushed = state.insert(defaultMonitor(true, { type: 'push', name: 'hub', interval: 120, pushToken: 'y' }), true);
    state.pushers.add(pushed);
    state.beat(pushed, 1, 'OK', null, now - 300_000);
    state.startChecks(pushed, now - 300_000);
    expect(runDuePushChecks(state, now).filter((b) => b.monitor_id === pushed).map((b) => [b.status, b.time]))
      .toEqual([[1, kumaTime(now - 180_000)], [1, kumaTime(now - 60_000)]]);
    // Paused: no checks.
    (state.monitors.get(id) as Record<string, unknown>).active = false;
    expect(runDuePushChecks(state, now + 1_000_000).filter((b) => b.monitor_id === id)).toEqual([]);
  });

  it('kuma list and kuma status show a push monitor nobody pushed to as down once its interval passed', async () => {
    await runCliJson(['kuma', 'add', 'push', 'job1'], env());
    const id = sim().monitorId('job1');
    // Started 61 s ago: its first check (after 60 s) found no push.
    sim().state.startChecks(id, Date.now() - 61_000);
    const list = await runCliJson<KumaListEntry[]>(['kuma', 'list'], env());
    expect(list.find((m) => m.name === 'job1')?.lastHeartbeat).toMatchObject({ status: 'down', msg: NO_PUSH_MSG });
    const status = await runCliJson<KumaStatus>(['kuma', 'status'], env());
    expect(status.monitors.find((m) => m.name === 'job1')).toMatchObject({ status: 'down' });
    // The lab's Beszel hub pushes to its heartbeat monitor: that one stays up when checked.
    sim().state.startChecks(sim().monitorId('beszel-heartbeat'), Date.now() - 121_000);
    const again = await runCliJson<KumaListEntry[]>(['kuma', 'list'], env());
    expect(again.find((m) => m.name === 'beszel-heartbeat')?.lastHeartbeat).toMatchObject({ status: 'up' });
  });
});
