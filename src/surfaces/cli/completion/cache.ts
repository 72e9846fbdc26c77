/**
 * @module surfaces/cli/completion/cache
 * The values shell completion offers, kept under `$HOMELAB_DATA_HOME/completion/` (a
 * directory created 0700): one file per context and kind (`completion/<context>/<kind>.json`,
 * mode 0600), each value with the time a listing last showed it. The CLI writes it after a
 * listing succeeds (`recordCompletions`); `homelab __complete` reads the one file the word
 * under the cursor needs, so pressing Tab never calls a service. A file per kind keeps both
 * sides small: a full listing (`pve list`) reads only the kinds it lists (to leave an
 * unchanged one alone, below), and a filtered one (`pve list --type lxc`) validates the kind
 * it adds to. Values older than
 * `COMPLETION_TTL_MS` are not offered. A listing that shows what the file already holds,
 * stamped within `RESTAMP_MS`, leaves the file as it is (the usual repeated `pve list` then
 * writes nothing). It is a cache: anything wrong with it (missing, damaged, unwritable)
 * costs suggestions, never a command.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CompletionUpdate, CompletionValue } from '../../../core/completion.js';
import { CONTEXT_NAME } from '../../../core/context-name.js';
import { dataHome } from '../../../core/paths.js';

/** Directory of the cache, under `$HOMELAB_DATA_HOME`. */
export const COMPLETION_CACHE_DIR = 'completion';

/** How long a listed value is offered: a working day, so that yesterday's deleted guest is not. */
export const COMPLETION_TTL_MS = 12 * 3_600_000;

/**
 * How old the stamps of unchanged values may grow before a listing writes them again: a
 * value stays offered at least `COMPLETION_TTL_MS - RESTAMP_MS` after the last listing.
 */
export const RESTAMP_MS = 3_600_000;

/**
 * Most values kept per kind: a full listing of more keeps its first ones, a filtered one
 * its newest. 20,000 guests cost a Tab with a typed prefix about 10 ms over 5,000
 * (measured 2026-12-05, `homelab __complete bash pve start 123`).
 */
export const COMPLETION_MAX_VALUES = 20_000;

/**
 * A value a shell can take as one word: printable, no tab or line break, not empty, at most
 * 300 characters. The control characters (Unicode's Cc) spelled out: a `\p{Cc}` class costs
 * a one-shot command more to compile than the whole check.
 */
const WORD = /^[^\u0000-\u001f\u007f-\u009f]{1,300}$/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;

/** A kind as it names a file (`pve.guest`, `kuma.monitor`). */
const KIND = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

/** [value, description, when it was last listed (ms since the epoch)] */
type Entry = [value: string, description: string, at: number];

/** A kind's file, checked when read (built on first read: a full listing never needs it). */
let kindFileSchema: z.ZodType<{ format: 2; entries: Entry[] }> | undefined;
function kindFile(): z.ZodType<{ format: 2; entries: Entry[] }> {
  kindFileSchema ??= z.object({
    format: z.literal(2),
    entries: z.array(z.tuple([z.string().regex(WORD), z.string().max(300), z.number()])),
  });
  return kindFileSchema;
}

/** The file of one kind in one context; undefined for a name that cannot be a file name. */
export function completionCacheFile(env: NodeJS.ProcessEnv, context: string, kind: string): string | undefined {
  if (!CONTEXT_NAME.test(context) || !KIND.test(kind)) return undefined;
  return join(dataHome(env), COMPLETION_CACHE_DIR, context, `${kind}.json`);
}

function readEntries(file: string | undefined): Entry[] {
  if (!file) return [];
  try {
    const parsed = kindFile().safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data.entries;
  } catch {
    // none yet, or unreadable: nothing stored
  }
  return [];
}

/** The values of `kind` in `context` that a listing showed within the TTL, in listing order. */
export function cachedValues(env: NodeJS.ProcessEnv, context: string, kind: string, now = Date.now()): CompletionValue[] {
  return readEntries(completionCacheFile(env, context, kind))
    .filter(([, , at]) => now - at <= COMPLETION_TTL_MS && at <= now + 60_000)
    .map(([value, description]) => (description ? { value, description } : { value }));
}

/** Cleans a description into one short line. */
function oneLine(text: string | undefined): string {
  return (text ?? '').replace(CONTROLS, ' ').trim().slice(0, 300);
}

/** The stored entries of a kind after an update (`old` read only for a filtered listing). */
function updated(old: () => readonly Entry[], update: CompletionUpdate, now: number): Entry[] {
  const fresh = new Map<string, Entry>();
  for (const v of update.values) {
    if (WORD.test(v.value) && !fresh.has(v.value)) fresh.set(v.value, [v.value, oneLine(v.description), now]);
  }
  if (!update.partial) return [...fresh.values()].slice(0, COMPLETION_MAX_VALUES);
  const kept = old().filter(([value, , at]) => !fresh.has(value) && now - at <= COMPLETION_TTL_MS);
  return [...kept, ...fresh.values()].slice(-COMPLETION_MAX_VALUES);
}

/**
 * Whether `file` already holds `entries`: the same values and descriptions in the same
 * order, each stamp the same or, for a value listed `now`, stamped less than `RESTAMP_MS`
 * ago. A plain read and parse (no schema): anything unexpected is simply not the same.
 */
function alreadyStored(file: string, entries: readonly Entry[], now: number): boolean {
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
  const old = typeof stored === 'object' && stored !== null && 'format' in stored && stored.format === 2 && 'entries' in stored ? stored.entries : undefined;
  if (!Array.isArray(old) || old.length !== entries.length) return false;
  return entries.every(([value, description, at], i) => {
    const was: unknown = old[i];
    if (!Array.isArray(was) || was.length !== 3 || was[0] !== value || was[1] !== description || typeof was[2] !== 'number') return false;
    return was[2] === at || (at === now && was[2] <= now && now - was[2] < RESTAMP_MS);
  });
}

/**
 * Stores a run's completion values for `context`, a file per kind. Each is written aside and
 * renamed (a reader never sees half a file); never throws.
 */
export function storeCompletions(env: NodeJS.ProcessEnv, context: string, updates: readonly CompletionUpdate[], now = Date.now()): void {
  for (const update of updates) {
    const file = completionCacheFile(env, context, update.kind);
    if (!file) continue;
    const temp = `${file}.${process.pid}.tmp`;
    try {
      const entries = updated(() => readEntries(file), update, now);
      if (alreadyStored(file, entries, now)) continue;
      mkdirSync(join(dataHome(env), COMPLETION_CACHE_DIR, context), { recursive: true, mode: 0o700 });
      writeFileSync(temp, `${JSON.stringify({ format: 2, entries })}\n`, { mode: 0o600 });
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
}
