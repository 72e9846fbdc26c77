/**
 * @module core/config-document
 * config.yaml, read and parsed as YAML once per process while the file stays the same (its
 * inode, size, mtime and mode): the context's name (`core/context-name`, for the paths of
 * credentials and state) and the validated config (`core/config`) both need the document,
 * and a command needs both before it sends anything. Nothing here validates; each reader
 * decides what a missing, unreadable or broken file means to it. A reader that passes its
 * environment lets the parse come from the user's cache (`core/config-parse-cache`) when
 * the text is the one parsed last time.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseCached } from './config-parse-cache.js';

/** The file as read: missing, unreadable, not YAML, or its parsed document. */
export type ConfigDocument =
  | { state: 'missing' }
  | { state: 'unreadable'; error: Error }
  | { state: 'invalid'; error: Error; stat: Stats }
  | { state: 'ok'; raw: unknown; stat: Stats };

let cached: { key: string; doc: ConfigDocument } | undefined;

/** Reads and parses the file at `path` (again only when it changed); `env` locates the parse cache. */
export function readConfigDocument(path: string, env?: NodeJS.ProcessEnv): ConfigDocument {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'missing' } : { state: 'unreadable', error: err as Error };
  }
  const key = `${path}\0${stat.ino}\0${stat.size}\0${stat.mtimeMs}\0${stat.mode}`;
  if (cached?.key === key) return cached.doc;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'missing' } : { state: 'unreadable', error: err as Error };
  }
  let doc: ConfigDocument;
  try {
    doc = { state: 'ok', raw: env ? parseCached(text, env, parseYaml) : parseYaml(text), stat };
  } catch (err) {
    doc = { state: 'invalid', error: err as Error, stat };
  }
  cached = { key, doc };
  return doc;
}
