/**
 * Two `homelab lab --dir DIR` on one DIR, as two real processes: the second is refused (exit 2,
 * one line naming the running lab's pid, and its hint) before it writes anything, so the first
 * lab's config.yaml and credentials keep pointing at its own simulators and its export line
 * keeps working. A lab that stopped leaves no lock behind; one killed outright leaves a lock
 * naming a process that is gone, which the next lab takes over. Ctrl-C (SIGINT) and SIGTERM
 * stop it alike, during startup too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, runCli } from '../../helpers/cli.js';
import { startLabProcess, stopLabProcess } from '../../helpers/lab-process.js';

const started: ChildProcess[] = [];
const work = mkdtempSync(join(tmpdir(), 'homelab-lab-running-'));

/** Starts `homelab lab --dir dir --json`; resolves with the process and the environment it prints. */
function startLab(dir: string): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  return startLabProcess(['--dir', dir], cliEnv(), started);
}

const stop = stopLabProcess;

afterAll(async () => {
  await Promise.all(started.map((c) => stop(c)));
  rmSync(work, { recursive: true, force: true });
});

describe('homelab lab --dir on a directory where a lab runs', () => {
  it('refuses a second lab (exit 2, naming the first one\'s pid); the first keeps its config and works on', async () => {
    const dir = join(work, 'shared');
    const config = join(dir, 'config', 'homelab', 'config.yaml');
    const first = await startLab(dir);
    const written = readFileSync(config, 'utf8');
    const pve = readFileSync(join(dir, 'config', 'pve', 'credentials'), 'utf8');
    expect(readFileSync(join(dir, '.homelab-lab.lock'), 'utf8')).toBe(`${first.child.pid}\n`);

    const second = await runCli(['lab', '--dir', dir, '--json'], {}, { timeoutMs: 60_000 });
    expect([second.code, second.stdout, second.stderr]).toEqual([2, '', `homelab: --dir ${dir} is in use by a homelab lab that still runs (pid ${first.child.pid})\n  stop that lab first (Ctrl-C where it runs) or name another directory; if pid ${first.child.pid} is not a homelab lab, remove ${join(dir, '.homelab-lab.lock')}\n`]);
    expect(readFileSync(config, 'utf8')).toBe(written);
    expect(readFileSync(join(dir, 'config', 'pve', 'credentials'), 'utf8')).toBe(pve);
    const list = await runCli(['pve', 'list', '--json'], first.env, { timeoutMs: 60_000 });
    expect(list.code, list.stderr).toBe(0);

    // Stopped as Ctrl-C stops it: no lock left, the marker kept; the next lab starts there.
    await stop(first.child, 'SIGINT');
    expect(existsSync(join(dir, '.homelab-lab.lock'))).toBe(false);
    expect(existsSync(join(dir, '.homelab-lab'))).toBe(true);
    const next = await startLab(dir);
    expect(readFileSync(join(dir, '.homelab-lab.lock'), 'utf8')).toBe(`${next.child.pid}\n`);
    await stop(next.child);
  }, 180_000);

  it('a Ctrl-C while the lab starts stops it once started, leaving no lock behind', async () => {
    const dir = join(work, 'interrupted');
    const lock = join(dir, '.homelab-lab.lock');
    const child = spawn(process.execPath, [CLI, 'lab', '--dir', dir, '--json'], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
    // The lock appears before the simulators start: Ctrl-C as soon as it is there.
    while (!existsSync(lock)) {
      if (child.exitCode !== null) throw new Error('homelab lab exited before locking its directory');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGINT');
    expect(await exited).toEqual([0, null]);
    expect(out).toBe('');
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(join(dir, '.homelab-lab'))).toBe(true);
  }, 180_000);

  it('takes over the lock of a lab that was killed outright (its pid gone)', async () => {
    const dir = join(work, 'killed');
    const killed = await startLab(dir);
    await stop(killed.child, 'SIGKILL');
    expect(readFileSync(join(dir, '.homelab-lab.lock'), 'utf8')).toBe(`${killed.child.pid}\n`);
    const next = await startLab(dir);
    expect(readFileSync(join(dir, '.homelab-lab.lock'), 'utf8')).toBe(`${next.child.pid}\n`);
    const list = await runCli(['pve', 'list', '--json'], next.env, { timeoutMs: 60_000 });
    expect(list.code, list.stderr).toBe(0);
    await stop(next.child);
    expect(existsSync(join(dir, '.homelab-lab.lock'))).toBe(false);
  }, 180_000);
});
