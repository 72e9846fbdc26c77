/**
 * @module surfaces/cli/code-cache
 * Runs the CLI bundle (one CommonJS file: the CLI, every service, zod and yaml; other
 * packages stay in node_modules) with V8's code cache, so that a command does not pay for
 * compiling what it ran last time. Most of a command's start-up on Node 20 was V8 compiling
 * JavaScript: Node 20 keeps no compile cache for ES modules (Node 22's
 * `module.enableCompileCache` does), but `vm.Script` takes and produces V8 code caches on
 * every Node version.
 *
 * The cache lives in `$XDG_CACHE_HOME/homelab/v8` (default `~/.cache/homelab/v8`), one file
 * per bundle, command group and V8 version. A code cache is code: it is used only from a
 * directory that is this user's own and closed to others (mode 0700), and written there with
 * mode 0600 through a rename, so a reader never sees half a file; each file carries a SHA-256
 * of its cache, checked before V8 sees it. V8 refuses a cache made by another V8 or other flags; the file name carries the bundle's content hash, so a cache made
 * for another build is never offered. A temporary file a killed run left is removed by the
 * next write (core/stale-temps). Anything wrong with the cache only costs its speed:
 * the command runs without it. `NODE_DISABLE_COMPILE_CACHE=1` (Node's own switch) turns it off.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';
import { removeStaleTemps } from '../../core/stale-temps.js';
import { privateDir, userCacheDir } from '../../core/user-cache.js';

/** What the bundle exports: the CLI's `main`. */
export interface CliBundle {
  main(argv: string[], version: string): Promise<number>;
  /** Whether the last `main` run did its work (the CLI bundle's; the daemons' has none). */
  lastRunCompleted?(): boolean;
}

/** A loaded bundle, and the step that stores its code cache once the command is done. */
export interface LoadedBundle {
  bundle: CliBundle;
  /** Writes the code cache when there was none or V8 refused it; never throws. */
  saveCache(): void;
  /** `used`: V8 took the cache; `refused`: V8 did not; `none`: there was none yet; `off`: no usable cache directory. */
  cacheState(): 'used' | 'refused' | 'none' | 'off';
}

/** What the bundle's source is wrapped in (CommonJS's own wrapper): its code starts after this. */
export const BUNDLE_WRAPPER_PREFIX = '(function (exports, require, module, __filename, __dirname) {';

/** The directory of the code caches, or undefined when caching is off. */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const dir = env.NODE_DISABLE_COMPILE_CACHE ? undefined : userCacheDir(env);
  return dir && join(dir, 'v8');
}

/**
 * The V8 code cache inside a cache file (a SHA-256 of it, then the cache), or undefined when
 * the file is damaged. V8 checks a cache's version and flags but, in release builds, not its
 * bytes: a damaged one would crash the process rather than be refused.
 */
function checked(file: Buffer): Buffer | undefined {
  if (file.length <= 32) return undefined;
  const data = file.subarray(32);
  return createHash('sha256').update(data).digest().equals(file.subarray(0, 32)) ? data : undefined;
}

/**
 * Loads the bundle at `file` (an absolute path) for a command of `group` (its first word,
 * from a known list, so the number of cache files stays bounded). `useCache: false` compiles
 * from source and writes no cache (a daemon: one start, then days of running).
 */
export function loadCliBundle(file: string, group: string, env: NodeJS.ProcessEnv, useCache = true): LoadedBundle {
  const dir = useCache ? codeCacheDir(env) : undefined;
  const usable = dir !== undefined && privateDir(dir);
  const stem = basename(file).replace(/\.c?js$/, '');
  const cacheFile = usable ? join(dir, `${stem}.${group}.${process.versions.v8}.${process.arch}.bin`) : undefined;
  let cached: Buffer | undefined;
  let damaged = false;
  if (cacheFile) {
    try {
      cached = checked(readFileSync(cacheFile));
      damaged = cached === undefined;
    } catch {
      // none yet (or unreadable): compile from source, write it afterwards
    }
  }
  // The build writes these bundles in ASCII (scripts/build.mjs escapes what esbuild leaves),
  // which latin1 decodes exactly, faster, and into a one-byte string; a bundle that is not
  // (a hand-edited one) is still read right, as UTF-8.
  const bytes = readFileSync(file);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const script = new vm.Script(`${BUNDLE_WRAPPER_PREFIX}${source}\n})`, {
    filename: file,
    cachedData: cached,
    // No importModuleDynamically: the build turns the bundle's import() into require().
  });
  const module = { exports: {} as Partial<CliBundle> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  if (typeof module.exports.main !== 'function') throw new Error(`${file} is not a homelab CLI bundle`);
  const bundle = module.exports as CliBundle;
  const refused = damaged || (cached !== undefined && script.cachedDataRejected === true);
  return {
    bundle,
    cacheState: () => (!cacheFile ? 'off' : refused ? 'refused' : cached === undefined ? 'none' : 'used'),
    saveCache() {
      if (!cacheFile || !dir || (cached && !refused)) return;
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        const data = script.createCachedData();
        writeFileSync(temp, Buffer.concat([createHash('sha256').update(data).digest(), data]), { mode: 0o600 });
        renameSync(temp, cacheFile);
        // Temporary files of runs killed before their rename (this build's too).
        removeStaleTemps(dir, () => true);
        // Caches of other builds that nothing has rewritten for a day: an older build is
        // gone. (Another install on this machine rewrites its own when they are removed.)
        const dayAgo = Date.now() - 86_400_000;
        for (const name of readdirSync(dir)) {
          const other = join(dir, name);
          if (!name.startsWith(`${stem}.`) && (name.endsWith('.bin') || name.endsWith('.tmp')) && statSync(other).mtimeMs < dayAgo) rmSync(other, { force: true });
        }
      } catch {
        // a full disk or a read-only home costs speed only
      }
    },
  };
}
