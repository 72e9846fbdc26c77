/**
 * @module watch/daemon
 * `startWatch`: the watch daemon as a library, for `homelab watch` and for the bot
 * (`homelab bot` runs it too when `watch.enabled` is true). Installs the audit hook,
 * opens the store, runs every check once at start, then keeps them on schedule.
 */
import { installAuditHook } from '../audit/hook.js';
import type { HomelabConfig } from '../core/config.js';
import type { Registry } from '../core/registry.js';
import type { Notifier } from './notifier.js';
import { notifierFromConfig } from './notifier.js';
import { contextNotifier } from './contexts.js';
import { runFirstRound, startSchedules, type Schedules } from './scheduler.js';
import { watchConfig } from './config.js';
import { Watcher } from './watcher.js';

/** Options of `startWatch`. */
export interface StartWatchOptions {
  registry: Registry;
  config: HomelabConfig;
  env?: NodeJS.ProcessEnv;
  /** Default: Telegram, to `watch.chat_id` or `telegram.owner_chat_id`. */
  notifier?: Notifier;
  /** One line per run (the journal). */
  log?: (line: string) => void;
  /** Run every check once right away (default true). */
  runAtStart?: boolean;
}

/** A running watch daemon. */
export interface RunningWatch {
  watcher: Watcher;
  schedules: Schedules;
  stop(): Promise<void>;
}

/** Starts the watch daemon. */
export async function startWatch(options: StartWatchOptions): Promise<RunningWatch> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  installAuditHook();
  // With several labs in the config, each alert names its context.
  const notifier = contextNotifier(options.notifier ?? notifierFromConfig(options.config, env, watchConfig(options.config).chat_id), options.config);
  const watcher = await Watcher.open({ registry: options.registry, config: options.config, env, notifier, log });
  const schedules = await startSchedules(watcher, log).catch(async (err: unknown) => {
    // A schedule that cannot start: the store and clients opened for it are closed again.
    await watcher.close();
    watcher.store.close();
    throw err;
  });
  const first = options.runAtStart ?? true ? runFirstRound(watcher, log) : Promise.resolve();
  return {
    watcher,
    schedules,
    async stop() {
      schedules.stop();
      await first;
      await watcher.close();
      watcher.store.close();
    },
  };
}
