/**
 * @module services/telegram/inbox
 * The inbox: `<data>/telegram/inbox`, a plain text file a person or an AI assistant
 * can read. One entry per message:
 *
 *     [2026-05-01T10:00:00.000Z] Alice Smith (@alice, 1001): first line
 *       continuation lines are indented by two spaces
 *     [2026-05-01T10:01:00.000Z] Alice Smith (@alice, 1001) [photo images/20260501-100100-photo.jpg]: caption
 *     [2026-05-01T10:02:00.000Z] Alice Smith (@alice, 1001) [forwarded from Mallory @mallory]: their words
 *
 * An attachment, and who wrote a forwarded message first, are named in the entry's header,
 * before the colon, where nothing a user sends can appear (names are cleaned of brackets,
 * parentheses and colons; the text starts after the colon): text such as `[file ../../x]`
 * stays text. Only paths of the saved-media shape (`images/…`, `files/…`) are attachments.
 *
 * Appends and the clearing rename run under one file lock, and appenders open the file
 * by path each time: an entry lands whole either in the file being taken or in the
 * new one, so `takeInbox` (clear) loses nothing that arrives meanwhile. `claimInbox`
 * keeps what it took until its taker knows the entries were delivered, and puts them back
 * when they were not (the files beside the inbox: inbox-files).
 */
import { appendFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OperationError, fileAccessError, systemErrorCode } from '../../core/errors.js';
import { textHead } from '../../core/text-head.js';
import { telegramDataDir } from './config.js';
import { withFileLock } from '../../core/file-lock.js';
import { readIfThere, putBackFiles, scanInbox, takeOver } from './inbox-files.js';
import { isMediaPath } from './media.js';

/** The author of an inbox entry. */
export interface InboxUser {
  id: number;
  name: string;
  username?: string;
}

/** One inbox entry (the `--json` shape of `telegram inbox`). */
export interface InboxEntry {
  /** ISO time the bot received the message. */
  time: string;
  user: InboxUser;
  text: string;
  /** Saved photo or document, relative to `<data>/telegram` (`images/…`, `files/…`). */
  file?: string;
  kind?: 'photo' | 'file';
  /** Who wrote it first when the user forwarded it (`Mallory @mallory`, a channel's title): not the user's own words. */
  forwardedFrom?: string;
}

/** Path of the inbox file. */
export function inboxPath(dataDir: string): string {
  return join(telegramDataDir(dataDir), 'inbox');
}

/** A display name safe for the entry header (no brackets, parentheses, colons or newlines). */
export function cleanName(name: string): string {
  return textHead(name.replace(/[\u0000-\u001f\u007f()[\]:]/g, ' ').replace(/\s+/g, ' ').trim(), 64) || 'user';
}

function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Formats one entry as inbox lines (ending with a newline). */
export function formatEntry(entry: InboxEntry): string {
  const user = entry.user.username && /^[A-Za-z0-9_]{1,64}$/.test(entry.user.username) ? `@${entry.user.username}, ` : '';
  if (entry.file !== undefined && !isMediaPath(entry.file)) throw new OperationError(`${JSON.stringify(entry.file)} is not a saved media path`);
  const forwarded = entry.forwardedFrom !== undefined ? ` [forwarded from ${cleanName(entry.forwardedFrom)}]` : '';
  const marker = entry.file ? ` [${entry.kind ?? 'file'} ${entry.file}]` : '';
  const body = cleanText(entry.text).replace(/\n/g, '\n  ');
  return `[${entry.time}] ${cleanName(entry.user.name)} (${user}${entry.user.id})${forwarded}${marker}: ${body}\n`;
}

const HEADER = /^\[([^\]]+)\] ([^()]*?) \((?:@([A-Za-z0-9_]+), )?(-?\d+)\)(?: \[forwarded from ([^()[\]:]*)\])?(?: \[(photo|file) ([^\]\s]+)\])?: ?(.*)$/;

/** Parses inbox text into entries; lines that fit no entry are kept as text of an unknown author. */
export function parseInbox(text: string): InboxEntry[] {
  const entries: InboxEntry[] = [];
  for (const line of text.split('\n')) {
    const last = entries[entries.length - 1];
    if (line.startsWith('  ') && last) {
      last.text += `\n${line.slice(2)}`;
      continue;
    }
    if (line === '') continue;
    const m = HEADER.exec(line);
    if (!m) {
      entries.push({ time: '', user: { id: 0, name: '' }, text: line });
      continue;
    }
    const user: InboxUser = { id: Number(m[4]), name: m[2] ?? '' };
    if (m[3]) user.username = m[3];
    const entry: InboxEntry = { time: m[1] ?? '', user, text: m[8] ?? '' };
    if (m[5] !== undefined) entry.forwardedFrom = m[5];
    if (m[7] && isMediaPath(m[7])) {
      entry.file = m[7];
      entry.kind = m[6] as 'photo' | 'file';
    }
    entries.push(entry);
  }
  return entries;
}

/** Appends one entry, whole, under the inbox lock. */
export async function appendInbox(dataDir: string, entry: InboxEntry): Promise<void> {
  const path = inboxPath(dataDir);
  const line = formatEntry(entry);
  await withFileLock(path, () => appendFile(path, line, { flag: 'a', mode: 0o600 }));
}

/** The codes of a folder this process may not write (denied, or a read-only mount). */
const NOT_WRITABLE: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Every entry now in the inbox (including those a clear holds until its output is delivered, or left when it crashed). */
export async function readInbox(dataDir: string): Promise<InboxEntry[]> {
  const dir = telegramDataDir(dataDir);
  const path = inboxPath(dataDir);
  // No folder yet: nothing was ever saved. Any other failure (the data folder is a file, or unreadable) is said with its path.
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw fileAccessError(err, dir, 'read');
  });
  if (names.length === 0) return [];
  const read = async (): Promise<string[]> => {
    const { held } = await scanInbox(dir);
    return Promise.all([...held.map((f) => f.path), path].map(async (f) => (await readIfThere(f)) ?? ''));
  };
  // Under the lock: a put-back is never seen half-way (its entries in two places). A folder this
  // process may not write, where no lock can be taken, is read without it (a put-back at that moment may show twice).
  // The lock tells its file system errors as a FileAccessError naming the lock; its system code says which.
  const texts = await withFileLock(path, read).catch((err: unknown) => {
    if (NOT_WRITABLE.has(systemErrorCode(err) ?? '')) return read();
    throw err;
  });
  return parseInbox(texts.join(''));
}

/** Entries taken out of the inbox, kept in their taken files until the taker settles them. */
export interface InboxClaim {
  entries: InboxEntry[];
  /**
   * `true`: the entries reached their reader, so their files are removed. `false`: they did
   * not (the output failed), so they go back to the head of the inbox, before anything that
   * arrived meanwhile. Resolves with how many entries went back (0 when delivered, or when
   * the files were gone: another clear took them). A process killed before settling leaves
   * the files, which `readInbox` shows and the next clear takes once the process is gone.
   */
  settle(delivered: boolean): Promise<number>;
}

/**
 * Takes every entry out of the inbox atomically: under the lock, the file is renamed (new
 * messages start a new file) and read; it stays until `settle`. Entries of an earlier clear
 * whose process is gone (it crashed before settling) are taken too; those of a clear still
 * running elsewhere stay its own, however long it shows them (inbox-files).
 */
export async function claimInbox(dataDir: string): Promise<InboxClaim> {
  const path = inboxPath(dataDir);
  const dir = telegramDataDir(dataDir);
  const base = join(dir, `inbox.taken-${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const files = await withFileLock(path, async () => {
    const claimed = await takeOver(await scanInbox(dir), (n) => `${base}-${String(n).padStart(4, '0')}`);
    const own = `${base}-inbox`;
    const moved = await rename(path, own).then(() => true, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    });
    return moved ? [...claimed, own] : claimed;
  });
  const texts = await Promise.all(files.map(async (f) => (await readIfThere(f)) ?? ''));
  return {
    entries: parseInbox(texts.join('')),
    settle: async (delivered) => {
      if (!delivered) return parseInbox((await withFileLock(path, () => putBackFiles(dir, path, files))).join('')).length;
      await Promise.all(files.map((f) => unlink(f).catch(() => undefined)));
      return 0;
    },
  };
}

/** Takes every entry out of the inbox atomically and removes them (`claimInbox`, settled at once). */
export async function takeInbox(dataDir: string): Promise<InboxEntry[]> {
  const claim = await claimInbox(dataDir);
  await claim.settle(true);
  return claim.entries;
}
