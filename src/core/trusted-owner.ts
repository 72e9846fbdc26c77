/**
 * @module core/trusted-owner
 * Whose config homelab trusts. H is the config home (`HOMELAB_CONFIG_HOME`, else `~/.config`),
 * by its real path when it is a symlink. The checked paths are config.yaml, its `homelab/`
 * folder, H itself and each credentials file, and, for one that is a symlink, the real folder
 * holding it (and every folder above that one, for their mode).
 * - Mode: none of them may be writable by others unless it is a sticky folder (a credentials
 *   file must moreover be 0600: `core/credentials`); group-writable files and folders are fine.
 *   The other files that grant control (`core/private-file`) are judged like credentials.
 * - Owner, when you are not root: you or root. One exception, for admins sharing a lab: a
 *   config.yaml or `homelab/` folder (or the bot's allowlist, or its folder) the group may
 *   write, of a group you are in, is accepted
 *   from another owner when H belongs to you or root and others may not write it (the folder
 *   holding the shared files is one you or root control: an H someone made in `/tmp` vouches
 *   for no one). A credentials file never is: it is 0600, so no group can share it.
 * - Owner, when you are root: root, or H's owner (root chose that config home: `/etc/homelab`
 *   of the deploy/ units' `homelab` user, or sudo keeping a user's HOME), when the folder
 *   holding H belongs to root or to H's owner and others may not write it (an H someone made
 *   in `/tmp` vouches for no one, for root either). No one else.
 * Otherwise it is refused (exit 3) with the fix: as root, run homelab as its owner
 * (`sudo -u <owner> homelab …`); else take it (`sudo chown`), or, for a config.yaml or
 * `homelab/` folder of your group, ask its owner to let the group write it; a credentials
 * file of your group is used by running homelab as its owner (or taken). The common case
 * costs nothing more: H is only stat'ed again when a file is not yours or root's.
 */
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './errors.js';
import { chownUser, sudoUser } from './user-names.js';

/** Who runs homelab: a user id, and the groups (read from the process when not given). */
export interface Identity {
  uid: number;
  groups?: readonly number[];
}

/** What the rule reads of a path: its owner, group and mode (a Stats has them). */
export interface OwnerFacts {
  uid: number;
  gid: number;
  mode: number;
}

/** What the rule reads of the config home H: its own facts, and (looked up only when asked) those of the folder holding it. */
export interface HomeFacts extends OwnerFacts {
  parent?: () => OwnerFacts | undefined;
}

/**
 * What a checked path is: the group exception is for a config file or folder (and a file the
 * caller says may be shared: the bot's allowlist). The other files that grant control
 * (`core/private-file`: the dashboard's passwords, the MCP token, an SSH key) are named by
 * their noun.
 */
export type CheckedKind = 'config file' | 'config folder' | 'config home' | `${string} file` | `${string} folder`;

/**
 * What a folder holds, for its messages: config, credentials, or another file that grants
 * control (its noun, what its owner decides, and whether a group may share it as config.yaml).
 */
export type FolderOf = 'config' | 'credentials' | { noun: string; decides: string; shared?: boolean };

/** The running process's identity; undefined where there are no user ids (Windows). */
export function currentIdentity(): Identity | undefined {
  const uid = process.getuid?.();
  return uid === undefined ? undefined : { uid };
}

/** The groups of `who`: the given ones, or the process's effective and supplementary groups. */
function groupsOf(who: Identity): readonly number[] {
  return who.groups ?? [process.getegid?.() ?? -1, ...(process.getgroups?.() ?? [])];
}

/** The stat of `path` (links followed), or undefined when it cannot be read. */
export function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** A path's stat (the target's, when it is a link) and whether it is a link: one lstat unless it is. Undefined when it is gone. */
export function linkStat(path: string): { stat: Stats; link: boolean } | undefined {
  try {
    const own = lstatSync(path);
    return own.isSymbolicLink() ? { stat: statSync(path), link: true } : { stat: own, link: false };
  } catch {
    return undefined;
  }
}

/**
 * The config home `dir` by its real path (resolved only when it is a link itself), with its
 * stat; undefined when it does not exist.
 */
export function configHomeOf(dir: string): { path: string; stat: Stats; link: boolean } | undefined {
  const found = linkStat(dir);
  if (!found?.link) return found && { path: dir, ...found };
  try {
    return { path: realpathSync(dir), ...found };
  } catch {
    return undefined;
  }
}

/** What the rule reads of a config home found by `configHomeOf`: its stat, and the folder holding it when asked. */
export function homeFacts(home: { path: string; stat: Stats } | undefined): HomeFacts | undefined {
  return home && { uid: home.stat.uid, gid: home.stat.gid, mode: home.stat.mode, parent: () => statOrNothing(dirname(home.path)) };
}

/**
 * Whether H (`home`) lets the group of a shared config vouch: it belongs to `who` or root, and
 * no one else may write it (others may not; its group only when `who` is in that group).
 */
const homeVouches = (home: OwnerFacts | undefined, who: Identity): boolean =>
  home !== undefined && (home.uid === who.uid || home.uid === 0) && (home.mode & 0o002) === 0
  && ((home.mode & 0o020) === 0 || groupsOf(who).includes(home.gid));

/**
 * Whether root may trust H's owner: the folder holding H belongs to root or to H's owner, and
 * others may not write it (a sticky `/tmp` does not count: anyone could have made H there).
 */
const rootMayTrustHomeOwner = (home: HomeFacts): boolean => {
  const parent = home.parent?.();
  return parent !== undefined && (parent.uid === 0 || parent.uid === home.uid) && (parent.mode & 0o002) === 0;
};

/**
 * The rule: why `facts` (of `kind` at `path`) is not trusted by `who`, with the fix;
 * undefined when it is. `home` gives H's owner and mode, asked only when the owner is
 * neither `who` nor root. `shared`: a group may share it as config.yaml (by default a config
 * file or folder; the bot's allowlist too).
 */
export function ownerRefusal(
  kind: CheckedKind,
  path: string,
  facts: OwnerFacts,
  home: () => HomeFacts | undefined,
  who: Identity,
  shared = kind === 'config file' || kind === 'config folder',
): { problem: string; fix: string } | undefined {
  if (facts.uid === who.uid || facts.uid === 0) return undefined;
  const problem = `belongs to another user (uid ${facts.uid}), not you (uid ${who.uid}) or root`;
  if (who.uid === 0) {
    const h = home();
    const owner = h?.uid;
    const fix = `run homelab as its owner: sudo -u ${sudoUser(facts.uid)} homelab …`;
    if (h && owner === facts.uid) {
      if (rootMayTrustHomeOwner(h)) return undefined;
      return { problem: `${problem}, and the config home's owner is trusted only when the folder holding it is root's or theirs and others may not write it`, fix };
    }
    return { problem: owner === undefined || owner === 0 ? problem : `${problem} or the config home's owner (uid ${owner})`, fix };
  }
  const ourGroup = groupsOf(who).includes(facts.gid);
  const take = `sudo chown ${chownUser(who.uid)} ${path}`;
  if (!shared && kind !== 'config home') {
    if (!ourGroup) return { problem, fix: `check what it says, then run: ${take}` };
    const why = kind.startsWith('credentials') ? 'credentials are 0600: a group cannot share them'
      : kind.startsWith('SSH key') ? 'a key a group shares must be root\'s' : 'it is 0600: a group cannot share it';
    return { problem: `${problem} (${why})`, fix: `run homelab as its owner: sudo -u ${sudoUser(facts.uid)} homelab …, or take it: ${take}` };
  }
  if (kind === 'config home' || !ourGroup) {
    // A config home kept by a group is root's (only then may the group's files in it vouch).
    return { problem, fix: `check what it says, then run: ${kind === 'config home' && ourGroup ? `sudo chown root ${path}` : take}` };
  }
  if (!homeVouches(home(), who)) {
    return { problem: `${problem}, in a config home that is not yours or root's or that others may write: a group may share a config only in a folder you or root control`, fix: `use a config home you or root own (HOMELAB_CONFIG_HOME)` };
  }
  if ((facts.mode & 0o020) !== 0) return undefined;
  return { problem, fix: `check what it says, then ask its owner (${chownUser(facts.uid)}) to make it group-writable: chmod g+w ${path}` };
}

/**
 * Throws a ConfigError when `facts` (of `kind` at `path`) is not trusted (`ownerRefusal`,
 * `shared` as there); `why` says what its owner controls.
 */
export function checkOwner(
  kind: CheckedKind,
  path: string,
  facts: OwnerFacts,
  home: () => HomeFacts | undefined,
  who: Identity | undefined,
  why = 'whoever owns it decides where credentials are sent',
  shared?: boolean,
): void {
  const refusal = who && ownerRefusal(kind, path, facts, home, who, shared);
  if (refusal) throw new ConfigError(`${kind} ${path} ${refusal.problem}: ${why}`, refusal.fix);
}

/** Permission bits of a mode, in octal (`644`). */
export const octal = (mode: number): string => (mode & 0o777).toString(8);

/** Throws when others may write the folder `dir` (`stat`) without the sticky bit: anyone could replace what it holds (`what`). */
export function checkFolder(dir: string, stat: OwnerFacts, of: FolderOf): void {
  if ((stat.mode & 0o002) !== 0 && (stat.mode & 0o1000) === 0) {
    const replaced = of === 'config' ? 'config.yaml, which decides where credentials are sent'
      : of === 'credentials' ? 'the credentials file, which chooses the account homelab acts as' : `the ${of.noun} file, which decides ${of.decides}`;
    throw new ConfigError(`folder ${dir} of the ${typeof of === 'string' ? of : of.noun} file is writable by others (mode ${octal(stat.mode)}): anyone could replace ${replaced}`, `run: chmod o-w ${dir}`);
  }
}

/**
 * The checks of where a linked file (`path`: config.yaml, a credentials file or another file
 * that grants control, or one in a linked folder) really is: its real folder's owner, and no folder from it up to `/` writable
 * by others unless sticky. Only a link costs these calls.
 */
export function checkRealPlace(path: string, of: FolderOf, home: () => HomeFacts | undefined, who: Identity | undefined): void {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return; // gone since it was read: a race, not a permission
  }
  const dir = dirname(real);
  const folder = statOrNothing(dir);
  if (folder) {
    if (typeof of === 'string') checkOwner(`${of} folder`, dir, folder, home, who);
    else checkOwner(`${of.noun} folder`, dir, folder, home, who, `whoever owns it decides ${of.decides}`, of.shared);
  }
  for (let d = dir; ; d = dirname(d)) {
    const s = d === dir ? folder : statOrNothing(d);
    if (s) checkFolder(d, s, of);
    if (d === dirname(d)) return;
  }
}
