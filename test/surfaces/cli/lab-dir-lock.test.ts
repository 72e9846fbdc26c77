/**
 * The `homelab lab --dir` lock judged in-process: a lock naming this very process (left by
 * an earlier process given our pid, pid 1 of a restarted container) or a running process
 * started after the lock was written (a reused pid) is stale and taken over; one naming a
 * process that started before it was written is refused. A stale lock another lab replaced
 * meanwhile is put back, never moved aside.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { LAB_DIR_LOCK, lockLabDir, takeOver } from '../../../src/surfaces/cli/lab-dir-lock.js';

const work = mkdtempSync(join(tmpdir(), 'homelab-lab-lock-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** The pid of a process that runs until killed, started now. */
async function sleeper(): Promise<number> {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  if (child.pid === undefined) throw new Error('sleep did not start');
  return child.pid;
}

/** A new directory whose lock names `pid`, written `agoMs` ago. */
function lockedDir(name: string, pid: number, agoMs = 0): { dir: string; lock: string } {
  const dir = join(work, name);
  const lock = join(dir, LAB_DIR_LOCK);
  mkdirSync(dir);
  writeFileSync(lock, `${pid}\n`);
  const at = (Date.now() - agoMs) / 1000;
  utimesSync(lock, at, at);
  return { dir, lock };
}

describe('the lab --dir lock', () => {
  it('takes over a lock naming this process (an earlier one given the same pid), and unlocks it', () => {
    const { dir, lock } = lockedDir('self', process.pid, 3_600_000);
    const unlock = lockLabDir(dir);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    unlock();
    expect(() => readFileSync(lock)).toThrow(/ENOENT/);
  });

  it('takes over a lock naming a running process that started after the lock was written (a reused pid)', async () => {
    const pid = await sleeper();
    const { dir, lock } = lockedDir('reused', pid, 3_600_000);
    const unlock = lockLabDir(dir);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    unlock();
  });

  it('refuses a lock naming a running process that started before the lock was written, naming its pid', async () => {
    const pid = await sleeper();
    const { dir, lock } = lockedDir('held', pid);
    expect(() => lockLabDir(dir)).toThrow(UsageError);
    expect(() => lockLabDir(dir)).toThrow(`--dir ${dir} is in use by a homelab lab that still runs (pid ${pid})`);
    expect(readFileSync(lock, 'utf8')).toBe(`${pid}\n`);
  });

  it('puts back a lock another lab put in place of the stale one it judged, and says it was not taken', async () => {
    const live = await sleeper();
    const { lock } = lockedDir('raced', live);
    const judgedDead = 2 ** 22 + 1; // above the default pid_max: no process has it
    expect(takeOver(lock, judgedDead)).toBe(false);
    expect(readFileSync(lock, 'utf8')).toBe(`${live}\n`);
    expect(takeOver(lock, live)).toBe(true);
    expect(() => readFileSync(lock)).toThrow(/ENOENT/);
  });
});
