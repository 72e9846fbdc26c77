/**
 * @module core/user-names
 * User and group names for messages and fixes (`sudo -u <owner>`, `chown <you>`), read from
 * /etc/passwd and /etc/group, with the number when a name cannot be found.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

/** The login name of `uid` (from /etc/passwd, else the running user's), or undefined. */
function userName(uid: number): string | undefined {
  try {
    if (uid === process.getuid?.()) return userInfo().username;
    return nameIn('/etc/passwd', uid);
  } catch {
    return undefined;
  }
}

/** The name of id `id` in the colon-separated database `file` (/etc/passwd, /etc/group); throws when it cannot be read. */
function nameIn(file: string, id: number): string | undefined {
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.split(':')[2] === String(id));
  return line?.split(':')[0] || undefined;
}

/** A user for messages: the login name of `uid`, else `uid <n>`. */
export const ownerName = (uid: number): string => userName(uid) ?? `uid ${uid}`;

/** A group for messages: its name (from /etc/group), else `gid <n>`. */
export function groupName(gid: number): string {
  try {
    return nameIn('/etc/group', gid) ?? `gid ${gid}`;
  } catch {
    return `gid ${gid}`;
  }
}

/** A user for `sudo -u`: the name, else `'#uid'`. */
export const sudoUser = (uid: number): string => userName(uid) ?? `'#${uid}'`;
/** A user for `chown`: the name, else the number. */
export const chownUser = (uid: number): string => userName(uid) ?? String(uid);
