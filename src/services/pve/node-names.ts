/**
 * @module services/pve/node-names
 * The online node names of each PVE cluster, remembered between runs in the user's cache
 * (`$XDG_CACHE_HOME/homelab/pve-nodes.json`, keyed by a hash of the cluster's URL). An answer
 * that needs the node names first (`pve nodes`, the nodes' updates, so the PVE and updates
 * lines of `status`) costs two round trips when the names are unknown: the list, then each
 * node. With the names remembered, the client starts the nodes' reads beside `GET /nodes`
 * (`PveClient.eachNode`), so a one-shot CLI run and a bot's first command cost one, as a
 * long-running process's later commands already did.
 *
 * Only a hint: the fresh `GET /nodes` always decides (work started for a node it no longer
 * lists is dropped), names read back must look like node names, and they are used only for
 * reads. Like every cache under `core/user-cache`, it is used only from a private directory,
 * written 0600 through a rename; anything wrong with it costs the round trip it would save:
 * a file that is not JSON or not an object is ignored, and so is each entry that does not
 * parse (the others are kept).
 *
 * No lock: a write reads the file again just before it renames its own copy over it, so
 * two processes writing at once lose at most one cluster's entry (last writer wins), and
 * that costs the next run of that cluster the one round trip.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { privateDir, userCacheDir } from '../../core/user-cache.js';

/** The cache file's name in homelab's cache folder. */
export const NODE_NAMES_CACHE = 'pve-nodes.json';

/** Clusters kept: the most recently changed ones (a lab started per test run gets its own URL). */
const MAX_CLUSTERS = 16;

const NODE_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

/** Where one cluster's node names are remembered. */
export interface NodeNamesStore {
  /** The names stored last, or undefined when none are (or the file cannot be used). */
  read(): string[] | undefined;
  /** Stores the names (the online nodes of a fresh `GET /nodes`). */
  write(names: readonly string[]): void;
}

/** One cluster's entry: its online node names and when they were stored. */
const entrySchema = z.object({ names: z.array(z.string().regex(NODE_NAME)).min(1), at: z.number() });

type Stored = Record<string, z.infer<typeof entrySchema>>;

/** The file's entries that parse; none when the file is missing, not JSON or not an object. */
function load(file: string): Stored {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
  const all = z.record(z.string(), z.unknown()).safeParse(data);
  if (!all.success) return {};
  const kept: Stored = {};
  for (const [key, value] of Object.entries(all.data)) {
    const entry = entrySchema.safeParse(value);
    if (entry.success) kept[key] = entry.data;
  }
  return kept;
}

/** The store of the cluster at `url` for the user `env` names; undefined when there is no private cache folder. */
export function nodeNamesStore(env: NodeJS.ProcessEnv, url: string): NodeNamesStore | undefined {
  const dir = userCacheDir(env);
  if (dir === undefined) return undefined;
  const file = join(dir, NODE_NAMES_CACHE);
  const key = createHash('sha256').update(url.replace(/\/+$/, '')).digest('hex').slice(0, 32);
  let usable: boolean | undefined;
  const ready = (): boolean => (usable ??= privateDir(dir));
  return {
    read() {
      if (!ready()) return undefined;
      const names = load(file)[key]?.names;
      return names ? [...names] : undefined;
    },
    write(names) {
      if (!ready()) return;
      const all = load(file);
      all[key] = { names: [...names], at: Date.now() };
      const kept = Object.fromEntries(Object.entries(all).sort(([, a], [, b]) => b.at - a.at).slice(0, MAX_CLUSTERS));
      const temp = `${file}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, JSON.stringify(kept), { mode: 0o600 });
        renameSync(temp, file);
      } catch {
        rmSync(temp, { force: true });
      }
    },
  };
}
