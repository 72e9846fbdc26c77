/**
 * @module surfaces/cli/run-bundle
 * Runs a command through the CLI bundle that the build wrote next to the entry file, with
 * the V8 code cache of the command's group (code-cache.ts); the daemons (`mcp`, `bot`,
 * `serve`) through their own bundle, dist/daemons.cjs, without a cache. One-shot commands
 * parse with zod's `jitless` option. Used by the built entry only; tests and other
 * surfaces import `main` directly.
 */
import { fileURLToPath } from 'node:url';
import { loadCliBundle, type CliBundle } from './code-cache.js';

/** The CLI bundle, relative to the entry file; set by the build. */
declare const HOMELAB_CLI_BUNDLE: string;
/** The first words with a code cache of their own (services, aliases, top-level verbs); set by the build. */
declare const HOMELAB_CACHE_GROUPS: readonly string[];

/**
 * The code-cache group of a command line: its first word when it is a known one (`pve`,
 * `status`, …), `top` when there is none, `other` otherwise; help runs get their own, smaller
 * cache (`pve-help`), so that `pve --help` does not leave `pve list` a cache without its code.
 * The value of `--context <name>` is not a command word: `--context office pve list` is `pve`.
 */
export function cacheGroup(argv: readonly string[], known: readonly string[]): string {
  const word = argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '--context');
  const group = word === undefined ? 'top' : known.includes(word) ? word : 'other';
  return argv.includes('--help') || argv.includes('-h') || word === 'help' ? `${group}-help` : group;
}

/** Command groups that keep running (or run many commands): they keep zod's compiled parsers. */
const LONG_RUNNING: ReadonlySet<string> = new Set(['bot', 'mcp', 'serve', 'watch', 'lab', 'batch', 'demo']);

/**
 * Whether a run of this group should parse with zod's `jitless` option. zod compiles a
 * parser (`new Function`) for each object schema the first time it parses; that pays off
 * over many parses, but a one-shot command parses each schema once or twice, and code made
 * by `new Function` is never in V8's code cache: measured, `pve list` starts about 1.5 ms
 * sooner without it (bench/startup.mjs). The results are the same either way.
 */
export function parsesJitless(group: string): boolean {
  return !LONG_RUNNING.has(group.replace(/-help$/, ''));
}

/** The groups of the daemons, which the daemons' own bundle runs (surfaces/daemons.ts). */
const DAEMONS: ReadonlySet<string> = new Set(['bot', 'mcp', 'serve']);

/** Whether a run of this group is a daemon's (`bot`, `mcp`, `serve`, their help too). */
export function runsAsDaemon(group: string): boolean {
  return DAEMONS.has(group.replace(/-help$/, ''));
}

/** Runs `homelab …argv` and returns its exit code. */
export async function runCli(argv: string[], version: string): Promise<number> {
  const group = cacheGroup(argv, HOMELAB_CACHE_GROUPS);
  if (runsAsDaemon(group)) return runDaemon(argv, version, group);
  const file = fileURLToPath(new URL(HOMELAB_CLI_BUNDLE, import.meta.url));
  // zod reads its global config from here when it loads, and each schema reads it when built.
  const zodGlobal = globalThis as { __zod_globalConfig?: Record<string, unknown> };
  if (parsesJitless(group)) zodGlobal.__zod_globalConfig = { ...zodGlobal.__zod_globalConfig, jitless: true };
  let loaded;
  try {
    loaded = loadCliBundle(file, group, process.env);
  } catch (err) {
    process.stderr.write(`homelab: cannot load ${file}: ${(err as Error).message.split('\n')[0]}\n  the build is incomplete: run npm run build (or reinstall homelab)\n`);
    return 1;
  }
  const code = await loaded.bundle.main(argv, version);
  // The cache holds what this run compiled and is then used unchanged, so only a run that did
  // its work writes it (it succeeded, failed or found trouble, judged before --detailed-exitcode
  // remaps its code). A usage, config or connection error stops early and would leave the
  // group a thin cache for good.
  if (loaded.bundle.lastRunCompleted?.() ?? (code === 0 || code === 1)) loaded.saveCache();
  return code;
}

/**
 * A daemon through dist/daemons.cjs alone: it runs for days, so one copy of the code in
 * memory matters more than the milliseconds a code cache would save at its start. Loaded
 * as the CLI bundle is (vm.Script), without a cache: measured, an idle `homelab mcp` holds
 * about 3 MiB less than when Node's require loads the same file.
 */
async function runDaemon(argv: string[], version: string, group: string): Promise<number> {
  const file = fileURLToPath(new URL('./daemons.cjs', import.meta.url));
  let daemons: CliBundle;
  try {
    daemons = loadCliBundle(file, group, process.env, false).bundle;
  } catch (err) {
    process.stderr.write(`homelab: cannot load ${file}: ${(err as Error).message.split('\n')[0]}\n  the build is incomplete: run npm run build (or reinstall homelab)\n`);
    return 1;
  }
  return daemons.main(argv, version);
}
