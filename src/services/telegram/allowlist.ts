/**
 * @module services/telegram/allowlist
 * Who may use the bot: the ids in `telegram.allowed_users` (config.yaml) plus the ids
 * in `<data>/telegram/authorized_users`, one a line, as the original bot kept them
 * (`#` comments and blank lines allowed). `telegram allow|deny` edit the file (under a
 * lock, written to a temporary file and renamed: `core/private-write`); the running bot
 * rereads it when it changes, so no restart is needed. The ids Telegram shares between every
 * sender who writes on behalf of a chat (anonymous group admins, channels, its service
 * account) are never allowed, even when listed.
 *
 * The file decides who controls the lab, so it is judged on every read and before every
 * edit (`core/private-file`) as config.yaml is: yours or root's (or, writable
 * by a group you are in, another member's under config.yaml's rule), not writable by others,
 * in a folder others may not write; otherwise refused (exit 3) with the fix.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileAccessError } from '../../core/errors.js';
import { ALLOWLIST, checkPrivateFolder, statPrivateFile } from '../../core/private-file.js';
import { replacePrivateFile } from '../../core/private-write.js';
import { telegramDataDir, type TelegramConfig } from './config.js';
import { withFileLock } from '../../core/file-lock.js';
import { SHARED_SENDER_IDS } from './shared-ids.js';

export { SHARED_SENDER_IDS } from './shared-ids.js';

/** Path of the authorised-users file. */
export function authorizedUsersFile(dataDir: string): string {
  return join(telegramDataDir(dataDir), 'authorized_users');
}

/** Parses the file: one integer id per line; anything else is ignored. */
export function parseAuthorizedUsers(text: string): number[] {
  const ids: number[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (/^\d{1,16}$/.test(line)) ids.push(Number(line));
  }
  return ids;
}

let cache: { path: string; mtimeMs: number; size: number; ids: number[] } | undefined;

/**
 * The ids in the file (cached until the file changes); none when it does not exist. A file
 * that is there but cannot be read or even looked at (a permission, a symbolic-link loop, a
 * file where `<data>/telegram` should be) throws a FileAccessError: its ids are not "none".
 */
export function readAuthorizedUsers(dataDir: string, env: NodeJS.ProcessEnv = process.env): number[] {
  const path = authorizedUsersFile(dataDir);
  // Judged on every read (the bot reads it per message): a file others could change is refused, not cached.
  const st = statPrivateFile(path, ALLOWLIST, env);
  if (!st) return [];
  if (cache && cache.path === path && cache.mtimeMs === st.mtimeMs && cache.size === st.size) return cache.ids;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fileAccessError(err, path, 'read');
  }
  const ids = parseAuthorizedUsers(text);
  cache = { path, mtimeMs: st.mtimeMs, size: st.size, ids };
  return ids;
}

/** Whether a Telegram user id may use the bot; `env` is the bot's (its config home decides whom root trusts). */
export function isAllowed(tg: TelegramConfig, dataDir: string, userId: number, env: NodeJS.ProcessEnv = process.env): boolean {
  if (SHARED_SENDER_IDS.has(userId)) return false;
  return tg.allowed_users.includes(userId) || readAuthorizedUsers(dataDir, env).includes(userId);
}

async function rewrite(dataDir: string, edit: (lines: string[]) => string[] | undefined, env: NodeJS.ProcessEnv): Promise<boolean> {
  const path = authorizedUsersFile(dataDir);
  checkPrivateFolder(dirname(path), ALLOWLIST, env);
  return withFileLock(path, async () => {
    // A file someone else could have changed is not edited: its ids are not ours to keep.
    statPrivateFile(path, ALLOWLIST, env);
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw fileAccessError(err, path, 'read');
    });
    const lines = text.split(/\r?\n/).filter((l, i, all) => !(l === '' && i === all.length - 1));
    const next = edit(lines);
    if (!next) return false;
    replacePrivateFile(path, next.map((l) => `${l}\n`).join(''));
    cache = undefined;
    return true;
  });
}

/** Adds an id to the file; false when it was already there. */
export function allowUser(dataDir: string, id: number, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return rewrite(dataDir, (lines) => (parseAuthorizedUsers(lines.join('\n')).includes(id) ? undefined : [...lines, String(id)]), env);
}

/** Removes an id from the file; false when it was not there. */
export function denyUser(dataDir: string, id: number, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return rewrite(dataDir, (lines) => {
    const kept = lines.filter((l) => parseAuthorizedUsers(l)[0] !== id);
    return kept.length === lines.length ? undefined : kept;
  }, env);
}
