/**
 * What `checkConfigPermissions` says of a real config.yaml when another identity runs homelab:
 * the refusal (a ConfigError), or undefined when it is accepted. Shared by the config
 * ownership and mode tests.
 */
import { statSync } from 'node:fs';
import { checkConfigPermissions } from '../../src/core/config-permissions.js';
import { ConfigError } from '../../src/core/errors.js';

/** What `checkConfigPermissions` throws for the config file at `path` as user `uid` in `groups`, or undefined. */
export function refusalAs(path: string, uid: number, groups: readonly number[] = []): ConfigError | undefined {
  try {
    checkConfigPermissions(path, statSync(path), { uid, groups });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  return undefined;
}
