/**
 * @module core/stale-temps
 * The temporary files a cache writer leaves when it is killed between writing
 * `<file>.<pid>.tmp` and renaming it over `<file>`: nothing else ever removes them. A writer
 * holds its temporary file for milliseconds, so one whose process is gone, or that is older
 * than a few minutes (its pid since taken by another process), is stale.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './process-alive.js';

/** How old a temporary file of a live pid may be before it is taken for a leftover. */
export const STALE_TEMP_MS = 5 * 60_000;

/** `<anything>.<pid>.tmp`: the pid that wrote it. */
const TEMP = /\.(\d+)\.tmp$/;


/**
 * Removes from `dir` the stale `<name>.<pid>.tmp` files whose name `belongs` says are this
 * writer's: their pid is not running, or they are older than `STALE_TEMP_MS`. Never throws:
 * a file that cannot be removed is left for the next time.
 */
export function removeStaleTemps(dir: string, belongs: (name: string) => boolean, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = TEMP.exec(name)?.[1];
    if (pid === undefined || !belongs(name)) continue;
    const file = join(dir, name);
    try {
      if (!processAlive(Number(pid)) || now - statSync(file).mtimeMs > STALE_TEMP_MS) rmSync(file, { force: true });
    } catch {
      // gone meanwhile, or not ours to remove: left as it is
    }
  }
}
