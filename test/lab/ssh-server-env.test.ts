/**
 * A bad HOMELAB_LAB_SSH_SERVER is a config error (exit 3) said in one line, before anything
 * starts: from `npm run demo` (dist/demo.js), `homelab demo` and `homelab lab` alike, never
 * a stack trace. The built files, as a user runs them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sshServerPreference } from '../../src/lab/ssh-target/server-preference.js';
import { cliEnv, runCli } from '../helpers/cli.js';

const DEMO = fileURLToPath(new URL('../../dist/demo.js', import.meta.url));
const LINE = 'homelab: HOMELAB_LAB_SSH_SERVER must be auto, sshd or ssh2, not "bogus"\n';

describe('HOMELAB_LAB_SSH_SERVER', () => {
  it('takes auto, sshd or ssh2 (unset or empty: auto), and refuses anything else as a config error', () => {
    expect(['', 'auto', 'sshd', 'ssh2'].map((v) => sshServerPreference({ HOMELAB_LAB_SSH_SERVER: v }))).toEqual(['auto', 'auto', 'sshd', 'ssh2']);
    expect(sshServerPreference({})).toBe('auto');
    expect(() => sshServerPreference({ HOMELAB_LAB_SSH_SERVER: 'openssh' })).toThrow(expect.objectContaining({ name: 'ConfigError', exitCode: 3 }));
  });

  it('bogus: npm run demo exits 3 with one line', () => {
    if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing: run npm run build first`);
    const r = spawnSync(process.execPath, [DEMO], { env: { ...cliEnv(), HOMELAB_LAB_SSH_SERVER: 'bogus' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toBe(LINE);
    expect(r.stdout).toBe('');
  });

  it.each([['demo'], ['lab']])('bogus: homelab %s exits 3 with one line, having started nothing', async (command) => {
    const r = await runCli([command], { HOMELAB_LAB_SSH_SERVER: 'bogus' }, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toBe(LINE);
    expect(r.stdout).toBe('');
  });
});
