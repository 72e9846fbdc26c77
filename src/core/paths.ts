/**
 * @module core/paths
 * Where configuration and state live. `HOMELAB_CONFIG_HOME` (default `~/.config`) holds
 * `homelab/config.yaml` and one `<service>/credentials` file per service;
 * `HOMELAB_DATA_HOME` (default `~/.local/share/homelab`) holds token caches, SQLite,
 * and the Telegram inbox and media.
 *
 * Contexts (several labs, `core/context-name`): the context `default` keeps exactly these
 * paths; another context `<name>` keeps its credentials in
 * `$HOMELAB_CONFIG_HOME/homelab/contexts/<name>/<service>/credentials` and its state in
 * `$HOMELAB_DATA_HOME/contexts/<name>/`, so two labs never share a token cache or an inbox.
 *
 * These homes (and `$HOME`, when they come from it) must be absolute paths: a relative one
 * is a ConfigError naming the variable (exit 3), never a `./state` in the working directory.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ConfigError } from './errors.js';
import { activeContextName, DEFAULT_CONTEXT } from './context-name.js';

/**
 * `value`, the variable `name`'s, when it is an absolute path. A relative one would put the
 * config and state wherever the command happens to run (the XDG spec calls such a base
 * directory invalid), so it is refused: a ConfigError naming the variable.
 */
function absolute(name: string, value: string): string {
  if (isAbsolute(value)) return value;
  throw new ConfigError(`${name} is a relative path (${JSON.stringify(value)}): homelab keeps its config and state only under an absolute one`, `set ${name} to an absolute path`);
}

/** The home directory (`$HOME`, else the user database's), refused when relative. */
function home(): string {
  return absolute('HOME', homedir());
}

/** The directory holding `homelab/config.yaml` and the per-service credentials directories. */
export function configHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOMELAB_CONFIG_HOME ? absolute('HOMELAB_CONFIG_HOME', env.HOMELAB_CONFIG_HOME) : join(home(), '.config');
}

/** The path of the main configuration file. */
export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env), 'homelab', 'config.yaml');
}

/** The context a run with `env` uses (`HOMELAB_CONTEXT`, else the config's current one). */
export function contextName(env: NodeJS.ProcessEnv = process.env): string {
  return activeContextName(env, configFile(env));
}

/** Credentials every context shares: the bot is one bot serving every lab. */
export const SHARED_CREDENTIALS: ReadonlySet<string> = new Set(['telegram']);

/**
 * The credentials file of one service directory (`pve`, `dns`, `npm`, …) in the run's
 * context; `telegram` (the bot's token) is shared and always at the top.
 */
export function credentialsFile(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(contextCredentialsDir(SHARED_CREDENTIALS.has(dir) ? DEFAULT_CONTEXT : contextName(env), env), dir, 'credentials');
}

/** The directory holding the `<service>/credentials` directories of the context `context` (a valid name). */
export function contextCredentialsDir(context: string, env: NodeJS.ProcessEnv = process.env): string {
  return context === DEFAULT_CONTEXT ? configHome(env) : join(configHome(env), 'homelab', 'contexts', context);
}

/**
 * The directory for state shared by every context (the audit log, the bot's allowlist, the
 * completion cache), and the state of the context `default`.
 */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOMELAB_DATA_HOME ? absolute('HOMELAB_DATA_HOME', env.HOMELAB_DATA_HOME) : join(home(), '.local', 'share', 'homelab');
}

/** The state of the run's context: token caches, the inbox, watch state (`dataHome` for `default`). */
export function contextDataHome(env: NodeJS.ProcessEnv = process.env): string {
  return dataHomeOf(contextName(env), env);
}

/** The state of the context `context` (a valid name): `dataHome` for `default`, else `<data>/contexts/<context>`. */
export function dataHomeOf(context: string, env: NodeJS.ProcessEnv = process.env): string {
  return context === DEFAULT_CONTEXT ? dataHome(env) : join(dataHome(env), 'contexts', context);
}

/**
 * Expands `~` and a leading `~/` to the home directory, as the shell does: the rest is kept
 * as written (`~/link/../x` is not folded to `~/x`, so a `..` after a symlink means what it
 * means to the shell); other paths (`~user/x` too) as given. A relative `$HOME` is refused
 * as for the homes above (a ConfigError naming it), never a `~/…` under the working directory.
 */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? `${home()}${path.slice(1)}` : path;
}
