/**
 * @module surfaces/cli/completion/cache
 * The values shell completion offers, kept in `$HOMELAB_DATA_HOME/completion.json` (mode
 * 0600, in a directory created 0700): per context, per kind, each value with the time a
 * listing last showed it. The CLI writes it after a listing succeeds (`recordCompletions`);
 * `homelab __complete` reads it, so pressing Tab never calls a service. Values older than
 * `COMPLETION_TTL_MS` are not offered. It is a cache: anything wrong with it (missing,
 * damaged, unwritable) costs suggestions, never a command.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CompletionUpdate, CompletionValue } from '../../../core/completion.js';
import { dataHome } from '../../../core/paths.js';

/** File name of the cache, under `$HOMELAB_DATA_HOME`. */
export const COMPLETION_CACHE_FILE = 'completion.json';

/** How long a listed value is offered: a working day, so that yesterday's deleted guest is not. */
export const COMPLETION_TTL_MS = 12 * 3_600_000;

/** Most values kept per kind (a listing of more keeps its first ones). */
const MAX_VALUES = 5000;

/** A value a shell can take as one word: printable, no tab or line break, not empty. */
const word = z.string().min(1).max(300).regex(/^[^\p{Cc}]+$/u);

/** [value, description, when it was last listed (ms since the epoch)] */
const entrySchema = z.tuple([word, z.string().max(300), z.number()]);

const cacheSchema = z.object({
  format: z.literal(1),
  contexts: z.record(z.string(), z.record(z.string(), z.array(entrySchema))),
});

type CacheData = z.infer<typeof cacheSchema>;
type Entry = z.infer<typeof entrySchema>;

/** The cache file's path. */
export function completionCacheFile(env: NodeJS.ProcessEnv): string {
  return join(dataHome(env), COMPLETION_CACHE_FILE);
}

function readCache(env: NodeJS.ProcessEnv): CacheData {
  try {
    const parsed = cacheSchema.safeParse(JSON.parse(readFileSync(completionCacheFile(env), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // none yet, or unreadable: start afresh
  }
  return { format: 1, contexts: {} };
}

/** The values of `kind` in `context` that a listing showed within the TTL, in listing order. */
export function cachedValues(env: NodeJS.ProcessEnv, context: string, kind: string, now = Date.now()): CompletionValue[] {
  const entries = readCache(env).contexts[context]?.[kind] ?? [];
  return entries
    .filter(([, , at]) => now - at <= COMPLETION_TTL_MS && at <= now + 60_000)
    .map(([value, description]) => (description ? { value, description } : { value }));
}

/** Cleans a description into one short line. */
function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\p{Cc}+/gu, ' ').trim().slice(0, 300);
}

/** The stored entries of a kind after an update. */
function updated(old: readonly Entry[], update: CompletionUpdate, now: number): Entry[] {
  const fresh = new Map<string, Entry>();
  for (const v of update.values) {
    if (word.safeParse(v.value).success && !fresh.has(v.value)) fresh.set(v.value, [v.value, oneLine(v.description), now]);
  }
  if (!update.partial) return [...fresh.values()].slice(0, MAX_VALUES);
  const kept = old.filter(([value, , at]) => !fresh.has(value) && now - at <= COMPLETION_TTL_MS);
  return [...kept, ...fresh.values()].slice(-MAX_VALUES);
}

/**
 * Stores a run's completion values for `context`. Written aside and renamed (a reader never
 * sees half a file); never throws.
 */
export function storeCompletions(env: NodeJS.ProcessEnv, context: string, updates: readonly CompletionUpdate[], now = Date.now()): void {
  if (!updates.length) return;
  const file = completionCacheFile(env);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const cache = readCache(env);
    const kinds = (cache.contexts[context] ??= {});
    for (const update of updates) kinds[update.kind] = updated(kinds[update.kind] ?? [], update, now);
    mkdirSync(dataHome(env), { recursive: true, mode: 0o700 });
    writeFileSync(temp, `${JSON.stringify(cache)}\n`, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // a read-only or full data directory costs suggestions only
    try {
      rmSync(temp, { force: true });
    } catch {
      // nothing was written
    }
  }
}
