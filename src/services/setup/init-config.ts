/**
 * @module services/setup/init-config
 * config.yaml as `homelab init` edits it: one lab's `services` (the lab the run is in:
 * `contexts.<name>.services` for a lab defined under `contexts:`, the top level for the
 * context `default` of a config without contexts or with top-level services) and the
 * shared `telegram`. The file is edited as a yaml Document, value by value, so its
 * comments, key order and quoting stay as they were, and it is written only when a value
 * changed, through `core/config-write` (temp file and rename, through a symlink, owner and
 * mode kept), as `context use` writes it. A mode that lets others write it (every command
 * refuses that file) is tightened to 0600; a new file is made 0600 in a 0700 folder.
 * A lab the file does not define yet (`homelab --context office init`) is added once init
 * has asked (`addLab`): `contexts.<name>: {}`, or the top level for `default`.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMap, isScalar, parseDocument, YAMLMap, type Document } from 'yaml';
import { replaceFile } from '../../core/config-write.js';
import { activeContextName, contextChoice, DEFAULT_CONTEXT, unknownContext } from '../../core/context-name.js';
import { ConfigError } from '../../core/errors.js';
import { configFile } from '../../core/paths.js';

/** A section of the config as plain data (`services.dns`, `telegram`). */
export type Section = Record<string, unknown>;

/** config.yaml opened for one lab. */
export interface InitConfig {
  path: string;
  /** The file's text as read; null when it does not exist yet. */
  text: string | null;
  doc: Document;
  /** The lab being set up, and every lab the file defines. */
  lab: string;
  labs: string[];
  /** Where the lab's keys live: `[]` (the top level) or `['contexts', lab]`. */
  at: string[];
  /** Whether the file defines the lab yet (see `addLab`). */
  defined: boolean;
  /** Whether a value was set that differs from the file's. */
  changed: boolean;
}

/** Opens config.yaml (a missing one is empty) for the lab `env` runs in, which the file may not define yet (`defined`). */
export function openConfig(env: NodeJS.ProcessEnv): InitConfig {
  const path = configFile(env);
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`${path} cannot be read: ${(err as Error).message}`, 'fix it or move it away, then run homelab init again');
  }
  const doc = parseDocument(text ?? '');
  const problem = doc.errors[0]?.message.split('\n')[0] ?? (doc.contents !== null && !isMap(doc.contents) ? 'its top level is not a map of keys' : undefined);
  if (problem) throw new ConfigError(`${path} cannot be parsed: ${problem}`, 'fix it or move it away, then run homelab init again');
  const raw: unknown = doc.toJS();
  const { names } = contextChoice(raw);
  const lab = activeContextName(env, path);
  // A lab of the file is a key of `contexts:`, or the implicit `default` of the top level; a new one goes where `addLab` puts it.
  const contexts = doc.get('contexts', true);
  const under = (isMap(contexts) && contexts.has(lab)) || (!names.includes(lab) && lab !== DEFAULT_CONTEXT);
  return { path, text, doc, lab, labs: names, at: under ? ['contexts', lab] : [], defined: names.includes(lab), changed: false };
}

/** The refusal of a lab the file does not define (when init may not add it). */
export function undefinedLab(config: InitConfig): ConfigError {
  const known = unknownContext(config.lab, config.path, config.labs);
  return new ConfigError(known.message, `homelab --context ${config.lab} init adds it when you answer y; see: homelab context list`);
}

/**
 * Adds the lab to the file: `contexts.<lab>: {}` (its sections go inside it), or for
 * `default` nothing yet (its services go at the top level). The labs the file had keep
 * their keys.
 */
export function addLab(config: InitConfig): void {
  if (config.defined) return;
  if (config.lab !== DEFAULT_CONTEXT) {
    ensureMaps(config, ['contexts', config.lab, 'services']);
    config.changed = true;
  }
  config.labs = [...config.labs, config.lab];
  config.defined = true;
}

/** Where the section at `key` lives: `services.<service>` of the lab, or the top-level (shared) `telegram`. */
function sectionPath(config: InitConfig, key: string): string[] {
  return key === 'telegram' ? ['telegram'] : [...config.at, 'services', key];
}

/** The current section at `key` (see `sectionPath`), as plain data. */
export function sectionOf(config: InitConfig, key: string): Section | undefined {
  const node = config.doc.getIn(sectionPath(config, key), true);
  if (!isMap(node)) return undefined;
  const value: unknown = node.toJSON();
  return value && typeof value === 'object' ? (value as Section) : undefined;
}

/**
 * Sets the section at `key` to `next`, value by value: a value that is the same is left
 * alone (its comment and quoting too), a scalar that changed keeps its node's style, and a
 * key `next` no longer has (a pin dropped with its URL) is removed.
 */
export function setSection(config: InitConfig, key: string, next: Section): void {
  const base = sectionPath(config, key);
  const current = sectionOf(config, key);
  if (!current) {
    ensureMaps(config, base);
    config.doc.setIn(base, config.doc.createNode(next));
    config.changed = true;
    return;
  }
  for (const [field, value] of Object.entries(next)) {
    if (JSON.stringify(current[field]) === JSON.stringify(value)) continue;
    const node = config.doc.getIn([...base, field], true);
    if (isScalar(node) && (value === null || typeof value !== 'object')) node.value = value;
    else config.doc.setIn([...base, field], value);
    config.changed = true;
  }
  for (const field of Object.keys(current).filter((f) => !(f in next))) {
    config.doc.deleteIn([...base, field]);
    config.changed = true;
  }
}

/** Makes every map above `path` exist (an empty `services:` is null in YAML, and yaml cannot set a key inside null). */
function ensureMaps(config: InitConfig, path: readonly string[]): void {
  for (let i = 1; i < path.length; i++) {
    const prefix = path.slice(0, i);
    const node = config.doc.getIn(prefix, true);
    if (isMap(node)) continue;
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) config.doc.setIn(prefix, new YAMLMap());
    else throw new ConfigError(`${config.path}: ${prefix.join('.')} is not a map of keys`, 'fix it, then run homelab init again');
  }
}

/** What `saveConfig` did to the file: written (a value changed), its mode tightened, or neither. */
export interface SaveOutcome {
  written: boolean;
  /** The refused mode tightened to 0600, in octal, when it was (`666`). */
  tightened: string | null;
}

/** Writes the file when a value changed (comments and layout kept); tightens a mode every command refuses. */
export function saveConfig(config: InitConfig): SaveOutcome {
  if (config.text === null) {
    if (!config.changed) return { written: false, tightened: null };
    mkdirSync(dirname(config.path), { recursive: true, mode: 0o700 });
    // config.yaml decides where tokens are sent: owner-only, like the credentials.
    writeFileSync(config.path, config.doc.toString(), { mode: 0o600, flag: 'wx' });
    return { written: true, tightened: null };
  }
  if (config.changed) replaceFile(config.path, config.doc.toString());
  const mode = statSync(config.path).mode & 0o777;
  // Others may write it: every command refuses it (core/config-permissions), so init makes it the owner's.
  if (!(mode & 0o002)) return { written: config.changed, tightened: null };
  chmodSync(config.path, 0o600);
  return { written: config.changed, tightened: mode.toString(8) };
}
