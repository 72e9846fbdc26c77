/**
 * @module core/write-all
 * Writes a whole text to a file descriptor. One `write` may write fewer bytes than asked
 * (a disk with less room than the text needs, a file size limit: Linux then writes what
 * fits and says how much); the rest is written by further calls, the first of which fails
 * with the reason (ENOSPC, EDQUOT, EFBIG), so a short write is never taken for a whole one.
 * `writeAll` writes through a file descriptor, `writeAllTo` through an open FileHandle;
 * `writeAndRename` writes a temporary file beside a file whole and only then renames it over
 * the file, so a reader never sees half of one.
 */
import { closeSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Writes `length` bytes of `buffer` from `offset` to `fd`; returns how many it wrote (fs.writeSync's contract). */
export type WriteStep = (fd: number, buffer: Buffer, offset: number, length: number) => number;

const osWrite: WriteStep = (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length);

/** Writes all of `text` (UTF-8) to `fd` at its current position; throws what the write that could not go on threw. */
export function writeAll(fd: number, text: string | Buffer, write: WriteStep = osWrite): void {
  const buffer = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let done = 0;
  while (done < buffer.length) {
    const wrote = write(fd, buffer, done, buffer.length - done);
    if (!(wrote > 0)) throw noRoom(done, buffer.length);
    done += wrote;
  }
}

/**
 * Writes all of `text` to `fd`, open on the temporary file `temp` beside `path`; runs `finish(fd)`
 * (mode, owner, fsync), closes it and renames `temp` over `path`. On failure `temp` is removed and
 * the error thrown: `path` is as it was.
 */
export function writeAndRename(fd: number, temp: string, path: string, text: string, finish: (fd: number) => void): void {
  try {
    writeAll(fd, text);
    finish(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (err) {
    try { closeSync(fd); } catch { /* closed already */ }
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Writes `length` bytes of `buffer` from `offset` through an open file; resolves how many it wrote (FileHandle.write's `bytesWritten`). */
export type AsyncWriteStep = (buffer: Uint8Array, offset: number, length: number) => Promise<number>;

/**
 * Writes all of `data` through `handle` at its current position, as `writeAll` does for a file
 * descriptor: after a short write the rest is written, and the write that cannot go on throws.
 */
export async function writeAllTo(handle: FileHandle, data: Uint8Array, write: AsyncWriteStep = async (buffer, offset, length) => (await handle.write(buffer, offset, length)).bytesWritten): Promise<void> {
  let done = 0;
  while (done < data.byteLength) {
    const wrote = await write(data, done, data.byteLength - done);
    if (!(wrote > 0)) throw noRoom(done, data.byteLength);
    done += wrote;
  }
}

/** A write of nothing, with no error: the file cannot grow, and no reason was given. */
function noRoom(done: number, total: number): Error {
  return Object.assign(new Error(`ENOSPC: no space left on device, write (${done} of ${total} bytes written)`), { code: 'ENOSPC', syscall: 'write' });
}
