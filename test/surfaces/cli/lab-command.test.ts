/**
 * `homelab lab` as a user runs it (the built CLI, a child process): its value options take
 * their value as the next word or after `=`, `--guests N` seeds N more guests that the CLI
 * then sees, `--refuse-monitors N` makes Uptime Kuma refuse the next monitor adds so that
 * `expose` rolls back by hand, and bad options are usage errors (exit 2) before anything starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { guests } from '../../../src/lab/inventory.js';
import { CLI, runCli } from '../../helpers/cli.js';

const started: ChildProcess[] = [];

/** Starts `homelab lab ...args --json` and resolves with the environment it prints. */
function startLab(args: string[]): Promise<Record<string, string>> {
  const child = spawn(process.execPath, [CLI, 'lab', ...args, '--json'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`homelab lab printed nothing in 60 s: ${err}`)), 60_000);
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve((JSON.parse(out.split('\n')[0] as string) as { env: Record<string, string> }).env);
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`homelab lab exited ${code}: ${err}`)); });
  });
}

afterAll(async () => {
  await Promise.all(started.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  })));
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

  it('says what each option does', async () => {
    const res = await runCli(['lab', '--help']);
    expect(res.code).toBe(0);
    for (const flag of ['--latency MS', '--task MS', '--guests N', '--refuse-monitors N', '--dir DIR', '--json']) expect(res.stdout).toContain(flag);
  });
});
