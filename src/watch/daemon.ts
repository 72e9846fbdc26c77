/**
 * @module watch/daemon
 * `startWatch`: the watch daemon as a library, for `homelab watch` and for the bot
 * (`homelab bot` runs it too when `watch.enabled` is true). Installs the audit hook,
 * opens the store, runs every check once at start, then keeps them on schedule. `stop()`
 * aborts what is under way (the first round's remaining checks, a check's requests, a send
 * waiting on Telegram, in the first round or in a run cron started) and resolves promptly,
 * once those runs have ended: only then is the store closed, so a run cut off records
 * nothing and a notice whose send was cut off stays due, its claim dropped (the state is as
 * if the run had not happened, and the next start sends it).
 */
import { installAuditHook } from '../audit/hook.js';
import { CancelledError } from '../core/errors.js';
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
  // Stopping aborts the checks and sends under way (systemd's TimeoutStopSec is short).
  const stopping = new AbortController();
  const watcher = await Watcher.open({ registry: options.registry, config: options.config, env, notifier: stoppable(notifier, stopping.signal), log, signal: stopping.signal });
  const schedules = await startSchedules(watcher, log).catch(async (err: unknown) => {
    // A schedule that cannot start: the store and clients opened for it are closed again.
    await watcher.close();
    watcher.store.close();
    throw err;
  });
  const first = options.runAtStart ?? true ? runFirstRound(watcher, log, stopping.signal) : Promise.resolve();
  return {
    watcher,
    schedules,
    async stop() {
      schedules.stop();
      stopping.abort(new CancelledError('the watch is stopping'));
      // Aborted, the runs under way end at once; the store stays open until they have recorded what they did not send.
      await Promise.all([first, schedules.idle()]);
      await watcher.close();
      watcher.store.close();
    },
  };
}

/** `notifier` giving up once `signal` aborts: a send not begun is refused, one under way is told to stop. */
function stoppable(notifier: Notifier, signal: AbortSignal): Notifier {
  return {
    send: async (text) => {
      signal.throwIfAborted();
      await notifier.send(text, signal);
    },
    limit: notifier.limit,
    gapMs: notifier.gapMs,
  };
}
