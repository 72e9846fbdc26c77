/**
 * @module core/paths
 * Where configuration and state live. `HOMELAB_CONFIG_HOME` (default `~/.config`) holds
 * `homelab/config.yaml` and one `<service>/credentials` file per service;
 * `HOMELAB_DATA_HOME` (default `~/.local/share/homelab`) holds token caches, SQLite,
 * and the Telegram inbox and media.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The directory holding `homelab/config.yaml` and the per-service credentials directories. */
export function configHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOMELAB_CONFIG_HOME || join(homedir(), '.config');
}

/** The path of the main configuration file. */
export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env), 'homelab', 'config.yaml');
}

/** The credentials file of one service directory (`pve`, `dns`, `npm`, …). */
export function credentialsFile(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env), dir, 'credentials');
}

/** The directory for state: caches, databases, the Telegram inbox. */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOMELAB_DATA_HOME || join(homedir(), '.local', 'share', 'homelab');
}

/** Expands a leading `~/` to the home directory. */
export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}
