/**
 * @module surfaces/cli/lab-dir
 * `homelab lab --dir DIR` writes the lab's config home into DIR (`config/homelab/config.yaml`,
 * `config/<service>/credentials`) and keeps its data home there. Those files would replace a
 * user's own, so DIR must be new, empty, or one the lab wrote before: the lab marks DIR with
 * a file of its own (`LAB_DIR_MARKER`) and recognises it on the next run. Anything else is
 * refused before a simulator starts. So is DIR while another lab runs there (its lock,
 * `lab-dir-lock.ts`): two labs would write one config.yaml, each with its own ports.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { lockLabDir } from './lab-dir-lock.js';

/** The file that marks a directory as a lab's own. */
export const LAB_DIR_MARKER = '.homelab-lab';

/** The marker file's first line: what it is. */
const MARK = '# written by `homelab lab --dir`: this directory holds a simulated lab\'s config and data';

const HINT = 'name a new or empty directory, or leave out --dir for a temporary one';

/** Whether `dir` holds the marker an earlier `homelab lab` wrote. */
function marked(dir: string): boolean {
  try {
    return readFileSync(join(dir, LAB_DIR_MARKER), 'utf8').split('\n')[0] === MARK;
  } catch {
    return false;
  }
}

/**
 * Makes `dir` the lab's: creates it when new, marks it, locks it for this process; refuses
 * (exit 2) one that holds files without the lab's marker, that is not a directory, or where
 * another lab still runs, naming it. Returns the function that unlocks it when the lab stops.
 */
export function claimLabDir(dir: string): () => void {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new UsageError(`--dir ${dir} is not a directory`, HINT);
    if (code !== 'ENOENT') throw new UsageError(`--dir ${dir} cannot be read (${code ?? String(err)})`, HINT);
  }
  if (entries.length && !marked(dir)) {
    const shown = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new UsageError(`--dir ${dir} holds files an earlier homelab lab did not write (${shown}); the lab would overwrite its config.yaml and credentials there`, HINT);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, LAB_DIR_MARKER), `${MARK}\n`);
  } catch (err) {
    throw new UsageError(`--dir ${dir} cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)})`, HINT);
  }
  return lockLabDir(dir);
}
