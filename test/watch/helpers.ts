/**
 * @module test/watch/helpers
 * A watcher against the simulated lab with a fake clock and a notifier that records
 * what the owner would receive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { loadConfig } from '../../src/core/config.js';
import { getRegistry } from '../../src/services/index.js';
import type { RunningLab } from '../../src/lab/lab.js';
import type { AnyCheck } from '../../src/watch/check.js';
import type { Notifier } from '../../src/watch/notifier.js';
import { WatchStore } from '../../src/watch/state.js';
import { Watcher } from '../../src/watch/watcher.js';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public ms: number = Date.now()) {}
  /** Moves on by a duration in minutes. */
  advance(minutes: number): void {
    this.ms += minutes * 60_000;
  }
  readonly now = (): number => this.ms;
}

/** Records every message sent; `fail` makes the next sends throw. */
export class RecordingNotifier implements Notifier {
  messages: string[] = [];
  fail = false;
  async send(text: string): Promise<void> {
    if (this.fail) throw new Error('telegram unreachable');
    this.messages.push(text);
  }
  /** Messages since the last call. */
  take(): string[] {
    const out = this.messages;
    this.messages = [];
    return out;
  }
}

/** A data directory of its own, for a store. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-watch-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Bundles `source` (TypeScript that imports the project's modules by `src(…)` paths) to an ES
 * module in `dir`, for real processes to run; the environment to run it with (better-sqlite3
 * is the project's).
 */
export function bundleScript(dir: string, name: string, source: string): { file: string; env: NodeJS.ProcessEnv } {
  const file = join(dir, `${name}.mjs`);
  buildSync({ stdin: { contents: source, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: file, external: ['better-sqlite3'], logLevel: 'silent' });
  return { file, env: { ...process.env, NODE_PATH: fileURLToPath(new URL('../../node_modules', import.meta.url)) } };
}

/** The absolute path of a module under src/, as a string literal for `bundleScript`'s source. */
export function src(path: string): string {
  return JSON.stringify(fileURLToPath(new URL(`../../src/${path}`, import.meta.url)));
}

/** Builds a watcher over the lab's config with `watch` settings, a fresh or given store. */
export async function labWatcher(lab: RunningLab, options: { watch: Record<string, unknown>; dataDir: string; clock: FakeClock; notifier: Notifier; checks?: readonly AnyCheck[] }): Promise<Watcher> {
  const config = { ...loadConfig(lab.env), watch: options.watch };
  return new Watcher({
    registry: getRegistry(),
    config,
    env: { ...lab.env, HOMELAB_DATA_HOME: options.dataDir },
    notifier: options.notifier,
    store: await WatchStore.open(options.dataDir),
    now: options.clock.now,
    ...(options.checks ? { checks: options.checks } : {}),
  });
}
