/**
 * config.yaml decides where tokens are sent, so one that others may write is refused
 * (exit 3, with the chmod fix), as a credentials file others may read is; so is one in a
 * folder others may write (they could replace the file), unless the folder is sticky.
 * Group-writable files and folders are accepted.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError, ExitCode } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'config-mode-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function home(mode: number, folderMode = 0o755): { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string; path: string } {
  const dir = mkdtempSync(join(root, 'h-'));
  const path = join(dir, 'config', 'homelab', 'config.yaml');
  mkdirSync(join(dir, 'config', 'homelab'), { recursive: true });
  writeFileSync(path, 'services:\n  dns:\n    url: http://127.0.0.1:9\n');
  chmodSync(path, mode);
  chmodSync(join(dir, 'config', 'homelab'), folderMode);
  return { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data'), path };
}

/** The error `loadConfig` throws for `env`. */
function refusal(env: NodeJS.ProcessEnv): unknown {
  try {
    loadConfig(env);
  } catch (err) {
    return err;
  }
  return undefined;
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

  it('refuses a config file in a folder that others may write (anyone could replace the file), naming the fix', () => {
    const { path, ...env } = home(0o600, 0o777);
    const folder = dirname(path);
    const error = refusal(env);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.config);
    expect((error as ConfigError).message).toBe(`folder ${folder} of the config file is writable by others (mode 777): anyone could replace config.yaml, which decides where credentials are sent`);
    expect((error as ConfigError).hint).toBe(`run: chmod o-w ${folder}`);
    expect(refusal(home(0o600, 0o703))).toBeInstanceOf(ConfigError);
  });

  it('accepts a group-writable folder, and a sticky one (others cannot replace a file they do not own)', () => {
    for (const folderMode of [0o700, 0o750, 0o755, 0o770, 0o775, 0o1777]) {
      const { path, ...env } = home(0o600, folderMode);
      expect(refusal(env), `folder mode ${folderMode.toString(8)}`).toBeUndefined();
      expect(loadConfig(env).path).toBe(path);
    }
  });

  it('the CLI exits 3 with one line and the chmod fix for a world-writable folder', async () => {
    const { path, ...env } = home(0o600, 0o777);
    const result = await runCli(['dns', 'records', 'home.lan'], env);
    expect(result.code).toBe(3);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      `homelab: folder ${dirname(path)} of the config file is writable by others (mode 777): anyone could replace config.yaml, which decides where credentials are sent`,
      `  run: chmod o-w ${dirname(path)}`,
    ]);
  });

  it('the CLI exits 3 with the chmod fix', async () => {
    const { path, ...env } = home(0o646);
    const result = await runCli(['dns', 'records', 'home.lan'], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`config file ${path} is writable by others (mode 646)`);
    expect(result.stderr).toContain(`run: chmod o-w ${path}`);
  });
});
