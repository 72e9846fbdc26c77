/**
 * The `watch:`, `check:` and `telegram:` sections refuse a key they do not know as the
 * service sections do: a config error naming the key and, when it is a typo of a known
 * one, that key (`Unrecognized key: "fro" (did you mean "for"?)`).
 */
import { describe, expect, it } from 'vitest';
import type { HomelabConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { checkConfig } from '../../src/services/hub/check-config.js';
import { telegramConfig } from '../../src/services/telegram/config.js';
import { watchConfig } from '../../src/watch/config.js';

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
    ['check', () => checkConfig(config({ check: { probe_mapp: {} } })), 'check: Unrecognized key: "probe_mapp" (did you mean "probe_map"?)'],
    ['telegram', () => telegramConfig(config({ telegram: { allowed_user: [4242] } })), 'telegram: Unrecognized key: "allowed_user" (did you mean "allowed_users"?)'],
  ])('%s: names the key meant', (_section, read, message) => {
    const err = refusal(read);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(`/etc/homelab/config.yaml: ${message}`);
  });

  it('names a key close to none without a guess', () => {
    expect(refusal(() => watchConfig(config({ watch: { xyzzy: 1 } }))).message).toBe('/etc/homelab/config.yaml: watch: Unrecognized key: "xyzzy"');
  });
});
