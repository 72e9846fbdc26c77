/**
 * `homelab --version` answers from the entry alone (nothing else loaded), and like every
 * command, output it cannot write (stdout on /dev/full: ENOSPC, as on a full disk) is exit 1
 * with one line, while a reader that went away (a closed pipe) is not a failure.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv } from '../../helpers/cli.js';

describe('homelab --version whose output is lost', () => {
  it('exits 1 with one line when stdout is full', () => {
    for (const flag of ['--version', '-V']) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [CLI, flag], { env: cliEnv(), stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 30_000 });
        expect(r.stderr, flag).toBe('homelab: cannot write the output: ENOSPC\n');
        expect(r.status, flag).toBe(1);
      } finally {
        closeSync(full);
      }
    }
  });

  it('prints the version and exits 0 when stdout takes it', () => {
    const r = spawnSync(process.execPath, [CLI, '--version'], { env: cliEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
});
