/**
 * @module core/config-permissions
 * config.yaml decides where tokens are sent, so it is refused (exit 3, with the one-line
 * fix) when someone homelab does not trust could change it, as sshd's StrictModes refuses
 * an authorized_keys file: when the file or its `homelab/` folder belongs to someone not
 * trusted (`core/trusted-owner`: you, root, the config home's owner, or a group you are in
 * that may write it); when the file is writable by others; or when any folder from the
 * file's up to the config home (`HOMELAB_CONFIG_HOME`, default `~/.config`) is writable by
 * others without the sticky bit, since anyone may then delete or rename the file, or the
 * `homelab/` folder holding it, and put their own in its place. Group-writable stays
 * accepted (the same trust as sharing the login). A config.yaml that is a symlink (kept
 * with the dotfiles), or in a linked folder, is judged where it really is as well: its real
 * folder by the same rule, and no folder above it writable by others unless sticky.
 * It runs on every start: the file's stat is given, three more calls (lstat).
 */
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './errors.js';
import { checkTrustedOwner, currentIdentity, type Identity } from './trusted-owner.js';

/** Permission bits of a mode, in octal (`644`). */
const octal = (mode: number): string => (mode & 0o777).toString(8);

/** Writable by others, and not sticky (a sticky folder lets only a file's owner replace it). */
const othersMayReplace = (mode: number): boolean => (mode & 0o002) !== 0 && (mode & 0o1000) === 0;

/** A folder's stat (the target's, when it is a link) and whether it is a link; undefined when it vanished (a race, not a permission). */
function folderStat(dir: string): { stat: Stats; link: boolean } | undefined {
  try {
    const own = lstatSync(dir);
    return own.isSymbolicLink() ? { stat: statSync(dir), link: true } : { stat: own, link: false };
  } catch {
    return undefined;
  }
}

/** Throws when others may replace the folder `dir` (`stat`), and so the config file in or under it. */
function checkFolder(dir: string, stat: Stats): void {
  if (othersMayReplace(stat.mode)) {
    throw new ConfigError(`folder ${dir} of the config file is writable by others (mode ${octal(stat.mode)}): anyone could replace config.yaml, which decides where credentials are sent`, `run: chmod o-w ${dir}`);
  }
}

/** Whether `path` is a symlink (it was read, so an lstat that fails is a race: judged as it was stat'ed). */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Throws a ConfigError when someone `who` (the running user) does not trust could change
 * config.yaml at `path` (`stat`: the file's own, links followed), which lives at
 * `<config home>/homelab/config.yaml`.
 */
export function checkConfigPermissions(path: string, stat: Stats, who: Identity | undefined = currentIdentity()): void {
  const dir = dirname(path);
  const configHome = dirname(dir);
  checkTrustedOwner(path, 'config file', stat, configHome, undefined, who);
  if (stat.mode & 0o002) {
    throw new ConfigError(`config file ${path} is writable by others (mode ${octal(stat.mode)}): it decides where credentials are sent`, `run: chmod o-w ${path}`);
  }
  const folder = folderStat(dir);
  if (!folder) return;
  checkTrustedOwner(dir, 'config folder', folder.stat, configHome, undefined, who);
  // The folder, then the config home holding it: replacing either replaces the file.
  checkFolder(dir, folder.stat);
  const home = folderStat(configHome);
  if (home) checkFolder(configHome, home.stat);
  if (isLink(path) || folder.link || home?.link) checkRealPlace(path, configHome, who);
}

/** The checks of the folders where a linked config.yaml really is: its folder's owner, and every folder up to `/`. */
function checkRealPlace(path: string, configHome: string, who: Identity | undefined): void {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return; // gone since it was read: a race, not a permission
  }
  const dir = dirname(real);
  const folder = statOrNothing(dir);
  if (folder) checkTrustedOwner(dir, 'config folder', folder, configHome, undefined, who);
  for (let d = dir; ; d = dirname(d)) {
    const s = d === dir ? folder : statOrNothing(d);
    if (s) checkFolder(d, s);
    if (d === dirname(d)) return;
  }
}

/** The stat of `path`, or undefined when it cannot be read. */
function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
