/**
 * @module watch/lab-watches
 * The watch daemon in several labs at once (`watch/contexts`): `homelab watch` (one lab, or
 * every lab with `--all-contexts`) and the bot's built-in watcher (every lab it serves)
 * start theirs here, one `startWatch` per lab.
 */
import type { Registry } from '../core/registry.js';
import type { WatchedLab } from './contexts.js';
import { startWatch } from './daemon.js';
import type { Notifier } from './notifier.js';

/** Options of `startLabWatches`. */
export interface LabWatchesOptions {
  registry: Registry;
  /** The log of one lab's watcher (its lines name the lab when there are several). */
  log(lab: WatchedLab): (line: string) => void;
  /** One lab's notifier; default (undefined): Telegram, to that lab's chat. */
  notifier?(lab: WatchedLab): Notifier | undefined;
}

/** Runs the watch daemon (`startWatch`) in each lab, logging when each job runs next; resolves once all run. */
export async function startLabWatches(labs: readonly WatchedLab[], options: LabWatchesOptions): Promise<{ stop(): Promise<void> }> {
  const running = await Promise.all(labs.map((lab) => startWatch({ registry: options.registry, config: lab.config, env: lab.env, notifier: options.notifier?.(lab), log: options.log(lab) })));
  for (const [i, r] of running.entries()) {
    const log = options.log(labs[i] as WatchedLab);
    for (const j of r.schedules.next()) log(`${j.job} next at ${j.next?.toISOString() ?? 'never'}`);
  }
  return { stop: async () => { await Promise.all(running.map((r) => r.stop())); } };
}
