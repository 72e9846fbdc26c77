/**
 * The daemon as a library (`startWatch`, what `homelab watch` and the bot run): runs
 * every check once at start and schedules them; bad config is refused naming the key.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { getRegistry } from '../../src/services/index.js';
import type { SimServer } from '../../src/lab/sim-server.js';
import { startWatch } from '../../src/watch/daemon.js';
import type { Notifier } from '../../src/watch/notifier.js';
import { WatchStore } from '../../src/watch/state.js';
import { Watcher } from '../../src/watch/watcher.js';
import { until } from '../surfaces/telegram/harness.js';
import { useLab } from '../helpers/lab.js';
import { RecordingNotifier, tempDataDir } from './helpers.js';

const lab = useLab({ services: ['pve'] });

const configWith = (watch: Record<string, unknown>): ReturnType<typeof loadConfig> => ({ ...loadConfig(lab.current.env), watch });

describe('startWatch', () => {
  it('runs every check at start, schedules each one and the digest, and stops', async () => {
    const data = tempDataDir();
    const notifier = new RecordingNotifier();
    const lines: string[] = [];
    let firstRoundDone!: () => void;
    const done = new Promise<void>((resolve) => { firstRoundDone = resolve; });
    const running = await startWatch({
      registry: getRegistry(),
      config: configWith({ for: '0s', timezone: 'UTC', checks: { guests: { schedule: '*/2 * * * *' } } }),
      env: { ...lab.current.env, HOMELAB_DATA_HOME: data.dir },
      notifier,
      log: (line) => {
        lines.push(line);
        if (line.startsWith('updates:')) firstRoundDone();
      },
    });
    try {
      await done;
      expect(lines).toContain('guests: 1 finding(s); 1 notice(s) sent');
      expect(lines).toContain('monitors: skipped (kuma not configured)');
      expect(notifier.messages.join('\n')).toContain('VM 201 (media)');
      const jobs = running.schedules.next().map((j) => j.job);
      expect(jobs).toEqual(['guests', 'nodes', 'updates', 'consistency', 'digest']);
      const guests = running.schedules.next().find((j) => j.job === 'guests')?.next;
      expect(guests?.getUTCMinutes() ?? 1).toBe(Math.floor((guests?.getUTCMinutes() ?? 1) / 2) * 2);
      expect(guests?.getUTCSeconds()).toBe(0);
    } finally {
      await running.stop();
      data.remove();
    }
  });

  it('refuses a bad cron expression, naming the key', async () => {
    const data = tempDataDir();
    try {
      const started = startWatch({
        registry: getRegistry(), config: configWith({ checks: { nodes: { schedule: '61 * * * *' } } }),
        env: { ...lab.current.env, HOMELAB_DATA_HOME: data.dir }, notifier: new RecordingNotifier(), runAtStart: false,
      });
      await expect(started).rejects.toThrow(ConfigError);
      await expect(started).rejects.toThrow(/watch\.checks\.nodes\.schedule: "61 \* \* \* \*" is not a valid cron expression/);
    } finally {
      data.remove();
    }
  });

  it('refuses a time zone that is none, naming watch.timezone (not the first schedule)', async () => {
    const started = startWatch({ registry: getRegistry(), config: configWith({ timezone: 'Mars/Olympus' }), env: { ...lab.current.env }, notifier: new RecordingNotifier(), runAtStart: false });
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(/: watch\.timezone: "Mars\/Olympus" is not a time zone \(e\.g\. Europe\/Berlin\)$/);
  });

  it('refuses unknown or invalid settings, naming the key', async () => {
    const start = (watch: Record<string, unknown>): Promise<unknown> => startWatch({ registry: getRegistry(), config: configWith(watch), env: { ...lab.current.env }, notifier: new RecordingNotifier(), runAtStart: false });
    await expect(start({ fro: '5m' })).rejects.toThrow(/watch: Unrecognized key: "fro"/);
    await expect(start({ checks: { systems: { disk: 120 } } })).rejects.toThrow(/watch\.checks\.systems\.disk/);
    await expect(start({ checks: { guests: { for: 'soon' } } })).rejects.toThrow(/watch\.checks\.guests\.for: must be a duration/);
  });

  it('stops during the first round without waiting for a send Telegram never answers: the rest of the round is not run, the notice stays due', async () => {
    const data = tempDataDir();
    const lines: string[] = [];
    let sending!: () => void;
    const sendStarted = new Promise<void>((resolve) => { sending = resolve; });
    // A notifier that never answers: only the daemon's stop signal ends the send.
    const silent: Notifier = {
      send: (_text, signal) => new Promise<void>((_resolve, reject) => {
        sending();
        signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      }),
    };
    const running = await startWatch({
      registry: getRegistry(), config: configWith({ for: '0s', timezone: 'UTC' }),
      env: { ...lab.current.env, HOMELAB_DATA_HOME: data.dir }, notifier: silent, log: (line) => lines.push(line),
    });
    try {
      await sendStarted;
    } finally {
      await running.stop();
    }
    const store = await WatchStore.open(data.dir);
    try {
      expect(lines).toContain('first run stopped: the watch is stopping (what was not sent is sent at the next start)');
      expect(lines.some((l) => l.startsWith('nodes:') || l.startsWith('updates:'))).toBe(false);
      expect(store.runs().map((r) => r.check)).not.toContain('nodes');
      const guest = store.alerts('guests').find((a) => a.key === 'guests:201');
      expect(guest?.state).toBe('firing');
      expect(guest?.notified).toBe(false);
    } finally {
      store.close();
      data.remove();
    }
  });

  it('stops during a scheduled run\'s send: waits for it to give up before closing the store, so no claim stays and the next run sends the notice', async () => {
    const data = tempDataDir();
    const env = { ...lab.current.env, HOMELAB_DATA_HOME: data.dir };
    const config = configWith({ for: '0s', timezone: 'UTC', digest: { enabled: false }, checks: { guests: { schedule: '* * * * * *' }, nodes: { enabled: false }, updates: { enabled: false }, consistency: { enabled: false } } });
    const lines: string[] = [];
    let sending!: () => void;
    const sendStarted = new Promise<void>((resolve) => { sending = resolve; });
    // A notifier that never answers: only the daemon's stop signal ends the send cron started, on the
    // next turn of the event loop, as a request's abort does (its socket closes first).
    const silent: Notifier = {
      send: (_text, signal) => new Promise<void>((_resolve, reject) => {
        sending();
        signal?.addEventListener('abort', () => setImmediate(() => reject(signal.reason as Error)), { once: true });
      }),
    };
    const running = await startWatch({ registry: getRegistry(), config, env, notifier: silent, log: (line) => lines.push(line), runAtStart: false });
    try {
      await sendStarted;
    } finally {
      await running.stop();
    }
    expect(lines.filter((l) => l.startsWith('could not record'))).toEqual([]);
    expect(lines).toContain('guests: 1 finding(s); 1 notice(s) NOT sent, will retry');
    const store = await WatchStore.open(data.dir);
    try {
      expect(store.claims.all()).toEqual([]);
      expect(store.alerts('guests').find((a) => a.key === 'guests:201')?.notified).toBe(false);
    } finally {
      store.close();
    }
    // The next start (here one round) sends it: nothing was lost.
    const notifier = new RecordingNotifier();
    const next = await Watcher.open({ registry: getRegistry(), config, env, notifier });
    try {
      expect((await next.runCheck('guests')).sent).toBe(true);
      expect(notifier.messages.join('\n')).toContain('VM 201 (media)');
    } finally {
      await next.close();
      next.store.close();
      data.remove();
    }
  });

  it('stops during the first round without waiting for a check whose service never answers, recording nothing of it', async () => {
    const data = tempDataDir();
    const pve = lab.current.sims.get('pve') as unknown as SimServer;
    const calls = pve.requests.length;
    pve.faults.hangNext = 1_000;
    const running = await startWatch({
      registry: getRegistry(), config: configWith({ for: '0s', timezone: 'UTC', timeout_seconds: 3600 }),
      env: { ...lab.current.env, HOMELAB_DATA_HOME: data.dir }, notifier: new RecordingNotifier(),
    });
    try {
      await until(() => pve.requests.length > calls, 'the guests check to ask PVE');
    } finally {
      await running.stop();
      pve.faults.hangNext = 0;
    }
    const store = await WatchStore.open(data.dir);
    try {
      expect(store.runs().map((r) => r.check)).not.toContain('guests');
      expect(store.alerts()).toEqual([]);
    } finally {
      store.close();
      data.remove();
    }
  });
});
