/**
 * @module core/write-all
 * Writes a whole text to a file descriptor. One `write` may write fewer bytes than asked
 * (a disk with less room than the text needs, a file size limit: Linux then writes what
 * fits and says how much); the rest is written by further calls, the first of which fails
 * with the reason (ENOSPC, EDQUOT, EFBIG), so a short write is never taken for a whole one.
 */
import { writeSync } from 'node:fs';

/** Writes `length` bytes of `buffer` from `offset` to `fd`; returns how many it wrote (fs.writeSync's contract). */
export type WriteStep = (fd: number, buffer: Buffer, offset: number, length: number) => number;

const osWrite: WriteStep = (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length);

/** Writes all of `text` (UTF-8) to `fd` at its current position; throws what the write that could not go on threw. */
export function writeAll(fd: number, text: string | Buffer, write: WriteStep = osWrite): void {
  const buffer = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let done = 0;
  while (done < buffer.length) {
    const wrote = write(fd, buffer, done, buffer.length - done);
    if (!(wrote > 0)) {
      // A write of nothing, with no error: the file cannot grow, and no reason was given.
      throw Object.assign(new Error(`ENOSPC: no space left on device, write (${done} of ${buffer.length} bytes written)`), { code: 'ENOSPC', syscall: 'write' });
    }
    done += wrote;
  }
}
