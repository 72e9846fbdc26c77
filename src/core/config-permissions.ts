/**
 * @module core/config-permissions
 * config.yaml decides where tokens are sent, so it is refused (exit 3, with the one-line
 * fix) when someone homelab does not trust could change it, as sshd's StrictModes refuses
 * an authorized_keys file, by the rule of `core/trusted-owner`: the config home H, the
 * `homelab/` folder and config.yaml, in that order, each owned by someone trusted and not
 * writable by others (a sticky folder is; group-writable is accepted). A config.yaml that is
 * a symlink (kept with the dotfiles), or in a linked folder, is judged where it really is
 * too. It runs on every start: the file's stat is given, three more calls (lstat of the file,
 * its folder and H); a link costs a realpath and a stat per folder above its real one.
 */
import { type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './errors.js';
import { checkFolder, checkOwner, checkRealPlace, configHomeOf, currentIdentity, homeFacts, linkStat, octal, type HomeFacts, type Identity } from './trusted-owner.js';

/**
 * Throws a ConfigError when someone `who` (the running user) does not trust could change
 * config.yaml at `path` (`stat`: the file's own, links followed), which lives at
 * `<config home>/homelab/config.yaml`.
 */
export function checkConfigPermissions(path: string, stat: Stats, who: Identity | undefined = currentIdentity()): void {
  const dir = dirname(path);
  const home = configHomeOf(dirname(dir));
  const facts = homeFacts(home);
  const homeOf = (): HomeFacts | undefined => facts;
  // Outermost first: a shared file is judged by the config home holding it.
  if (home) {
    checkOwner('config home', home.path, home.stat, homeOf, who);
    checkFolder(home.path, home.stat, 'config');
  }
  const folder = linkStat(dir);
  if (folder) {
    checkOwner('config folder', dir, folder.stat, homeOf, who);
    checkFolder(dir, folder.stat, 'config');
  }
  checkOwner('config file', path, stat, homeOf, who);
  if (stat.mode & 0o002) {
    throw new ConfigError(`config file ${path} is writable by others (mode ${octal(stat.mode)}): it decides where credentials are sent`, `run: chmod o-w ${path}`);
  }
  if (linkStat(path)?.link || folder?.link || home?.link) checkRealPlace(path, 'config', homeOf, who);
}
