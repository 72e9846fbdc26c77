/**
 * @module watch/contexts
 * Watch over several labs: `homelab watch --all-contexts` runs one watcher per context
 * (each with its own config, clients and alert state in its context's state directory),
 * and whenever the config defines more than one lab, every alert names its context
 * (`[office] …`), so one chat can receive the alerts of every lab.
 */
import type { HomelabConfig } from '../core/config.js';
import { loadConfig } from '../core/config.js';
import { withContext } from '../core/context-name.js';
import type { Notifier } from './notifier.js';

/** `notifier` with every message prefixed by the context's name. */
export function namedNotifier(notifier: Notifier, context: string): Notifier {
  return { send: (text) => notifier.send(`[${context}] ${text}`) };
}

/** `notifier` as the watch of `config`'s context uses it: named when the config defines several labs. */
export function contextNotifier(notifier: Notifier, config: HomelabConfig): Notifier {
  return (config.contextNames?.length ?? 1) > 1 ? namedNotifier(notifier, config.context ?? 'default') : notifier;
}

/** One lab the watch runs in: its config and its environment with the context pinned. */
export interface WatchedLab {
  config: HomelabConfig;
  env: NodeJS.ProcessEnv;
}

/** The labs to watch: every context with `all`, else the one `config` is (the current one). */
export function watchedLabs(config: HomelabConfig, env: NodeJS.ProcessEnv, all: boolean): WatchedLab[] {
  const names = all ? (config.contextNames ?? [config.context ?? 'default']) : [config.context ?? 'default'];
  return names.map((name) => {
    const pinned = withContext(env, name);
    return { config: name === config.context ? config : loadConfig(pinned), env: pinned };
  });
}
