/**
 * @module watch/lab-watches
 * The watch daemon in several labs at once (`watch/contexts`): `homelab watch` (one lab, or
 * every lab with `--all-contexts`) and the bot's built-in watcher (every lab it serves)
 * start theirs here, one `startWatch` per lab. Each lab starts on its own: one that cannot
 * (a bad `watch:` block, say) is told to `onError` and the others still run.
 */
import type { Registry } from '../core/registry.js';
import type { WatchedLab } from './contexts.js';
import { startWatch, type RunningWatch } from './daemon.js';
import type { Notifier } from './notifier.js';

/** Options of `startLabWatches`. */
export interface LabWatchesOptions {
  registry: Registry;
  /** The log of one lab's watcher (its lines name the lab when there are several). */
  log(lab: WatchedLab): (line: string) => void;
  /** One lab's notifier; default (undefined): Telegram, to that lab's chat. */
  notifier?(lab: WatchedLab): Notifier | undefined;
  /** Told of each lab whose watcher could not start; that lab is then not watched. */
  onError(lab: WatchedLab, error: unknown): void;
}

/** The watchers `startLabWatches` started. */
export interface LabWatches {
  /** How many labs are watched (those whose watcher started). */
  readonly started: number;
  /** Stops every started watcher. */
  stop(): Promise<void>;
}

/**
 * Runs the watch daemon (`startWatch`) in each lab, logging when each job runs next; resolves
 * once every lab has started or failed to (failures go to `onError`, never thrown).
 */
export async function startLabWatches(labs: readonly WatchedLab[], options: LabWatchesOptions): Promise<LabWatches> {
  const settled = await Promise.allSettled(labs.map(async (lab) => startWatch({ registry: options.registry, config: lab.config, env: lab.env, notifier: options.notifier?.(lab), log: options.log(lab) })));
  const running: RunningWatch[] = [];
  for (const [i, s] of settled.entries()) {
    const lab = labs[i] as WatchedLab;
    if (s.status === 'rejected') {
      options.onError(lab, s.reason);
      continue;
    }
    running.push(s.value);
    const log = options.log(lab);
    for (const j of s.value.schedules.next()) log(`${j.job} next at ${j.next?.toISOString() ?? 'never'}`);
  }
  return { started: running.length, stop: async () => { await Promise.all(running.map((r) => r.stop())); } };
}
