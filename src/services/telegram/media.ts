/**
 * @module services/telegram/media
 * Photos and documents sent to the bot, saved as plain files: photos under
 * `<data>/telegram/images/`, documents under `<data>/telegram/files/`. Names are
 * `YYYYMMDD-HHMMSS-<sanitised original>`: no directory part, no leading dot, only
 * `[A-Za-z0-9._-]`, bounded length. A file is written to a temporary name first and
 * hard-linked to its final name, so an existing file is never overwritten (a `-2`,
 * `-3`… suffix is added instead) and a half-written file is never visible. Every chunk is
 * written whole (core/write-all): a disk that takes only part of it (full, or past the file
 * size limit) fails the save, said as `cannot write <folder>: …`, and nothing is kept.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import { basename, extname, join, resolve, sep } from 'node:path';
import { OperationError, fileAccessError } from '../../core/errors.js';
import { writeAllTo } from '../../core/write-all.js';
import { telegramDataDir } from './config.js';

/** Where a kind of media goes. */
export type MediaKind = 'images' | 'files';

/** A saved file. */
export interface SavedMedia {
  /** Relative to `<data>/telegram`: `images/20260501-100000-photo.jpg`. */
  path: string;
  absolutePath: string;
  bytes: number;
}

const MAX_NAME = 100;

/**
 * Reduces a user-supplied file name to a safe one: the last path component only,
 * characters outside `[A-Za-z0-9._-]` replaced, no leading dots, at most 100
 * characters (the extension kept), `fallback` when nothing is left (`fallback.ext` when
 * only the extension is left).
 */
export function sanitiseFileName(name: string | undefined, fallback = 'file'): string {
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  const plain = (text: string): string => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/_+/g, '_').replace(/^[._-]+/, '').replace(/\.{2,}/g, '.');
  let clean = plain(last);
  // A name of no Latin letters (`отчёт.pdf`) keeps its extension: `file.pdf`, not `pdf`.
  const ext = extname(last);
  if (/^\.[A-Za-z0-9]{1,16}$/.test(ext) && plain(last.slice(0, -ext.length)).replace(/[._-]+$/, '') === '') clean = `${fallback}${ext}`;
  if (!clean || clean === '_') clean = fallback;
  if (clean.length > MAX_NAME) {
    const ext = extname(clean).slice(0, 16);
    clean = clean.slice(0, MAX_NAME - ext.length) + ext;
  }
  return clean;
}

/**
 * The shape of every path `saveMedia` returns (`images/<name>` or `files/<name>`, a
 * sanitised name without a leading dot): what the inbox accepts as an attachment.
 */
export const MEDIA_PATH = /^(?:images|files)\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Whether `path` is a saved media path (nothing outside `images/` or `files/`). */
export function isMediaPath(path: string): boolean {
  return MEDIA_PATH.test(path) && !path.includes('..');
}

/** `YYYYMMDD-HHMMSS` in UTC. */
export function timestampPrefix(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/**
 * Saves `data` (bytes or a stream of chunks) as `<kind>/<timestamp>-<name>`. Throws an
 * OperationError, leaving nothing behind, when it exceeds `maxBytes`; a FileAccessError naming
 * the folder, leaving nothing behind, when the disk does not take it whole (full, a size limit).
 */
export async function saveMedia(
  dataDir: string,
  kind: MediaKind,
  name: string | undefined,
  data: Uint8Array | AsyncIterable<Uint8Array>,
  options: { maxBytes: number; now?: Date },
): Promise<SavedMedia> {
  const dir = join(telegramDataDir(dataDir), kind);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.part-${randomBytes(6).toString('hex')}`);
  let bytes = 0;
  try {
    bytes = await writeLimited(temp, data, options.maxBytes).catch((err: unknown) => {
      throw fileAccessError(err, dir, 'write');
    });
    const safe = `${timestampPrefix(options.now ?? new Date())}-${sanitiseFileName(name, kind === 'images' ? 'photo.jpg' : 'file')}`;
    const ext = extname(safe);
    const stem = safe.slice(0, safe.length - ext.length);
    for (let n = 1; n < 1000; n++) {
      const candidate = n === 1 ? safe : `${stem}-${n}${ext}`;
      const target = resolve(dir, candidate);
      if (!target.startsWith(resolve(dir) + sep) || basename(target) !== candidate) throw new OperationError(`unsafe file name ${JSON.stringify(candidate)}`);
      try {
        await link(temp, target);
        return { path: `${kind}/${candidate}`, absolutePath: target, bytes };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    throw new OperationError(`too many files named ${safe}`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function writeLimited(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, maxBytes: number): Promise<number> {
  const file = await open(path, 'wx', 0o600);
  let bytes = 0;
  try {
    const chunks = data instanceof Uint8Array ? [data] : data;
    for await (const chunk of chunks) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) throw new OperationError(`file is larger than the limit of ${formatLimit(maxBytes)}`);
      await writeAllTo(file, chunk);
    }
    return bytes;
  } finally {
    await file.close();
  }
}

/** A byte limit as `20 MB`. */
export function formatLimit(bytes: number): string {
  const mb = bytes / 1_000_000;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
