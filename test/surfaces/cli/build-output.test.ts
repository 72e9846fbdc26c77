/**
 * `npm run build` keeps dist/ from growing without end: chunk files that the build did not
 * write and that are older than a few minutes are removed; a chunk written moments ago
 * (by a build running in parallel) and everything the new build wrote stay. Runs the real
 * build script on the repository's dist/.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const chunks = join(root, 'dist', 'chunks');

/** Every chunk file a built file imports, followed from dist/cli.js. */
function importedChunks(file: string, seen = new Set<string>()): Set<string> {
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+\.js)"/g)) {
    const target = join(dirname(file), spec as string);
    if (seen.has(target)) continue;
    seen.add(target);
    if (existsSync(target)) importedChunks(target, seen);
  }
  return seen;
}

describe('the build', () => {
  it('removes stale chunk files it did not write, and keeps fresh ones and its own', async () => {
    const tag = `${process.pid}-${Date.now()}`;
    const stale = join(chunks, `stale-${tag}.js`);
    const staleMap = join(chunks, `stale-${tag}.js.map`);
    const fresh = join(chunks, `fresh-${tag}.js`);
    for (const f of [stale, staleMap, fresh]) writeFileSync(f, 'export {};\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    utimesSync(staleMap, hourAgo, hourAgo);

    await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: root });

    expect(existsSync(stale)).toBe(false);
    expect(existsSync(staleMap)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(join(chunks, 'command-index.json'))).toBe(true);
    const needed = importedChunks(join(root, 'dist', 'cli.js'));
    expect(needed.size).toBeGreaterThan(3);
    for (const f of needed) expect(existsSync(f), f).toBe(true);
    rmSync(fresh);
  }, 60_000);
});
