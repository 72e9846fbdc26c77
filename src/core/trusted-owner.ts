/**
 * @module core/trusted-owner
 * Whose files homelab trusts under a config home (config.yaml, its folder, a credentials
 * file): a file or folder is trusted when it belongs to
 * - you (the user running homelab) or root;
 * - the owner of the config home (`HOMELAB_CONFIG_HOME`, the folder holding `homelab/`),
 *   when you or root gave it that folder: the nearest folder above it that someone else
 *   owns belongs to you or root and others may not write it (`/etc/homelab` owned by the
 *   `homelab` user of the deploy/ units: root may run `homelab status` against it; a folder
 *   anyone could have made, in `/tmp`, vouches for no one). That owner may replace
 *   `homelab/` whatever it holds, so trusting them trusts no one new;
 * - anyone, when the group may write it and you are in that group (a config kept by a group
 *   of admins, 0660 and folders 2770): whoever owns it is one of those who may change it anyway.
 * Otherwise it is refused (exit 3) with the fix: as root, run homelab as its owner
 * (`sudo -u homelab homelab …`), else take it (`sudo chown`) or, when it is your group's,
 * let the group write it. Only a file that is neither yours nor root's costs any more calls.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { ConfigError } from './errors.js';

/** Who runs homelab: a user id, and the groups (read from the process when not given). */
export interface Identity {
  uid: number;
  groups?: readonly number[];
}

/** The running process's identity; undefined where there are no user ids (Windows). */
export function currentIdentity(): Identity | undefined {
  const uid = process.getuid?.();
  return uid === undefined ? undefined : { uid };
}

/** The groups of `who`: the given ones, or the process's effective and supplementary groups. */
function groupsOf(who: Identity): readonly number[] {
  return who.groups ?? [process.getegid?.() ?? -1, ...(process.getgroups?.() ?? [])];
}

/** The stat of `path`, or undefined when it cannot be read. */
function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The owner of `configHome` when you or root gave it to them: the nearest folder above it
 * owned by someone else belongs to you or root and is not writable by others (sticky or not:
 * anyone may make a folder in `/tmp`). Undefined otherwise.
 */
export function vouchedHomeOwner(configHome: string, who: Identity): number | undefined {
  const home = statOrNothing(configHome);
  if (!home) return undefined;
  for (let dir = dirname(configHome); ; dir = dirname(dir)) {
    const above = statOrNothing(dir);
    if (!above) return undefined;
    if (above.uid !== home.uid) return (above.uid === who.uid || above.uid === 0) && (above.mode & 0o002) === 0 ? home.uid : undefined;
    if (dir === dirname(dir)) return undefined;
  }
}

/** Whether `stat` (a file or folder under `configHome`) is trusted by `who`, by the rule above. */
export function isTrustedOwner(stat: Stats, configHome: string, who: Identity): boolean {
  if (stat.uid === who.uid || stat.uid === 0) return true;
  if ((stat.mode & 0o020) !== 0 && groupsOf(who).includes(stat.gid)) return true;
  return vouchedHomeOwner(configHome, who) === stat.uid;
}

/** The login name of `uid` (from /etc/passwd, else the running user's), or undefined. */
function userName(uid: number): string | undefined {
  try {
    if (uid === process.getuid?.()) return userInfo().username;
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === String(uid));
    return line?.split(':')[0] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a file or folder (`stat`, at `path` under `configHome`) is not to be trusted
 * (`belongs to another user (uid 65534), not you (uid 1000) or root`), and its fix;
 * undefined when it is.
 */
export function foreignOwner(path: string, stat: Stats, configHome: string, who = currentIdentity()): { problem: string; fix: string } | undefined {
  if (!who || isTrustedOwner(stat, configHome, who)) return undefined;
  const problem = `belongs to another user (uid ${stat.uid}), not you (uid ${who.uid}) or root`;
  if (who.uid === 0) return { problem, fix: `run homelab as its owner: sudo -u ${userName(stat.uid) ?? `'#${stat.uid}'`} homelab …` };
  if (groupsOf(who).includes(stat.gid)) return { problem, fix: `check what it says, then let its group (gid ${stat.gid}) keep it: sudo chmod g+w ${path}` };
  return { problem, fix: `check what it says, then run: sudo chown ${userName(who.uid) ?? who.uid} ${path}` };
}

/**
 * Throws a ConfigError when `stat` (of `what` at `path`: `config file`, `credentials file`)
 * is not trusted (`foreignOwner`); `why` says what its owner controls.
 */
export function checkTrustedOwner(
  path: string,
  what: string,
  stat: Stats,
  configHome: string,
  why = 'whoever owns it decides where credentials are sent',
  who = currentIdentity(),
): void {
  const foreign = foreignOwner(path, stat, configHome, who);
  if (foreign) throw new ConfigError(`${what} ${path} ${foreign.problem}: ${why}`, foreign.fix);
}
