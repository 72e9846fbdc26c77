/**
 * Alert hygiene against the simulated PVE: the `guests` check sees VM 201 (media),
 * stopped although it starts on boot. An alert fires once after its hold time,
 * repeats only at the repeat interval, resolves, respects mute and maintenance,
 * suppresses flapping, retries a failed send, and survives a restart (SQLite).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { invoke } from '../../src/core/invoke.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { getRegistry } from '../../src/services/index.js';
import { guestsCheck } from '../../src/watch/checks/guests.js';
import { MAINTENANCE } from '../../src/watch/state.js';
import type { Watcher } from '../../src/watch/watcher.js';
import { useLab } from '../helpers/lab.js';
import { FakeClock, RecordingNotifier, labWatcher, tempDataDir } from './helpers.js';

const lab = useLab({ services: ['pve'] });

describe('watch alerts (guests check against the PVE simulator)', () => {
  let data: ReturnType<typeof tempDataDir>;
  let clock: FakeClock;
  let notifier: RecordingNotifier;
  const open: Watcher[] = [];
  const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;
  const setMedia = (status: 'running' | 'stopped'): void => {
    const guest = pve().state.guests.get(201);
    if (!guest) throw new Error('the lab has no VM 201');
    guest.status = status;
  };
  const watcher = async (watch: Record<string, unknown> = { for: '10m', repeat: '6h' }): Promise<Watcher> => {
    const w = await labWatcher(lab.current, { watch, dataDir: data.dir, clock, notifier, checks: [guestsCheck] });
    open.push(w);
    return w;
  };
  const close = async (w: Watcher): Promise<void> => {
    await w.close();
    w.store.close();
    open.splice(open.indexOf(w), 1);
  };
  const run = async (w: Watcher, minutes = 0): Promise<string[]> => {
    clock.advance(minutes);
    await w.runCheck('guests');
    return notifier.take();
  };
  const op = (id: string, input: Record<string, unknown>): Promise<unknown> => {
    const operation = getRegistry().get(id);
    if (!operation) throw new Error(`no operation ${id}`);
    return invoke(operation, input, createContext({ actor: { surface: 'cli', id: 'tester' }, env: { ...lab.current.env, HOMELAB_DATA_HOME: data.dir }, operations: getRegistry() }));
  };

  beforeEach(() => {
    data = tempDataDir();
    clock = new FakeClock();
    notifier = new RecordingNotifier();
    setMedia('stopped');
    pve().faults.failNext = undefined;
  });
  afterEach(async () => {
    for (const w of [...open]) await close(w);
    data.remove();
  });

  it('fires once after the hold time, repeats at the interval, and resolves', async () => {
    const w = await watcher();
    expect(await run(w)).toEqual([]);
    expect(w.store.alerts('guests').map((a) => [a.key, a.state])).toEqual([['guests:201', 'pending']]);
    expect(await run(w, 5)).toEqual([]);
    const fired = await run(w, 5);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toContain('🔴');
    expect(fired[0]).toContain('VM 201 (media) on pve2 is stopped but set to start on boot');
    expect(fired[0]?.split('\n')).toHaveLength(1);
    expect(await run(w, 5)).toEqual([]);
    expect(await run(w, 60)).toEqual([]);
    const repeated = await run(w, 6 * 60);
    expect(repeated).toHaveLength(1);
    expect(repeated[0]).toMatch(/^🔁 still guests \(critical\): VM 201/);
    expect(await run(w, 5)).toEqual([]);
    setMedia('running');
    const resolved = await run(w, 5);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatch(/^✅ resolved guests: VM 201 \(media\).*\(after 7h 15m\)$/);
    expect(await run(w, 5)).toEqual([]);
    expect(w.store.alerts('guests').filter((a) => a.state !== 'ok')).toEqual([]);
  });

  it('survives a restart without losing the hold time or repeating the alert', async () => {
    let w = await watcher();
    expect(await run(w)).toEqual([]);
    await close(w);
    w = await watcher();
    expect(await run(w, 10)).toHaveLength(1);
    await close(w);
    w = await watcher();
    expect(await run(w, 1)).toEqual([]);
    expect(await run(w, 60)).toEqual([]);
    await close(w);
    setMedia('running');
    w = await watcher();
    const resolved = await run(w, 1);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toContain('resolved');
  });

  it('announces nothing while the check is muted, and what still holds once the mute ends', async () => {
    await op('watch.mute', { check: 'guests', duration: '1h' });
    const w = await watcher();
    expect(await run(w)).toEqual([]);
    expect(await run(w, 10)).toEqual([]);
    expect(await run(w, 20)).toEqual([]);
    expect(w.store.alerts('guests')[0]).toMatchObject({ state: 'firing', notified: false });
    const after = await run(w, 31);
    expect(after).toHaveLength(1);
    expect(after[0]).toContain('🔴 guests (critical): VM 201');
  });

  it('never announces an alert that fired and cleared during a mute', async () => {
    await op('watch.mute', { check: 'guests', duration: '1h' });
    const w = await watcher();
    await run(w);
    await run(w, 15);
    setMedia('running');
    expect(await run(w, 5)).toEqual([]);
    expect(await run(w, 60)).toEqual([]);
    expect(w.store.events(0, clock.ms).map((e) => e.kind)).toEqual(['fired', 'resolved']);
  });

  it('keeps quiet during a maintenance window and speaks when it ends', async () => {
    const window = (await op('watch.maintenance', { duration: '2h' })) as { until: string };
    expect(Date.parse(window.until) - Date.now()).toBeGreaterThan(119 * 60_000);
    const w = await watcher();
    expect(w.silenced('backups')).toBe(true);
    expect(await run(w)).toEqual([]);
    expect(await run(w, 15)).toEqual([]);
    await op('watch.maintenance', { duration: 'off' });
    expect(w.store.mutes(clock.ms).some((m) => m.target === MAINTENANCE)).toBe(false);
    expect(await run(w, 1)).toHaveLength(1);
  });

  it('suppresses a flapping alert with one notice, then resolves once it settles', async () => {
    const w = await watcher({ for: '0s', repeat: '0s', flap_window: '1h', flap_threshold: 4 });
    expect((await run(w))[0]).toContain('🔴');
    setMedia('running');
    expect((await run(w, 5))[0]).toContain('✅');
    setMedia('stopped');
    expect((await run(w, 5))[0]).toContain('🔴');
    setMedia('running');
    const flapping = await run(w, 5);
    expect(flapping).toHaveLength(1);
    expect(flapping[0]).toContain('keeps changing');
    setMedia('stopped');
    expect(await run(w, 5)).toEqual([]);
    setMedia('running');
    expect(await run(w, 5)).toEqual([]);
    const settled = await run(w, 61);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toContain('✅ resolved');
    expect(await run(w, 5)).toEqual([]);
  });

  it('retries a notice whose send failed, and sends it once', async () => {
    const w = await watcher({ for: '0s' });
    notifier.fail = true;
    const outcome = await w.runCheck('guests');
    expect(outcome.sent).toBe(false);
    notifier.fail = false;
    expect(await run(w, 5)).toHaveLength(1);
    expect(await run(w, 5)).toEqual([]);
  });

  it('raises its own alert when the check cannot run, leaving the others as they were', async () => {
    const w = await watcher({ for: '0s', repeat: '0s' });
    expect(await run(w)).toHaveLength(1);
    pve().faults.failNext = { count: 1000, status: 500 };
    const failed = await run(w, 5);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain('guests: the check could not run: pve:');
    expect(failed[0]).not.toContain('resolved');
    expect(w.store.alerts('guests').find((a) => a.key === 'guests:201')?.state).toBe('firing');
    pve().faults.failNext = undefined;
    const back = await run(w, 5);
    expect(back).toHaveLength(1);
    expect(back[0]).toMatch(/^✅ resolved guests: the check could not run/);
  });
});
