/**
 * The daemon as a library (`startWatch`, what `homelab watch` and the bot run): runs
 * every check once at start and schedules them; bad config is refused naming the key.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { getRegistry } from '../../src/services/index.js';
import { startWatch } from '../../src/watch/daemon.js';
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

  it('refuses unknown or invalid settings, naming the key', async () => {
    const start = (watch: Record<string, unknown>): Promise<unknown> => startWatch({ registry: getRegistry(), config: configWith(watch), env: { ...lab.current.env }, notifier: new RecordingNotifier(), runAtStart: false });
    await expect(start({ fro: '5m' })).rejects.toThrow(/watch: Unrecognized key: "fro"/);
    await expect(start({ checks: { systems: { disk: 120 } } })).rejects.toThrow(/watch\.checks\.systems\.disk/);
    await expect(start({ checks: { guests: { for: 'soon' } } })).rejects.toThrow(/watch\.checks\.guests\.for: must be a duration/);
  });
});
