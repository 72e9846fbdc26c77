/**
 * `homelab lab` killed outright (SIGKILL: no handler runs) leaves no sshd behind and no folder
 * holding the lab's user key: each sshd's watchdog sees the lab gone and ends sshd's process
 * group, then removes the folder. The built CLI runs as a real process, with real sshd.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findSshd } from '../../src/lab/ssh-target/sshd.js';
import { cliEnv } from '../helpers/cli.js';
import { startLabProcess, stopLabProcess } from '../helpers/lab-process.js';

const started: ChildProcess[] = [];
let leftOver: number[] = [];

afterAll(async () => {
  await Promise.all(started.map((c) => stopLabProcess(c, 'SIGKILL')));
  // Only when the test failed: the processes it found, by pid.
  for (const pid of leftOver) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

/** Pids of the processes whose command line names `dir`. */
function processesNaming(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(join('/proc', entry, 'cmdline'), 'utf8').includes(dir)) pids.push(Number(entry));
    } catch { /* ended meanwhile */ }
  }
  return pids;
}

/** Resolves once `done()` holds, checking every 100 ms; rejects with `why()` after 20 s. */
async function until(done: () => boolean, why: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(why());
}

describe.skipIf(!findSshd())('homelab lab killed with SIGKILL', () => {
  it('leaves no sshd running and removes the folder with the user key', async () => {
    const lab = await startLabProcess([], { ...cliEnv(), HOMELAB_LAB_SSH_SERVER: 'sshd' }, started);
    const config = readFileSync(join(lab.env.HOMELAB_CONFIG_HOME ?? '', 'homelab', 'config.yaml'), 'utf8');
    const key = /key: (\S*id_ed25519)/.exec(config)?.[1];
    expect(key, config).toBeDefined();
    const sshDir = dirname(key ?? '');
    const sshd = processesNaming(sshDir);
    expect(sshd.length).toBeGreaterThan(0);

    await stopLabProcess(lab.child, 'SIGKILL');
    leftOver = sshd;
    await until(() => processesNaming(sshDir).length === 0 && !existsSync(sshDir),
      () => `left behind: processes ${processesNaming(sshDir).join(', ') || 'none'}; ${sshDir} ${existsSync(sshDir) ? 'still there' : 'removed'}`);
    leftOver = [];
  }, 120_000);
});
