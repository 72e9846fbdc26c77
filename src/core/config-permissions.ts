/**
 * @module core/config-permissions
 * config.yaml decides where tokens are sent, so it is refused (exit 3, with the one-line
 * fix) when someone other than its owner could change it, as sshd's StrictModes refuses an
 * authorized_keys file: when the file or its folder is owned by another user than the one
 * running homelab (root is trusted too); when the file is writable by others; or when any
 * folder from the file's up to the config home (`HOMELAB_CONFIG_HOME`, default `~/.config`)
 * is writable by others without the sticky bit, since anyone may then delete or rename the
 * file, or the `homelab/` folder holding it, and put their own in its place. Group-writable
 * stays accepted, for a file or a folder kept by a group of admins (the same trust as
 * sharing the login). It runs on every start: the file's stat is given, two more stat calls.
 */
import { statSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { ConfigError } from './errors.js';

/** Permission bits of a mode, in octal (`644`). */
const octal = (mode: number): string => (mode & 0o777).toString(8);

/** Writable by others, and not sticky (a sticky folder lets only a file's owner replace it). */
const othersMayReplace = (mode: number): boolean => (mode & 0o002) !== 0 && (mode & 0o1000) === 0;

/** The name of the user `uid` for a `chown`: the running user's (the uid when it is another, or has no name). */
function me(uid: number): string {
  try {
    return uid === process.getuid?.() ? userInfo().username : String(uid);
  } catch {
    return String(uid);
  }
}

/**
 * Why a file or folder (`stat`) owned by neither the running user nor root is not to be
 * trusted (`belongs to another user (uid 65534), not you (uid 1000) or root`), and its fix;
 * undefined when its owner is one of them.
 */
export function foreignOwner(path: string, stat: Stats, uid = process.getuid?.()): { problem: string; fix: string } | undefined {
  if (uid === undefined || stat.uid === uid || stat.uid === 0) return undefined;
  return { problem: `belongs to another user (uid ${stat.uid}), not you (uid ${uid}) or root`, fix: `check what it says, then run: ${uid === 0 ? '' : 'sudo '}chown ${me(uid)} ${path}` };
}

/**
 * Throws a ConfigError when `stat` (of `what` at `path`: `config file`, `credentials file`)
 * belongs to neither the running user nor root; `why` says what its owner controls.
 */
export function checkTrustedOwner(path: string, what: string, stat: Stats, why = 'whoever owns it decides where credentials are sent', uid = process.getuid?.()): void {
  const foreign = foreignOwner(path, stat, uid);
  if (foreign) throw new ConfigError(`${what} ${path} ${foreign.problem}: ${why}`, foreign.fix);
}

/** The folder's stat, or undefined when it vanished since the file was read (a race, not a permission). */
function folderStat(dir: string): Stats | undefined {
  try {
    return statSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * Throws a ConfigError when another user than `uid` (the running one) or root could change
 * config.yaml at `path` (`stat`: the file's own), which lives at `<config home>/homelab/config.yaml`.
 */
export function checkConfigPermissions(path: string, stat: Stats, uid = process.getuid?.()): void {
  checkTrustedOwner(path, 'config file', stat, undefined, uid);
  if (stat.mode & 0o002) {
    throw new ConfigError(`config file ${path} is writable by others (mode ${octal(stat.mode)}): it decides where credentials are sent`, `run: chmod o-w ${path}`);
  }
  const dir = dirname(path);
  const folder = folderStat(dir);
  if (!folder) return;
  checkTrustedOwner(dir, 'config folder', folder, undefined, uid);
  // The folder, then the config home holding it: replacing either replaces the file.
  for (const [d, s] of [[dir, folder], [dirname(dir), folderStat(dirname(dir))]] as const) {
    if (s && othersMayReplace(s.mode)) {
      throw new ConfigError(`folder ${d} of the config file is writable by others (mode ${octal(s.mode)}): anyone could replace config.yaml, which decides where credentials are sent`, `run: chmod o-w ${d}`);
    }
  }
}
