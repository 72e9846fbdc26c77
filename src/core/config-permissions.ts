/**
 * @module core/config-permissions
 * config.yaml decides where tokens are sent, so it is refused (exit 3, with the chmod fix)
 * when someone other than its owner could change it: when the file is writable by others,
 * or when its folder is (without the sticky bit), since anyone may then delete or rename
 * the file and put their own in its place. Group-writable stays accepted, for a file or a
 * folder kept by a group of admins (the same trust as sharing the login).
 */
import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './errors.js';

/** Permission bits of a mode, in octal (`644`). */
const octal = (mode: number): string => (mode & 0o777).toString(8);

/** Throws a ConfigError when others could change config.yaml at `path` (`stat`: the file's own). */
export function checkConfigPermissions(path: string, stat: Stats): void {
  if (stat.mode & 0o002) {
    throw new ConfigError(`config file ${path} is writable by others (mode ${octal(stat.mode)}): it decides where credentials are sent`, `run: chmod o-w ${path}`);
  }
  const dir = dirname(path);
  let folder: Stats;
  try {
    folder = statSync(dir);
  } catch {
    return; // The file was just read from it: a folder that vanished since is a race, not a permission.
  }
  if (folder.mode & 0o002 && !(folder.mode & 0o1000)) {
    throw new ConfigError(`folder ${dir} of the config file is writable by others (mode ${octal(folder.mode)}): anyone could replace config.yaml, which decides where credentials are sent`, `run: chmod o-w ${dir}`);
  }
}
