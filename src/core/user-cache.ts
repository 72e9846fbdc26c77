/**
 * @module core/user-cache
 * homelab's folder in the user's cache (`$XDG_CACHE_HOME/homelab`, default
 * `~/.cache/homelab`) and the rule every cache under it follows: it is used only from a
 * directory that is this user's own and closed to others (mode 0700), because what it
 * holds is trusted when read back (compiled code, a parsed config).
 */
import { mkdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * `$XDG_CACHE_HOME/homelab`, else `$HOME/.cache/homelab`, from the environment given (a
 * relative path in either is ignored, as the XDG spec says); undefined when neither is an
 * absolute path: then there is no cache, never one in the working directory or in a home
 * the given environment did not name.
 */
export function userCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const absolute = (dir: string | undefined): string | undefined => (dir && isAbsolute(dir) ? dir : undefined);
  const base = absolute(env.XDG_CACHE_HOME) ?? (absolute(env.HOME) && join(absolute(env.HOME) as string, '.cache'));
  return base && join(base, 'homelab');
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
