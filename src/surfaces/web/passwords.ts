/**
 * @module surfaces/web/passwords
 * The dashboard's logins: `$HOMELAB_CONFIG_HOME/web/passwords`, one `user:hash` line per
 * user, mode 0600, yours or root's, in a folder others may not write (refused otherwise,
 * with the fix: `core/private-file`), written by
 * `homelab serve passwd`. A hash is scrypt's (`scrypt$N$r$p$salt$key`, base64), checked in
 * constant time; an unknown user costs the same scrypt run as a known one, so the time a
 * login takes does not tell which user names exist. No password or hash is ever printed.
 * Writers hold the file's lock (`<file>.lock`, the lock `telegram allow` uses), so parallel
 * runs of `serve passwd` each keep their user.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, UsageError, fileAccessError } from '../../core/errors.js';
import { withFileLock } from '../../core/file-lock.js';
import { checkPrivateFolder, passwordsFile, PASSWORDS, statPrivateFile } from '../../core/private-file.js';
import { replacePrivateFile } from '../../core/private-write.js';

/** The dashboard's password file (`$HOMELAB_CONFIG_HOME/web/passwords`). */
export { passwordsFile } from '../../core/private-file.js';

/** What a user name may be: letters, digits, `.`, `_`, `-`; up to 32 characters. */
export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

const COST = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 128 * cost.N * cost.r * 2 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a password with scrypt and a new random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;
const DUMMY = `scrypt$${COST.N}$${COST.r}$${COST.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

/** Whether `password` matches `hash` (undefined: an unknown user, checked against a dummy so it takes as long). */
export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  const match = HASH.exec(hash ?? DUMMY) ?? (HASH.exec(DUMMY) as RegExpExecArray);
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // A hand-edited cost beyond scrypt's sane range must not hang the server.
  if (N > 1 << 20 || r > 32 || p > 16) return false;
  const expected = Buffer.from(match[5] as string, 'base64');
  const key = await derive(password, Buffer.from(match[4] as string, 'base64'), { N, r, p });
  return hash !== undefined && key.length === expected.length && timingSafeEqual(key, expected);
}

/** The users and their hashes; undefined when there is no password file (the local, login-free mode). */
export function loadPasswords(env: NodeJS.ProcessEnv = process.env): Map<string, string> | undefined {
  return readPasswordFile(passwordsFile(env), env);
}

/** The users and hashes of the password file `file`; undefined when it does not exist. A ConfigError when others may read it or a line is not `user:hash`. */
export function readPasswordFile(file: string, env: NodeJS.ProcessEnv = process.env): Map<string, string> | undefined {
  const read = readLines(file, env);
  if (!read) return undefined;
  const [bad] = read.bad;
  if (bad) {
    throw new ConfigError(`password file ${file}, line ${bad.line}: not a user:scrypt-hash line`, `set the password again with: homelab serve passwd --user ${bad.user ?? 'NAME'}`);
  }
  if (read.users.size === 0) throw new ConfigError(`password file ${file} has no users`, 'add one with: homelab serve passwd --user NAME');
  return read.users;
}

/** A line of the password file that is not `user:scrypt-hash`: its number, and its user when the name is a valid one. */
interface BadLine {
  line: number;
  user?: string;
}

/** The good lines of `file` and the bad ones; undefined when it does not exist. A ConfigError when it cannot be read or others may read it. */
function readLines(file: string, env: NodeJS.ProcessEnv): { users: Map<string, string>; bad: BadLine[] } | undefined {
  // Whoever could change it could log in: yours or root's, 0600, in a folder others may not write (core/private-file).
  if (!statPrivateFile(file, PASSWORDS, env)) return undefined;
  const users = new Map<string, string>();
  const bad: BadLine[] = [];
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    throw fileAccessError(err, file, 'read');
  }
  content.split('\n').forEach((line, i) => {
    const text = line.trim();
    if (!text || text.startsWith('#')) return;
    const at = text.indexOf(':');
    const user = text.slice(0, at);
    if (at < 0 || !USER_NAME.test(user) || !HASH.test(text.slice(at + 1))) bad.push({ line: i + 1, ...(at > 0 && USER_NAME.test(user) ? { user } : {}) });
    else users.set(user, text.slice(at + 1));
  });
  return { users, bad };
}

/**
 * Sets (or replaces) a user's password in the password file, written atomically with mode
 * 0600 under the file's lock (`homelab serve passwd` run for several users at once keeps
 * every one). It also repairs the file: a line that is not `user:scrypt-hash` is dropped
 * (the user's own is replaced), each dropped one told to `warn` by its number and user, never
 * its text; an empty file gets its first user.
 */
export async function setPassword(user: string, password: string, env: NodeJS.ProcessEnv = process.env, warn: (note: string) => void = () => undefined): Promise<string> {
  if (!USER_NAME.test(user)) throw new UsageError(`user name ${JSON.stringify(user)} is not valid`, 'use letters, digits, ".", "_" and "-" (up to 32)');
  if (password.length < 8) throw new UsageError('the password is too short: use at least 8 characters');
  const file = passwordsFile(env);
  const hash = await hashPassword(password);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  checkPrivateFolder(dirname(file), PASSWORDS, env);
  await withFileLock(file, async () => {
    const { users, bad } = readLines(file, env) ?? { users: new Map<string, string>(), bad: [] };
    for (const b of bad) {
      if (b.user !== user) warn(`dropped line ${b.line} of ${file}${b.user ? ` (${b.user})` : ''}: not a user:scrypt-hash line${b.user ? `; set it again with: homelab serve passwd --user ${b.user}` : ''}`);
    }
    users.set(user, hash);
    replacePrivateFile(file, [...users].map(([u, h]) => `${u}:${h}\n`).join(''));
  });
  return file;
}
