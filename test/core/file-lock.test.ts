/**
 * The inbox lock: contenders that all find the same stale lock (its holder crashed)
 * must not both end up holding it, whatever order their file-system steps take; a
 * live holder that runs longer than the stale age keeps its lock; and a holder that
 * stalled, was taken over and wakes up leaves the new holder's lock alone.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, FileAccessError } from '../../src/core/errors.js';
import { withFileLock } from '../../src/core/file-lock.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'file-lock-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inbox lock', () => {
  it('lets one of several contenders that find the same stale lock hold it, however their steps interleave', async () => {
    // Each contender names the lock through a different path string, so the in-process queue
    // does not order them: they meet only at the lock directory, as separate processes do.
    let overlaps = 0;
    for (let trial = 0; trial < 40; trial++) {
      const base = join(dir, 'async', `t${trial}`);
      // A crashed holder's lock: its token untouched for a minute (or, every other trial, a
      // lock it left empty when it crashed half-way through releasing it).
      mkdirSync(`${base}/inbox.lock`, { recursive: true });
      const old = new Date(Date.now() - 60_000);
      if (trial % 2 === 0) {
        writeFileSync(`${base}/inbox.lock/owner-1-dead`, '1\n');
        utimesSync(`${base}/inbox.lock/owner-1-dead`, old, old);
      }
      utimesSync(`${base}/inbox.lock`, old, old);
      let inside = 0;
      const contender = async (i: number): Promise<void> => {
        for (let tick = 0; tick < (i * trial) % 7; tick++) await new Promise((r) => setImmediate(r));
        await withFileLock(`${base}/${'./'.repeat(i)}inbox`, async () => {
          inside++;
          if (inside > 1) overlaps++;
          await new Promise((r) => setTimeout(r, 5));
          inside--;
        }, { staleMs: 2000 });
      };
      await Promise.all([0, 1, 2, 3, 4].map(contender));
      expect(readdirSync(base)).toEqual([]);
    }
    expect(overlaps).toBe(0);
  });

  it('waits for a fresh token, and leaves alone a lock directory holding something else', async () => {
    const base = join(dir, 'fresh');
    mkdirSync(join(base, 'inbox.lock'), { recursive: true });
    writeFileSync(join(base, 'inbox.lock', 'owner-1-alive'), '1\n');
    await expect(withFileLock(join(base, 'inbox'), async () => 'held', { staleMs: 5000, waitMs: 200 })).rejects.toThrow(/is locked by another process/);
    const old = new Date(Date.now() - 60_000);
    rmSync(join(base, 'inbox.lock', 'owner-1-alive'));
    writeFileSync(join(base, 'inbox.lock', 'notes'), 'not a token');
    utimesSync(join(base, 'inbox.lock'), old, old);
    await expect(withFileLock(join(base, 'inbox'), async () => 'held', { staleMs: 1000, waitMs: 200 })).rejects.toThrow(/is locked by another process/);
    expect(readdirSync(base).sort()).toEqual(['inbox.lock']);
    expect(readdirSync(join(base, 'inbox.lock'))).toEqual(['notes']);
  });

  it('keeps the lock of a live holder that runs longer than the stale age', async () => {
    const path = join(dir, 'live', 'inbox');
    const events: string[] = [];
    const first = withFileLock(path, async () => {
      events.push('first in');
      await new Promise((r) => setTimeout(r, 700));
      events.push('first out');
    }, { staleMs: 300 });
    await new Promise((r) => setTimeout(r, 50));
    // Another process would see the same directory: contend through a different path string for the same lock.
    const second = withFileLock(`${join(dir, 'live')}/./inbox`, async () => { events.push('second'); }, { staleMs: 300 });
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second']);
  });

  it('leaves the lock of whoever took it over alone when a holder that stalled past the stale age ends', async () => {
    // The stalled holder takes the lock and then stops touching it, as a process blocked in
    // sync work or stopped would: its lock is made a minute old (its own touch interval
    // follows its long stale age, so it does not refresh it). The taker finds it stale and
    // takes the lock over; only once the taker is in does the stalled holder wake up and end.
    // The third contender starts while the taker works and must wait for it, not for the first.
    // Every step waits on a gate the test controls, so the order does not rest on timing.
    const base = join(dir, 'stalled');
    const lock = join(base, 'inbox.lock');
    const events: string[] = [];
    let inside = 0;
    const enter = (name: string): void => { events.push(`${name} in with ${inside} inside`); inside++; };
    const leave = (name: string): void => { inside--; events.push(`${name} out`); };
    const gate = (): { opened: Promise<void>; open: () => void } => {
      let open = (): void => undefined;
      const opened = new Promise<void>((r) => { open = r; });
      return { opened, open };
    };
    const stalledIn = gate();
    const takerIn = gate();
    const first = withFileLock(join(base, 'inbox'), async () => {
      enter('stalled');
      const old = new Date(Date.now() - 60_000);
      for (const name of readdirSync(lock)) utimesSync(join(lock, name), old, old);
      utimesSync(lock, old, old);
      stalledIn.open();
      await takerIn.opened;
      leave('stalled');
    }, { staleMs: 60_000 });
    await stalledIn.opened;
    let third: Promise<void> | undefined;
    let probe: Promise<string> | undefined;
    const second = withFileLock(`${base}/./inbox`, async () => {
      enter('taker');
      third = withFileLock(`${base}/././inbox`, async () => { enter('third'); leave('third'); }, { staleMs: 60_000 });
      takerIn.open();
      await first; // the stalled holder has woken up and run its release
      // Still ours: a contender that tries once, now, must find the lock held.
      probe = withFileLock(`${base}/./././inbox`, async () => 'got in', { staleMs: 60_000, waitMs: 0 }).catch((err: Error) => err.message);
      await probe;
      leave('taker');
    }, { staleMs: 1000 });
    await Promise.all([first, second]);
    await third;
    // The stalled holder and its taker overlap (that is what taking over a stale lock means);
    // the taker still holds the lock after the stalled holder ended, and the third comes in
    // only after the taker is out.
    expect(await probe).toMatch(/is locked by another process/);
    expect(events).toEqual(['stalled in with 0 inside', 'taker in with 1 inside', 'stalled out', 'taker out', 'third in with 0 inside', 'third out']);
    expect(readdirSync(base)).toEqual([]);
  });

  it('removes staging directories that contenders killed while waiting left, and leaves fresh ones alone', async () => {
    const base = join(dir, 'staging');
    const plant = (token: string, age: number, withToken = true): void => {
      const staging = join(base, `inbox.lock.${token}`);
      mkdirSync(staging, { recursive: true });
      const when = new Date(Date.now() - age);
      if (withToken) {
        writeFileSync(join(staging, token), '1\n');
        utimesSync(join(staging, token), when, when);
      }
      utimesSync(staging, when, when);
    };
    plant('owner-1-killed', 60_000);
    plant('owner-2-killedbeforewriting', 60_000, false);
    plant('owner-3-waiting', 0);
    // A live waiter's directory can be old; its token, touched while it waits, is not.
    plant('owner-4-waitinglong', 0);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(base, 'inbox.lock.owner-4-waitinglong'), old, old);
    // Something that only looks similar is not ours to remove.
    mkdirSync(join(base, 'inbox.lock.notes'));
    utimesSync(join(base, 'inbox.lock.notes'), old, old);
    expect(await withFileLock(join(base, 'inbox'), async () => 'held', { staleMs: 2000 })).toBe('held');
    expect(readdirSync(base).sort()).toEqual(['inbox.lock.notes', 'inbox.lock.owner-3-waiting', 'inbox.lock.owner-4-waitinglong']);
    expect(readdirSync(join(base, 'inbox.lock.owner-3-waiting'))).toEqual(['owner-3-waiting']);
  });

  it('whose folder cannot be made is one line naming the folder (exit 3), and the work does not run', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    let ran = false;
    const failure = await withFileLock(join(blocker, 'telegram', 'inbox'), async () => { ran = true; }).catch((err: unknown) => err);
    expect(ran).toBe(false);
    expect(failure).toBeInstanceOf(FileAccessError);
    expect((failure as FileAccessError).exitCode).toBe(ExitCode.config);
    expect((failure as FileAccessError).message).toContain(`cannot write ${join(blocker, 'telegram')}`);
    expect((failure as FileAccessError).systemCode).toBe('ENOTDIR');
  });
});
