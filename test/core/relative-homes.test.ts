/**
 * The config and data homes must be absolute paths: a relative `HOMELAB_DATA_HOME`,
 * `HOMELAB_CONFIG_HOME` or `HOME` is a config error naming the variable (exit 3), never
 * state written under whatever directory the command runs in.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { configHome, contextDataHome, dataHome } from '../../src/core/paths.js';
import { CLI, cliEnv, type CliResult } from '../helpers/cli.js';

/** Runs the built CLI in the directory `cwd` with `env` added to a clean environment. */
function runIn(cwd: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...cliEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const refusal = (fn: () => unknown): unknown => { try { fn(); } catch (e) { return e; } return undefined; };

describe('relative config and data homes', () => {
  it('are refused by name; absolute ones are used as given', () => {
    for (const [name, read] of [['HOMELAB_DATA_HOME', dataHome], ['HOMELAB_CONFIG_HOME', configHome]] as const) {
      const err = refusal(() => read({ [name]: 'state' }));
      expect(err, name).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).exitCode).toBe(3);
      expect((err as ConfigError).message).toBe(`${name} is a relative path ("state"): homelab keeps its config and state only under an absolute one`);
      expect(read({ [name]: '/srv/homelab' })).toBe('/srv/homelab');
    }
    expect(refusal(() => contextDataHome({ HOMELAB_DATA_HOME: './state', HOMELAB_CONFIG_HOME: '/nonexistent-homelab' }))).toBeInstanceOf(ConfigError);
  });

  it('make a command that writes state exit 3 and write nothing in the working directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'homelab-cwd-'));
    const home = mkdtempSync(join(tmpdir(), 'homelab-home-'));
    const runs: [Record<string, string>, string][] = [
      [{ HOME: home, HOMELAB_DATA_HOME: 'state', HOMELAB_CONFIG_HOME: join(home, 'config') }, 'HOMELAB_DATA_HOME'],
      [{ HOME: home, HOMELAB_DATA_HOME: join(home, 'data'), HOMELAB_CONFIG_HOME: 'config' }, 'HOMELAB_CONFIG_HOME'],
      [{ HOME: 'relative/dir' }, 'HOME'],
    ];
    for (const [env, name] of runs) {
      for (const args of [['telegram', 'inbox', 'clear'], ['telegram', 'allow', '1234'], ['pve', 'list']]) {
        const res = await runIn(cwd, args, env);
        expect(res.code, `${name} ${args.join(' ')}`).toBe(3);
        expect(res.stderr, `${name} ${args.join(' ')}`).toMatch(new RegExp(`^homelab: ${name} is a relative path \\("`));
      }
    }
    expect(readdirSync(cwd)).toEqual([]);
  });
});
