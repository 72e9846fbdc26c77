/**
 * The build keeps its output from growing without end: chunk files that it did not write
 * and that are older than a few minutes are removed; a chunk written moments ago (by a
 * build running in parallel) and everything the new build wrote stay. Runs the real build
 * script into a folder of its own (HOMELAB_BUILD_OUTDIR), never into the dist/ that other
 * tests are running.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// Inside the repository, so that the built files find its node_modules.
const out = join(root, 'node_modules', '.cache', `homelab-build-test-${process.pid}`);
const chunks = join(out, 'chunks');
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Every chunk file a built file imports, followed from `file`. */
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
    mkdirSync(chunks, { recursive: true });
    const stale = join(chunks, 'main-STALE000.js');
    const staleMap = join(chunks, 'main-STALE000.js.map');
    const fresh = join(chunks, 'main-FRESH000.js');
    for (const f of [stale, staleMap, fresh]) writeFileSync(f, 'export {};\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    utimesSync(staleMap, hourAgo, hourAgo);

    await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: root, env: { ...process.env, HOMELAB_BUILD_OUTDIR: out } });

    expect(existsSync(stale)).toBe(false);
    expect(existsSync(staleMap)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(JSON.parse(readFileSync(join(chunks, 'command-index.json'), 'utf8'))).toBeTruthy();
    // The lab's ES modules and their chunks, the CLI's entry and bundle, the lab's and the daemons' CommonJS bundles.
    const needed = importedChunks(join(out, 'lab.js'));
    expect(needed.size).toBeGreaterThan(1);
    const bundle = /"\.\/(chunks\/cli-[A-Z0-9]+\.cjs)"/.exec(readFileSync(join(out, 'cli.cjs'), 'utf8'))?.[1];
    expect(bundle).toBeDefined();
    for (const f of [join(out, 'cli.cjs'), join(out, bundle!), join(out, 'lab.cjs'), join(out, 'daemons.cjs')]) needed.add(f);
    for (const f of needed) {
      expect(existsSync(f), f).toBe(true);
      expect(existsSync(`${f}.map`), `${f}.map`).toBe(true);
    }
  }, 60_000);

  it("keeps the chunks of the build before for one more build: a daemon started from it still loads them lazily", async () => {
    const build = (): Promise<unknown> => promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: root, env: { ...process.env, HOMELAB_BUILD_OUTDIR: out } });
    await build();
    // A chunk of that build that the next build no longer writes (its code changed), and old by now.
    const lazy = join(chunks, 'service-OLDBUILD.js');
    writeFileSync(lazy, 'export {};\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(lazy, hourAgo, hourAgo);
    const manifest = join(chunks, 'previous-build.json');
    writeFileSync(manifest, JSON.stringify([...(JSON.parse(readFileSync(manifest, 'utf8')) as string[]), 'service-OLDBUILD.js']));
    await build();
    expect(existsSync(lazy)).toBe(true);
    await build();
    expect(existsSync(lazy)).toBe(false);
  }, 120_000);
});
