/**
 * @module core/config-parse-cache
 * The last config.yaml text this user's commands parsed, and what it parsed to, kept in
 * `$XDG_CACHE_HOME/homelab/config-parse.json`. Parsing YAML was the largest single step of
 * a one-shot command's start-up after loading its code (some 5 ms for a small config, the
 * parser running cold every time); reading this file back is a fraction of a millisecond.
 *
 * A hit needs the file's text to be exactly the text just read, and the same parser (the yaml
 * library's version the build bundled), so nothing about it can be stale: no timestamps are
 * trusted, only the text (a parse is a function of it and of the parser). Like the code
 * cache beside it, it is trusted when read, so it lives only in a private directory
 * (`core/user-cache`), written 0600 through a rename (a temporary file a killed run left is
 * removed by the next write, `core/stale-temps`). Only results that survive JSON
 * unchanged are kept (YAML's `.inf` would not), from texts up to 64 KiB. Anything wrong with
 * the file costs the parse it would have saved, nothing else. What comes back is validated
 * by the config's schema as a fresh parse is.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { removeStaleTemps } from './stale-temps.js';
import { privateDir, userCacheDir } from './user-cache.js';

declare const HOMELAB_YAML_VERSION: string | undefined;

/** The parser a stored parse was made by (`dev` when run from source, as the tests do). */
const PARSER = `yaml@${typeof HOMELAB_YAML_VERSION === 'string' ? HOMELAB_YAML_VERSION : 'dev'}`;

/** Longest config text kept: larger ones are parsed each time. */
const MAX_TEXT = 64 * 1024;

/** The cache file's name in homelab's cache folder. */
export const CONFIG_PARSE_CACHE = 'config-parse.json';

/** What `text` parsed to last time, if the cache holds exactly this text, parsed by this parser. */
function lookup(file: string, text: string): { raw: unknown } | undefined {
  try {
    const stored: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof stored === 'object' && stored !== null && 'parser' in stored && stored.parser === PARSER && 'text' in stored && stored.text === text && 'raw' in stored) return { raw: stored.raw };
  } catch {
    // none yet, or damaged: parse
  }
  return undefined;
}

function store(file: string, text: string, raw: unknown): void {
  const data = JSON.stringify({ parser: PARSER, text, raw });
  // Kept only when JSON gives back the same value (no Infinity, NaN, -0 or undefined lost).
  if (!isDeepStrictEqual((JSON.parse(data) as { raw: unknown }).raw, raw)) return;
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true });
  }
  // Temporary files of runs killed before their rename.
  removeStaleTemps(dirname(file), (name) => name.startsWith(`${CONFIG_PARSE_CACHE}.`));
}

/**
 * `parse(text)`, or the result it gave for this very text before. `parse` throwing is passed
 * on (a broken file is never cached). A cache that cannot be used only costs the parse.
 */
export function parseCached(text: string, env: NodeJS.ProcessEnv, parse: (text: string) => unknown): unknown {
  const dir = text.length <= MAX_TEXT ? userCacheDir(env) : undefined;
  const file = dir !== undefined && privateDir(dir) ? join(dir, CONFIG_PARSE_CACHE) : undefined;
  const hit = file ? lookup(file, text) : undefined;
  if (hit) return hit.raw;
  const raw = parse(text);
  if (file) {
    try {
      store(file, text, raw);
    } catch {
      // a value JSON cannot hold (a cycle from YAML anchors): parsed each time
    }
  }
  return raw;
}
