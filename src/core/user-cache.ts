/**
 * @module core/user-cache
 * homelab's folder in the user's cache (`$XDG_CACHE_HOME/homelab`, default
 * `~/.cache/homelab`) and the rule every cache under it follows: it is used only from a
 * directory that is this user's own and closed to others (mode 0700), because what it
 * holds is trusted when read back (compiled code, a parsed config).
 */
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * `$XDG_CACHE_HOME/homelab`, else `$HOME/.cache/homelab`, else the account's home directory's
 * (relative paths in either variable are ignored, as the XDG spec says).
 */
export function userCacheDir(env: NodeJS.ProcessEnv): string {
  const absolute = (dir: string | undefined): string | undefined => (dir && isAbsolute(dir) ? dir : undefined);
  const base = absolute(env.XDG_CACHE_HOME) ?? join(absolute(env.HOME) ?? homedir(), '.cache');
  return join(base, 'homelab');
}

/** Creates `dir` (mode 0700) and tells whether it is this user's own and closed to others. */
export function privateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}
