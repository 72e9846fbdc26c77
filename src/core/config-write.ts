/**
 * @module core/config-write
 * Replaces a file the user owns the layout of (config.yaml) without changing what it is:
 * a symlink (a dotfiles repository) is followed and its target rewritten, the link kept;
 * the file keeps its owner, group and mode. The new text is written aside in the target's
 * directory and renamed over it, so a reader never sees half a file; when the owner cannot
 * be kept that way (not root, someone else's file), the file is rewritten in place.
 */
import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Replaces the contents of `path` (through symlinks) with `text`, keeping owner and mode. */
export function replaceFile(path: string, text: string): void {
  const real = realpathSync(path);
  const st = statSync(real);
  const mode = st.mode & 0o7777;
  const uid = process.getuid?.() ?? st.uid;
  const gid = process.getgid?.() ?? st.gid;
  const root = uid === 0;
  if (!root && st.uid !== uid) {
    writeFileSync(real, text);
    return;
  }
  const temp = join(dirname(real), `.${basename(real)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    if (st.uid !== uid || st.gid !== gid) {
      try {
        fchownSync(fd, st.uid, st.gid);
      } catch (err) {
        // Not root: another group than ours may be refused; the owner is ours either way.
        if (root) throw err;
      }
    }
    fchmodSync(fd, mode);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, real);
  } catch (err) {
    try { closeSync(fd); } catch { /* closed already */ }
    rmSync(temp, { force: true });
    throw err;
  }
}
