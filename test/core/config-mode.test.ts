/**
 * config.yaml decides where tokens are sent, so one that others may write is refused
 * (exit 3, with the chmod fix), as a credentials file others may read is.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError, ExitCode } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'config-mode-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function home(mode: number): { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string; path: string } {
  const dir = mkdtempSync(join(root, 'h-'));
  const path = join(dir, 'config', 'homelab', 'config.yaml');
  mkdirSync(join(dir, 'config', 'homelab'), { recursive: true });
  writeFileSync(path, 'services:\n  dns:\n    url: http://127.0.0.1:9\n');
  chmodSync(path, mode);
  return { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data'), path };
}

describe('config.yaml permissions', () => {
  it('refuses a config file that others may write, naming the fix', () => {
    const { path, ...env } = home(0o666);
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.config);
    expect((error as ConfigError).message).toBe(`config file ${path} is writable by others (mode 666): it decides where credentials are sent`);
    expect((error as ConfigError).hint).toBe(`run: chmod o-w ${path}`);
  });

  it('accepts the usual modes', () => {
    for (const mode of [0o600, 0o640, 0o644, 0o664]) {
      const { path, ...env } = home(mode);
      expect(loadConfig(env).path).toBe(path);
    }
  });

  it('the CLI exits 3 with the chmod fix', async () => {
    const { path, ...env } = home(0o646);
    const result = await runCli(['dns', 'records', 'home.lan'], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`config file ${path} is writable by others (mode 646)`);
    expect(result.stderr).toContain(`run: chmod o-w ${path}`);
  });
});
