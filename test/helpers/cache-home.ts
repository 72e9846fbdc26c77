/**
 * @module test/helpers/cache-home
 * A vitest setup file: every test file gets its own empty user cache folder
 * (`XDG_CACHE_HOME`, a temporary directory removed afterwards), so no test reads or writes
 * the developer's `~/.cache/homelab` (remembered PVE node names, the parsed config, compiled
 * code). In-process runs see it through `process.env`; `runCli` and `cliEnv` pass it to the
 * CLI they start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const before = process.env.XDG_CACHE_HOME;
const dir = mkdtempSync(join(tmpdir(), 'homelab-test-cache-'));
process.env.XDG_CACHE_HOME = dir;

afterAll(() => {
  if (before === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = before;
  rmSync(dir, { recursive: true, force: true });
});
