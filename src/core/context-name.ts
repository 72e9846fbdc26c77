/**
 * @module core/context-name
 * Which lab (context) a run talks to, decided before (and without) validating the whole
 * config: paths of credentials and state depend on it, and completion reads it on Tab.
 *
 * The rules (README "Contexts"):
 * - a config without `contexts:` is the single context `default`;
 * - with `contexts:`, each key is a context; the top-level `services:` / `ssh:` (when
 *   present) are the context `default`, so an existing install adds a second lab without
 *   moving anything;
 * - the context of a run is `HOMELAB_CONTEXT` (the CLI's `--context` sets it), else
 *   `current_context`, else `default` when it exists, else the first context in the file.
 *
 * The file is read as plain YAML (`core/config-document`: one read per file version, which
 * `loadConfig` shares); whether the name is known, and the rest of the file, is checked by
 * `loadConfig`.
 */
import { readConfigDocument } from './config-document.js';
import { ConfigError } from './errors.js';

/** The context of a config without `contexts:`, which keeps today's paths. */
export const DEFAULT_CONTEXT = 'default';

/** What a context name may be: it becomes a directory name. */
export const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** `CONTEXT_NAME` in words, as every refusal of a name states it (config, `--context`, HOMELAB_CONTEXT, `context use`). */
export const CONTEXT_NAME_RULE = 'a context name is 1 to 63 letters, digits, _ or -, the first a letter or digit (it names a directory)';

/** The contexts a config file defines, and the one used when none is named. */
export interface ContextChoice {
  /** Every context, `default` first when it exists, then file order. */
  names: string[];
  /** `current_context`, or the rule's default (see the module doc). */
  current: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The contexts of a parsed (unvalidated) config object. */
export function contextChoice(raw: unknown): ContextChoice {
  const top = isObject(raw) ? raw : {};
  const contexts = isObject(top.contexts) ? Object.keys(top.contexts) : [];
  const implicitDefault = !contexts.length || top.services != null || top.ssh != null;
  const names = implicitDefault && !contexts.includes(DEFAULT_CONTEXT) ? [DEFAULT_CONTEXT, ...contexts] : contexts;
  const named = typeof top.current_context === 'string' && top.current_context ? top.current_context : undefined;
  return { names, current: named ?? (names.includes(DEFAULT_CONTEXT) ? DEFAULT_CONTEXT : (names[0] ?? DEFAULT_CONTEXT)) };
}

/** The contexts of the config file at `path` (a missing or unreadable file: just `default`); `env` as for `readConfigDocument`. */
export function readContextChoice(path: string, env?: NodeJS.ProcessEnv): ContextChoice {
  const doc = readConfigDocument(path, env);
  // A file that cannot be read or parsed: loadConfig reports its problem.
  return contextChoice(doc.state === 'ok' ? doc.raw : undefined);
}

/** Refuses a context name that cannot be one (it would become a path), stating the rule; a long one is shown cut, with its length. */
export function checkContextName(name: string, from: string): string {
  if (CONTEXT_NAME.test(name)) return name;
  const shown = name.length > 80 ? `${JSON.stringify(name.slice(0, 80))}… (${name.length} characters)` : JSON.stringify(name);
  throw new ConfigError(`context name ${shown} (${from}) is not a valid name: ${CONTEXT_NAME_RULE}`);
}

/**
 * The context a run with `env` uses, given the config file's path. An invalid name is
 * refused naming where it came from: HOMELAB_CONTEXT, `current_context`, or a key of
 * `contexts:` (a fan-out over every lab pins each one in HOMELAB_CONTEXT). `--context` is
 * checked, as `--context`, before it is pinned there (`knownContext`).
 */
export function activeContextName(env: NodeJS.ProcessEnv, configPath: string): string {
  const named = env.HOMELAB_CONTEXT;
  if (!named) return checkContextName(readContextChoice(configPath, env).current, `current_context in ${configPath}`);
  if (CONTEXT_NAME.test(named)) return named;
  return checkContextName(named, readContextChoice(configPath, env).names.includes(named) ? `a contexts key in ${configPath}` : 'HOMELAB_CONTEXT');
}

/** `env` with the context pinned: everything run with it (config, credentials, state) is that context's. */
export function withContext(env: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv {
  return { ...env, HOMELAB_CONTEXT: name };
}

/**
 * `name` when it is a valid context name (given by `from`, like `--context`) that the config
 * file at `configPath` defines; a ConfigError naming the known ones otherwise.
 */
export function knownContext(name: string, from: string, configPath: string): string {
  checkContextName(name, from);
  const { names } = readContextChoice(configPath);
  if (!names.includes(name)) throw unknownContext(name, configPath, names);
  return name;
}

/** A ConfigError for a context the config does not define, listing the ones it does. */
export function unknownContext(name: string, path: string, names: readonly string[]): ConfigError {
  return new ConfigError(`unknown context "${name}": ${path} defines ${names.join(', ')}`, 'see: homelab context list');
}
