/**
 * @module core/config-write
 * Replaces a file the user owns the layout of (config.yaml) without changing what it is:
 * a symlink (a dotfiles repository) is followed and its target rewritten, the link kept;
 * the file keeps its owner, group and mode. The new text is written aside in the target's
 * directory and renamed over it, so a reader never sees half a file; when the owner cannot
 * be kept that way (not root, someone else's file), the file is rewritten in place, and put
 * back as it was when that fails. Every byte is written (core/write-all): a disk too full for
 * the new text leaves the old file whole and fails with one line naming it (`cannot write
 * <file>: no space left on the device`), never a cut file and a success.
 */
import { closeSync, fchmodSync, fchownSync, fsyncSync, ftruncateSync, openSync, readFileSync, realpathSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileAccessError } from './errors.js';
import { writeAll, writeAndRename } from './write-all.js';

/** Replaces the contents of `path` (through symlinks) with `text`, keeping owner and mode; on failure the file is left as it was. */
export function replaceFile(path: string, text: string): void {
  const real = realpathSync(path);
  try {
    replaceReal(real, text);
  } catch (err) {
    // Told as the file the user knows, not the temporary one beside it (removed already).
    throw fileAccessError(err, real, 'write');
  }
}

function replaceReal(real: string, text: string): void {
  const st = statSync(real);
  const mode = st.mode & 0o7777;
  const uid = process.getuid?.() ?? st.uid;
  const gid = process.getgid?.() ?? st.gid;
  const root = uid === 0;
  if (!root && st.uid !== uid) {
    rewriteInPlace(real, text);
    return;
  }
  const temp = join(dirname(real), `.${basename(real)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  writeAndRename(fd, temp, real, text, (f) => {
    if (st.uid !== uid || st.gid !== gid) {
      try {
        fchownSync(f, st.uid, st.gid);
      } catch (err) {
        // Not root: another group than ours may be refused; the owner is ours either way.
        if (root) throw err;
      }
    }
    fchmodSync(f, mode);
    fsyncSync(f);
  });
}

/**
 * Rewrites `real` in place (its owner is not us, so a rename would not keep it): the new text
 * over the old, then cut to its length. When a write fails part way (the disk filled up), the
 * old text is written back over the blocks it had, which takes no new room, and the error is
 * thrown.
 */
function rewriteInPlace(real: string, text: string): void {
  const old = readFileSync(real);
  const fd = openSync(real, 'r+');
  try {
    try {
      writeAll(fd, text);
      ftruncateSync(fd, Buffer.byteLength(text));
      fsyncSync(fd);
    } catch (err) {
      try {
        // From the start of the file: position = offset in `old`.
        writeAll(fd, old, (f, b, o, l) => writeSync(f, b, o, l, o));
        ftruncateSync(fd, old.length);
      } catch {
        // Put back what could be; the first error is the one to tell.
      }
      throw err;
    }
  } finally {
    closeSync(fd);
  }
}
