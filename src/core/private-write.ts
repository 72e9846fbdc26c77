/**
 * @module core/private-write
 * Replaces a file that grants control (`core/private-file`: the bot's allowlist, the
 * dashboard's logins) whole, under its writer's lock: the new text goes to a temporary file
 * `<file>.<random>.<pid>.tmp` beside it, created exclusively (mode 0600), then renamed over
 * the file, so a reader never sees half of one. The random part means no one can plant a link
 * or file at that name beforehand (in a sticky folder, where a planted one could not be
 * removed), and the exclusive create never writes through one that appears meanwhile. Every
 * byte is written (core/write-all): a disk too full for the new text leaves the old file whole,
 * never a cut one whose last line reads as another user or id. A failure removes the temporary
 * file and is told as what it is (a FileAccessError naming the file, or the temporary one when
 * it could not be created); the temporary files of writers killed before their rename are
 * removed by the next write (core/stale-temps).
 */
import { randomBytes } from 'node:crypto';
import { fchmodSync, fsyncSync, openSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileAccessError } from './errors.js';
import { removeStaleTemps } from './stale-temps.js';
import { writeAndRename } from './write-all.js';

/** The temporary files of `path`'s writers: `<file>.<12 hex>.<pid>.tmp`. */
const TEMP = /^[0-9a-f]{12}\.\d+\.tmp$/;

/** Replaces the contents of `path` with `text` through an exclusively created temporary file (0600) renamed over it; the folder must exist. */
export function replacePrivateFile(path: string, text: string): void {
  const temp = `${path}.${randomBytes(6).toString('hex')}.${process.pid}.tmp`;
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o600);
  } catch (err) {
    throw fileAccessError(err, temp, 'write');
  }
  try {
    writeAndRename(fd, temp, path, text, (f) => {
      // A umask could have taken the owner's bits away: the file is 0600 whatever it is.
      fchmodSync(f, 0o600);
      // On the disk before the rename: a crash never leaves an empty file under the name.
      fsyncSync(f);
    });
  } catch (err) {
    // Named as the file that could not be replaced (a full disk, a directory in its place): the temporary one is gone.
    throw fileAccessError(err, path, 'write');
  }
  const prefix = `${basename(path)}.`;
  removeStaleTemps(dirname(path), (name) => name.startsWith(prefix) && TEMP.test(name.slice(prefix.length)));
}
