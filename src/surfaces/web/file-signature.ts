/**
 * @module surfaces/web/file-signature
 * What tells a running dashboard that a file it follows (the password file, config.yaml)
 * changed: its identity and times, from one `stat`. Any write, replacement or chmod
 * changes it; a missing file is `''`.
 */
import { statSync } from 'node:fs';

/** The file's identity and times: any write, replacement or chmod changes it; '' when it is missing. */
export function fileSignature(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.mode}`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? '' : `error:${code ?? 'unknown'}`;
  }
}
