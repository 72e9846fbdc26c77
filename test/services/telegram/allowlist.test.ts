import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, FileAccessError } from '../../../src/core/errors.js';
import { authorizedUsersFile, isAllowed, readAuthorizedUsers } from '../../../src/services/telegram/allowlist.js';
import type { TelegramConfig } from '../../../src/services/telegram/config.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'allowlist-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

/** A config section as the bot has it (built directly: the schema refuses shared ids). */
const config = (allowed: number[]): TelegramConfig => ({ api_root: 'http://127.0.0.1:1', allowed_users: allowed, timeout_seconds: 30, operation_timeouts: {}, max_file_mb: 20 });

/** Writes the allowlist with an explicit mode (0600 unless given), whatever the umask. */
const list = (text: string, mode = 0o600): void => {
  mkdirSync(join(dir, 'telegram'), { recursive: true });
  writeFileSync(authorizedUsersFile(dir), text);
  chmodSync(authorizedUsersFile(dir), mode);
};

describe('isAllowed', () => {
  it('never admits an id Telegram shares between chats\' senders, listed in config or in the file', () => {
    list('1087968824\n777000\n4242\n');
    const tg = config([1001, 1087968824, 136817688]);
    for (const shared of [1087968824, 136817688, 777000]) expect(isAllowed(tg, dir, shared)).toBe(false);
    expect(isAllowed(tg, dir, 1001)).toBe(true);
    expect(isAllowed(tg, dir, 4242)).toBe(true);
    expect(isAllowed(tg, dir, 5555)).toBe(false);
  });
});

describe('readAuthorizedUsers', () => {
  it('reads none when the file does not exist', () => {
    expect(readAuthorizedUsers(dir)).toEqual([]);
  });

  it('throws, naming the file, when the file cannot even be looked at (its ids are not "none")', () => {
    // A symbolic link to itself: stat fails with ELOOP.
    mkdirSync(join(dir, 'telegram'));
    symlinkSync(authorizedUsersFile(dir), authorizedUsersFile(dir));
    expect(() => readAuthorizedUsers(dir)).toThrow(FileAccessError);
    expect(() => readAuthorizedUsers(dir)).toThrow(authorizedUsersFile(dir));
    // A file where <data>/telegram should be: ENOTDIR.
    const other = join(dir, 'other');
    writeFileSync(join(dir, 'other-telegram'), '');
    mkdirSync(other);
    symlinkSync(join(dir, 'other-telegram'), join(other, 'telegram'));
    expect(() => readAuthorizedUsers(other)).toThrow(FileAccessError);
    // The bot's users listed in config.yaml still get in; the file's are refused by the error.
    expect(isAllowed(config([1001]), dir, 1001)).toBe(true);
    expect(() => isAllowed(config([1001]), dir, 4242)).toThrow(FileAccessError);
  });

  it('throws a ConfigError (the bot then refuses whoever is listed only there) when others may write it; a chmod is seen at once', () => {
    list('4242\n');
    expect(isAllowed(config([1001]), dir, 4242)).toBe(true);
    // Same text, same mtime: only the mode changed, and the cached ids are not used.
    chmodSync(authorizedUsersFile(dir), 0o646);
    expect(() => isAllowed(config([1001]), dir, 4242)).toThrow(ConfigError);
    expect(() => readAuthorizedUsers(dir)).toThrow(`allowlist file ${authorizedUsersFile(dir)} is writable by others (mode 646): anyone could change who may use the bot`);
    expect(isAllowed(config([1001]), dir, 1001)).toBe(true);
    chmodSync(authorizedUsersFile(dir), 0o600);
    expect(isAllowed(config([1001]), dir, 4242)).toBe(true);
  });

  it('reads a file its group may write, as config.yaml may be (an echo >> under umask 002)', () => {
    list('4242\n', 0o664);
    expect(readAuthorizedUsers(dir)).toEqual([4242]);
    expect(isAllowed(config([]), dir, 4242)).toBe(true);
    chmodSync(authorizedUsersFile(dir), 0o660);
    expect(readAuthorizedUsers(dir)).toEqual([4242]);
  });
});
