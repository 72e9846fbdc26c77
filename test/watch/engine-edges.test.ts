/**
 * Edges of the alert engine against the simulated PVE (the `guests` check sees VM 201
 * (media) stopped although it starts on boot):
 * - a check that no longer runs (disabled) drops its alerts: none stays firing, in the
 *   store or the digest;
 * - a clock that went back (times in the rows after now) counts those times as now: hold,
 *   repeat and mutes run from now, and no span is negative;
 * - a resolution that could not be sent is not sent once the condition is back, nor is
 *   the alert announced again; a resolution sent late tells how long it fired;
 * - a check that runs past its time limit fails with "timed out", exit 4.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import type { AnyCheck } from '../../src/watch/check.js';
import { guestsCheck } from '../../src/watch/checks/guests.js';
import type { Watcher } from '../../src/watch/watcher.js';
import { useLab } from '../helpers/lab.js';
import { FakeClock, RecordingNotifier, labWatcher, tempDataDir } from './helpers.js';

const lab = useLab({ services: ['pve'] });
const DAY = 86_400_000;

describe('watch engine edges', () => {
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
  const watcher = async (watch: Record<string, unknown>, checks: readonly AnyCheck[] = [guestsCheck]): Promise<Watcher> => {
    const w = await labWatcher(lab.current, { watch, dataDir: data.dir, clock, notifier, checks });
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

  beforeEach(() => {
    data = tempDataDir();
    clock = new FakeClock();
    notifier = new RecordingNotifier();
    setMedia('stopped');
  });
  afterEach(async () => {
    for (const w of [...open]) await close(w);
    setMedia('stopped');
    data.remove();
  });

  it('a check disabled since its alert fired drops it: nothing firing in the store or the digest', async () => {
    const w = await watcher({ for: '0s' });
    expect(await run(w)).toHaveLength(1);
    await close(w);
    const off = await watcher({ for: '0s', checks: { guests: { enabled: false } } });
    const outcome = await off.runCheck('guests');
    expect(outcome.outcome).toBe('skipped');
    expect(notifier.take()).toEqual([]);
    expect(off.store.alerts('guests')).toEqual([]);
    expect(off.digest()).toContain('Nothing is firing now.');
  });

  it('the digest leaves out the alerts of a check that does not run, before it was run again', async () => {
    const w = await watcher({ for: '0s' });
    expect(await run(w)).toHaveLength(1);
    await close(w);
    const off = await watcher({ for: '0s', checks: { guests: { enabled: false } } });
    expect(off.store.alerts('guests')).toHaveLength(1);
    expect(off.digest()).toContain('Nothing is firing now.');
  });

  it('a clock that went back a day: the hold runs from now, not until the clock catches up', async () => {
    clock.ms += DAY;
    const ahead = await watcher({ for: '10m' });
    expect(await run(ahead)).toEqual([]);
    await close(ahead);
    clock.ms -= DAY;
    const w = await watcher({ for: '10m' });
    expect(await run(w)).toEqual([]);
    const fired = await run(w, 10);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toContain('🔴');
  });

  it('a clock that went back a day: repeat runs from now, and a resolution never says "after -"', async () => {
    clock.ms += DAY;
    const ahead = await watcher({ for: '0s', repeat: '1h' });
    expect(await run(ahead)).toHaveLength(1);
    await close(ahead);
    clock.ms -= DAY;
    const w = await watcher({ for: '0s', repeat: '1h' });
    expect(await run(w)).toEqual([]);
    const repeated = await run(w, 60);
    expect(repeated).toHaveLength(1);
    expect(repeated[0]).toContain('🔁 still');
    expect(repeated[0]).toContain('(since 1h 0m)');
    setMedia('running');
    const resolved = await run(w, 1);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toContain('✅ resolved');
    expect(resolved[0]).toContain('(after 1h 1m)');
  });

  it('a clock that went back a day: a mute of 1h set then lasts 1h from now', async () => {
    clock.ms += DAY;
    const ahead = await watcher({ for: '0s' });
    ahead.store.setMute('guests', clock.ms + 3_600_000, 'cli:tester', clock.ms);
    await close(ahead);
    clock.ms -= DAY;
    const w = await watcher({ for: '0s' });
    expect(await run(w)).toEqual([]);
    expect(w.store.mutes(clock.ms).map((m) => m.until - clock.ms)).toEqual([3_600_000]);
    expect(await run(w, 59)).toEqual([]);
    expect(await run(w, 2)).toHaveLength(1);
  });

  it('a resolution that could not be sent is dropped when the condition is back, and nothing is announced again', async () => {
    const w = await watcher({ for: '10m', flap_threshold: 10 });
    await run(w);
    expect(await run(w, 10)).toHaveLength(1);
    setMedia('running');
    notifier.fail = true;
    await run(w, 5);
    notifier.fail = false;
    setMedia('stopped');
    expect(await run(w, 5)).toEqual([]);
    expect(w.store.alerts('guests').map((a) => [a.state, a.notified])).toEqual([['pending', true]]);
    expect(await run(w, 10)).toEqual([]);
    expect(w.store.alerts('guests').map((a) => [a.state, a.notified])).toEqual([['firing', true]]);
    // It fired from the first announcement on: its resolution says so.
    setMedia('running');
    const resolved = await run(w, 5);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toContain('(after 25m 0s)');
  });

  it('a resolution sent late tells how long the alert fired, not how long until it could be sent', async () => {
    const w = await watcher({ for: '0s' });
    expect(await run(w)).toHaveLength(1);
    setMedia('running');
    notifier.fail = true;
    await run(w, 5);
    await run(w, 120);
    notifier.fail = false;
    const resolved = await run(w, 5);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toContain('(after 5m 0s)');
  });

  it('a check still running at its time limit fails as timed out, naming the setting: exit 4, not "cancelled"', async () => {
    const hangs: AnyCheck = { ...guestsCheck, name: 'guests', timeoutMs: 50, evaluate: () => new Promise(() => undefined) };
    const w = await watcher({ for: '0s' }, [hangs]);
    const outcome = await w.runCheck('guests');
    expect(outcome.outcome).toBe('error');
    expect(outcome.detail).toBe('timed out after 0.05 s (watch.checks.guests.timeout_seconds)');
    expect(outcome.exitCode).toBe(4);
    expect(notifier.take()).toEqual(['🔴 guests: the check could not run: timed out after 0.05 s (watch.checks.guests.timeout_seconds)']);
  });
});
