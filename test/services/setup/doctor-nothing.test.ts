/**
 * `doctor` with nothing to check (no config file, or one that configures no service, SSH
 * target or Telegram bot) says so plainly and exits 3, pointing at `homelab init`, instead
 * of "all good" with exit 0.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const roots: string[] = [];
afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

function home(config?: string): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'homelab-doctor-nothing-'));
  roots.push(root);
  const env = { HOMELAB_CONFIG_HOME: join(root, 'config'), HOMELAB_DATA_HOME: join(root, 'data') };
  if (config !== undefined) {
    mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true, mode: 0o700 });
    writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), config, { mode: 0o600 });
  }
  return env;
}

describe('doctor with nothing configured', () => {
  it.each([
    ['no config file', undefined, 'does not exist'],
    ['a config of shared settings only', 'watch:\n  repeat: 5m\n', 'no service, SSH target or Telegram bot'],
  ])('%s: says nothing is configured yet, exit 3', async (_what, config, why) => {
    const env = home(config);
    const res = await runCli(['doctor'], env);
    expect(res.code).toBe(3);
    expect(res.stdout).toBe('');
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^homelab: nothing is configured yet: .*${why}$`));
    expect(lines.slice(1).join('\n')).toContain('run homelab init');
    expect(res.stderr).not.toContain('all good');
  });
});
