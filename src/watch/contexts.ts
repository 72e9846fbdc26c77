/**
 * @module watch/contexts
 * Watch over several labs: `homelab watch --all-contexts`, and the bot's built-in watcher
 * (`watch.enabled`, for every lab the bot serves), run one watcher per context (each with
 * its own config, clients and alert state in its context's state directory), and whenever
 * the config defines more than one lab, every alert names its context (`[office] …`), so
 * one chat can receive the alerts of every lab. Every context is watched whatever lab the
 * shell names (HOMELAB_CONTEXT, `current_context`): a fan-out runs in no one lab.
 */
import type { HomelabConfig } from '../core/config.js';
import { loadConfig } from '../core/config.js';
import { DEFAULT_CONTEXT, readContextChoice, withContext } from '../core/context-name.js';
import { configFile } from '../core/paths.js';
import { TELEGRAM_LIMIT, type Notifier } from './notifier.js';

/** `notifier` with every message prefixed by the context's name. */
export function namedNotifier(notifier: Notifier, context: string): Notifier {
  const prefix = `[${context}] `;
  return { send: (text, signal) => notifier.send(`${prefix}${text}`, signal), limit: (notifier.limit ?? TELEGRAM_LIMIT) - prefix.length, gapMs: notifier.gapMs };
}

/** `notifier` as the watch of `config`'s context uses it: named when the config defines several labs. */
export function contextNotifier(notifier: Notifier, config: HomelabConfig): Notifier {
  return (config.contextNames?.length ?? 1) > 1 ? namedNotifier(notifier, config.context ?? DEFAULT_CONTEXT) : notifier;
}

/** One lab the watch runs in: its config and its environment with the context pinned. */
export interface WatchedLab {
  config: HomelabConfig;
  env: NodeJS.ProcessEnv;
}

/** The name of a watched lab. */
export const labName = (lab: WatchedLab): string => lab.config.context ?? DEFAULT_CONTEXT;

/**
 * The labs to watch: with `all`, every context config.yaml defines (the current one, however
 * chosen, plays no part), else the current one. `skip`, when given, is told of a lab whose
 * config cannot be loaded, which is then left out (the bot keeps watching the others);
 * without it, that error is thrown.
 */
export function watchedLabs(env: NodeJS.ProcessEnv, all: boolean, skip?: (name: string, error: unknown) => void): WatchedLab[] {
  if (!all) {
    const config = loadConfig(env);
    return [{ config, env: withContext(env, config.context ?? DEFAULT_CONTEXT) }];
  }
  return readContextChoice(configFile(env), env).names.flatMap((name) => {
    const pinned = withContext(env, name);
    try {
      return [{ config: loadConfig(pinned), env: pinned }];
    } catch (err) {
      if (!skip) throw err;
      skip(name, err);
      return [];
    }
  });
}
