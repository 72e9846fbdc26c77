/**
 * @module surfaces/cli/file-inputs
 * The CLI side of `Operation.cliFiles`: a flag such as `--ssh-key ~/.ssh/id_ed25519.pub`
 * names a file, and the operation gets the file's text. Only regular files up to 64 KiB
 * are read (a key file, not a disk image); a file that cannot be read is a usage error
 * naming the flag and the path, never quoting the contents. Other surfaces never read files.
 */
import { readFileSync, statSync } from 'node:fs';
import { kebab } from '../../core/args.js';
import { UsageError } from '../../core/errors.js';
import type { AnyOperation } from '../../core/operation.js';
import { expandHome } from '../../core/paths.js';

/** Largest file a file-valued flag reads. */
export const MAX_FILE_INPUT_BYTES = 64 * 1024;

/** The raw input with every `cliFiles` value (a path) replaced by the file's text. */
export function readFileInputs(op: AnyOperation, raw: Record<string, unknown>): Record<string, unknown> {
  if (!op.cliFiles?.length) return raw;
  const out = { ...raw };
  for (const key of op.cliFiles) {
    const path = out[key];
    if (typeof path !== 'string') continue;
    const flag = `--${kebab(key)}`;
    const file = expandHome(path);
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new UsageError(`${flag}: ${path} is not a regular file`);
      size = st.size;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (size > MAX_FILE_INPUT_BYTES) throw new UsageError(`${flag}: ${path} is larger than ${MAX_FILE_INPUT_BYTES / 1024} KiB`);
    try {
      out[key] = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return out;
}
