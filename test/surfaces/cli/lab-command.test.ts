/**
 * `homelab lab` as a user runs it (the built CLI, a child process): its value options take
 * their value as the next word or after `=`, `--guests N` seeds N more guests that the CLI
 * then sees, `--refuse-monitors N` makes Uptime Kuma refuse the next monitor adds so that
 * `expose` rolls back by hand, and bad options are usage errors (exit 2) before anything starts.
 * `--dir DIR` takes a new or empty directory, or one an earlier lab wrote, and refuses any
 * other (exit 2) before writing anything: the lab never overwrites a config it did not write.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guests } from '../../../src/lab/inventory.js';
import { runCli } from '../../helpers/cli.js';
import { startLabProcess, stopLabProcess } from '../../helpers/lab-process.js';

const started: ChildProcess[] = [];

/** Starts `homelab lab ...args --json` and resolves with the environment it prints. */
async function startLab(args: string[]): Promise<Record<string, string>> {
  const { env } = await startLabProcess(args, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', XDG_CACHE_HOME: process.env.XDG_CACHE_HOME }, started);
  return env;
}

/** Stops a lab started here (SIGTERM, as Ctrl-C) and waits for it to exit. */
const stop = (child: ChildProcess): Promise<void> => stopLabProcess(child);

const work = mkdtempSync(join(tmpdir(), 'homelab-lab-dir-'));

afterAll(async () => {
  await Promise.all(started.map(stop));
  rmSync(work, { recursive: true, force: true });
});

describe('homelab lab', () => {
  it('takes --latency 5 --task 300 --guests 3 --refuse-monitors 1 as separate words; the CLI sees the extra guests and Kuma refuses one add', async () => {
    const env = await startLab(['--latency', '5', '--task', '300', '--guests', '3', '--refuse-monitors', '1']);
    const list = await runCli(['pve', 'list', '--json'], env, { timeoutMs: 60_000 });
    expect(list.code, list.stderr).toBe(0);
    const vmids = (JSON.parse(list.stdout) as { vmid: number }[]).map((g) => g.vmid);
    expect(vmids).toHaveLength(guests.length + 3);
    expect(vmids).toEqual(expect.arrayContaining([1000, 1001, 1002]));
    const refused = await runCli(['expose', 'board', 'dockge:5001', '--yes'], env, { timeoutMs: 60_000 });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SQLITE_FULL: database or disk is full');
    expect(refused.stdout + refused.stderr).toMatch(/undone/);
    const again = await runCli(['expose', 'board', 'dockge:5001', '--yes'], env, { timeoutMs: 60_000 });
    expect(again.code, again.stderr).toBe(0);
  }, 120_000);

  it('takes --option=value too', async () => {
    const env = await startLab(['--latency=0', '--guests=0']);
    const list = await runCli(['pve', 'list', '--json'], env, { timeoutMs: 60_000 });
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(guests.length);
  }, 120_000);

  it.each([
    [['--latency'], '--latency needs a value'],
    [['--guests', 'many'], '--guests must be a whole number from 0 to 10000'],
    [['--guests', '-1'], '--guests must be a whole number from 0 to 10000'],
    [['--refuse-monitors', '2.5'], '--refuse-monitors must be a whole number from 0 to 1000'],
    [['--faults'], 'unknown option --faults'],
    [['5'], 'unexpected argument 5'],
  ])('refuses %j with exit 2', async (args, message) => {
    const res = await runCli(['lab', ...args]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
  });

  it('--dir refuses a directory holding files it did not write, and leaves them as they were (exit 2)', async () => {
    const dir = join(work, 'mine');
    mkdirSync(join(dir, 'config', 'homelab'), { recursive: true });
    mkdirSync(join(dir, 'config', 'pve'), { recursive: true });
    writeFileSync(join(dir, 'config', 'homelab', 'config.yaml'), '# precious\n');
    writeFileSync(join(dir, 'config', 'pve', 'credentials'), 'PVE_TOKEN_SECRET=mine\n');
    const res = await runCli(['lab', '--dir', dir]);
    expect([res.code, res.stderr]).toEqual([2, `homelab: --dir ${dir} holds files an earlier homelab lab did not write (config); the lab would overwrite its config.yaml and credentials there\n  name a new or empty directory, or leave out --dir for a temporary one\n`]);
    expect(readFileSync(join(dir, 'config', 'homelab', 'config.yaml'), 'utf8')).toBe('# precious\n');
    expect(readFileSync(join(dir, 'config', 'pve', 'credentials'), 'utf8')).toBe('PVE_TOKEN_SECRET=mine\n');
    expect(existsSync(join(dir, '.homelab-lab'))).toBe(false);
    // A file is no directory either.
    const file = join(work, 'plain');
    writeFileSync(file, 'x\n');
    const onFile = await runCli(['lab', '--dir', file]);
    expect([onFile.code, onFile.stderr.split('\n')[0]]).toEqual([2, `homelab: --dir ${file} is not a directory`]);
  });

  it('--dir takes a new or empty directory, and again the one an earlier lab wrote', async () => {
    for (const dir of [join(work, 'new', 'lab'), join(work, 'empty')]) {
      if (dir.endsWith('empty')) mkdirSync(dir);
      const first = await startLab(['--dir', dir]);
      expect(first.HOMELAB_CONFIG_HOME).toBe(join(dir, 'config'));
      expect(readFileSync(join(dir, 'config', 'homelab', 'config.yaml'), 'utf8')).toMatch(/^services:/m);
      await stop(started.at(-1) as ChildProcess);
      // The next run in the same directory: the lab's own files, written afresh.
      const again = await startLab(['--dir', dir]);
      const list = await runCli(['pve', 'list', '--json'], again, { timeoutMs: 60_000 });
      expect(list.code, list.stderr).toBe(0);
      await stop(started.at(-1) as ChildProcess);
    }
  }, 120_000);

  it('says what each option does', async () => {
    const res = await runCli(['lab', '--help']);
    expect(res.code).toBe(0);
    for (const flag of ['--latency MS', '--task MS', '--guests N', '--refuse-monitors N', '--dir DIR', '--json']) expect(res.stdout).toContain(flag);
  });
});
