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
import { z } from 'zod';
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

/** scrypt's cost: N (a power of two), r and p. */
interface Cost {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, cost: Cost): Promise<Buffer> {
  // What OpenSSL allocates: 128·r·p for B, 128·r·(N+2) for V.
  const options: ScryptOptions = { ...cost, maxmem: 128 * cost.r * (cost.N + cost.p + 2) };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a password with scrypt and a new random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const count = (max: number): z.ZodType<number, string> => z.string().regex(/^[1-9]\d{0,7}$/).transform(Number).pipe(z.number().max(max));

/**
 * A stored hash, `scrypt$N$r$p$salt$key`, with a cost scrypt accepts and that cannot hang the
 * server: N a power of two from 2 to 2^20 (and below 2^(16·r), scrypt's own limit), r up to
 * 32, p up to 16; a salt, and a key of the length hashPassword makes.
 */
const scryptHash = z
  .string()
  .transform((text) => text.split('$'))
  .pipe(z.tuple([z.literal('scrypt'), count(1 << 20), count(32), count(16), z.string().regex(BASE64), z.string().regex(BASE64)]))
  .transform(([, N, r, p, salt, key]) => ({ cost: { N, r, p }, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') }))
  .refine(({ cost: { N, r } }) => N >= 2 && (N & (N - 1)) === 0 && Math.log2(N) < 16 * r)
  .refine(({ key }) => key.length === KEY_LENGTH);

/** A stored hash, read: its cost, salt and key. */
type ScryptHash = z.output<typeof scryptHash>;

/** The hash `text`, read; undefined when it is not one scrypt can check (see scryptHash). */
function readHash(text: string): ScryptHash | undefined {
  const read = scryptHash.safeParse(text);
  return read.success ? read.data : undefined;
}

const DUMMY: ScryptHash = { cost: COST, salt: Buffer.alloc(16), key: Buffer.alloc(KEY_LENGTH) };

/**
 * Whether `password` matches `hash` (undefined: an unknown user, checked against a dummy so it
 * takes as long). A hash scrypt cannot check (the password file refuses such a line) is a
 * wrong password, checked against the dummy too.
 */
export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  const stored = hash === undefined ? undefined : readHash(hash);
  const { cost, salt, key: expected } = stored ?? DUMMY;
  const key = await derive(password, salt, cost);
  return stored !== undefined && key.length === expected.length && timingSafeEqual(key, expected);
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
    if (at < 0 || !USER_NAME.test(user) || !readHash(text.slice(at + 1))) bad.push({ line: i + 1, ...(at > 0 && USER_NAME.test(user) ? { user } : {}) });
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
