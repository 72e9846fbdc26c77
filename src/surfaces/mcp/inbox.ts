/**
 * @module surfaces/mcp/inbox
 * The Telegram inbox as an AI assistant sees it. The file belongs to the bot
 * (`services/telegram/inbox`: it appends and clears it); this module only reads it,
 * with the bot's own parser. Entries an assistant has dealt with are marked in a file
 * of our own (`$HOMELAB_DATA_HOME/mcp/inbox-handled.json`), keyed by a hash of the
 * entry, so marking never rewrites the bot's file and survives the inbox being
 * cleared (a cleared entry simply disappears, and its mark with it).
 *
 * Marking reads the record, adds to it and replaces it under the record's file lock
 * (`core/file-lock`), so two servers marking at once (the HTTP service and a stdio agent)
 * each keep the other's marks.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { withFileLock } from '../../core/file-lock.js';
import { inboxPath, readInbox, type InboxEntry as TelegramInboxEntry } from '../../services/telegram/inbox.js';

/** Our record of handled entries. */
export function handledFile(dataDir: string): string {
  return join(dataDir, 'mcp', 'inbox-handled.json');
}

/** One inbox entry as MCP clients get it: the bot's entry plus an id and a handled flag. */
export interface InboxEntry extends TelegramInboxEntry {
  /** Stable id: a hash of the entry (12 hex digits). */
  id: string;
  handled: boolean;
}

/** The id of an entry. */
export function entryId(entry: TelegramInboxEntry): string {
  return createHash('sha256').update(JSON.stringify([entry.time, entry.user.id, entry.text, entry.file ?? null])).digest('hex').slice(0, 12);
}

/** The raw inbox text; an absent inbox is empty. */
export function readInboxText(dataDir: string): string {
  try {
    return readFileSync(inboxPath(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

const handledSchema = z.object({ handled: z.record(z.string(), z.string()) });

/** Ids marked handled, with when. A missing or damaged record is empty. */
export function readHandled(dataDir: string): Record<string, string> {
  try {
    const parsed = handledSchema.safeParse(JSON.parse(readFileSync(handledFile(dataDir), 'utf8')));
    return parsed.success ? parsed.data.handled : {};
  } catch {
    return {};
  }
}

/** Every entry with its id and handled flag, oldest first. */
export async function listInbox(dataDir: string): Promise<InboxEntry[]> {
  const handled = readHandled(dataDir);
  return (await readInbox(dataDir)).map((e) => {
    const id = entryId(e);
    return { id, ...e, handled: id in handled };
  });
}

/** Result of `markHandled`. */
export interface MarkResult {
  marked: string[];
  /** Ids not in the inbox (already cleared, or mistyped). */
  unknown: string[];
  /** Entries still not handled. */
  pending: number;
}

/**
 * Marks entries handled (`ids`, or every entry when `all`). Marks of entries no longer
 * in the inbox are dropped; the record is read and replaced (write, then rename) under its
 * lock, the inbox read under it too, so no process drops a mark another one just made.
 */
export async function markHandled(dataDir: string, ids: readonly string[], all = false, now = new Date()): Promise<MarkResult> {
  const file = handledFile(dataDir);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return withFileLock(file, async () => {
    const present = new Set((await readInbox(dataDir)).map(entryId));
    const next: Record<string, string> = Object.fromEntries(Object.entries(readHandled(dataDir)).filter(([id]) => present.has(id)));
    const wanted = all ? [...present] : [...new Set(ids)];
    const marked = wanted.filter((id) => present.has(id));
    for (const id of marked) next[id] ??= now.toISOString();
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ handled: next }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
    return { marked, unknown: wanted.filter((id) => !present.has(id)), pending: [...present].filter((id) => !(id in next)).length };
  });
}
