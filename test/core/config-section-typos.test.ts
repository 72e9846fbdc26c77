/**
 * The `watch:`, `check:` and `telegram:` sections refuse a key they do not know as the
 * service sections do: a config error naming the key and, when it is a typo of a known
 * one, that key (`Unrecognized key: "fro" (did you mean "for"?)`). Under `watch:` that holds
 * at every level (`watch.digest`, `watch.checks.<name>`), and a check name no check has is
 * refused with the one meant, where they used to be dropped without a word.
 */
import { describe, expect, it } from 'vitest';
import type { HomelabConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { checkConfig } from '../../src/services/hub/check-config.js';
import { telegramConfig } from '../../src/services/telegram/config.js';
import { guestsCheck } from '../../src/watch/checks/guests.js';
import { checkSettings, watchConfig } from '../../src/watch/config.js';

const config = (sections: Partial<HomelabConfig>): HomelabConfig => ({ services: {}, ssh: { targets: [], concurrency: 4, timeout_seconds: 60 }, path: '/etc/homelab/config.yaml', ...sections });

/** The error `read` throws. */
function refusal(read: () => unknown): Error {
  try { read(); } catch (err) { return err as Error; }
  throw new Error('not refused');
}

describe('a typo in the watch:, check: and telegram: sections', () => {
  it.each([
    ['watch', () => watchConfig(config({ watch: { fro: '5m' } })), 'watch: Unrecognized key: "fro" (did you mean "for"?)'],
    ['watch', () => watchConfig(config({ watch: { chekcs: {} } })), 'watch: Unrecognized key: "chekcs" (did you mean "checks"?)'],
    ['watch.digest', () => watchConfig(config({ watch: { digest: { schedul: '0 9 * * *' } } })), 'watch.digest: Unrecognized key: "schedul" (did you mean "schedule"?)'],
    ['watch.checks', () => watchConfig(config({ watch: { checks: { gusets: { for: '1m' } } } })), 'watch.checks: Unrecognized key: "gusets" (did you mean "guests"?); the checks are backups, guests, nodes, monitors, certs, systems, updates, consistency'],
    ['watch.checks.guests', () => {
      const c = config({ watch: { checks: { guests: { ignroe: [202], fro: '10m' } } } });
      return checkSettings(c, watchConfig(c), 'guests', guestsCheck.options);
    }, 'watch.checks.guests: Unrecognized keys: "ignroe" (did you mean "ignore"?), "fro" (did you mean "for"?)'],
    ['check', () => checkConfig(config({ check: { probe_mapp: {} } })), 'check: Unrecognized key: "probe_mapp" (did you mean "probe_map"?)'],
    ['telegram', () => telegramConfig(config({ telegram: { allowed_user: [4242] } })), 'telegram: Unrecognized key: "allowed_user" (did you mean "allowed_users"?)'],
  ])('%s: names the key meant', (_section, read, message) => {
    const err = refusal(read);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(`/etc/homelab/config.yaml: ${message}`);
  });

  it('a check\'s own keys and the common ones still load', () => {
    const c = config({ watch: { digest: { schedule: '0 9 * * *' }, checks: { guests: { ignore: [202], for: '10m' }, nodes: null } } });
    const watch = watchConfig(c);
    expect(watch.digest.schedule).toBe('0 9 * * *');
    expect(checkSettings(c, watch, 'guests', guestsCheck.options)).toMatchObject({ ignore: [202], for: 600_000 });
  });

  it('names a key close to none without a guess', () => {
    expect(refusal(() => watchConfig(config({ watch: { xyzzy: 1 } }))).message).toBe('/etc/homelab/config.yaml: watch: Unrecognized key: "xyzzy"');
  });
});
