/**
 * The inbox lock: contenders that all find the same stale lock (its holder crashed)
 * must not both end up holding it, whatever order their file-system steps take, and a
 * live holder that runs longer than the stale age keeps its lock.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFileLock } from '../../../src/services/telegram/file-lock.js';

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
      mkdirSync(`${base}/inbox.lock`, { recursive: true });
      const old = new Date(Date.now() - 60_000);
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
      expect([existsSync(`${base}/inbox.lock`), existsSync(`${base}/inbox.lock.break`)]).toEqual([false, false]);
    }
    expect(overlaps).toBe(0);
  });

  it('takes over a stale lock even when a crashed take-over left its guard behind', async () => {
    const base = join(dir, 'guard');
    const old = new Date(Date.now() - 60_000);
    for (const d of ['inbox.lock', 'inbox.lock.break']) {
      mkdirSync(join(base, d), { recursive: true });
      utimesSync(join(base, d), old, old);
    }
    expect(await withFileLock(join(base, 'inbox'), async () => 'held', { staleMs: 1000, waitMs: 2000 })).toBe('held');
    expect(existsSync(join(base, 'inbox.lock'))).toBe(false);
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
});
