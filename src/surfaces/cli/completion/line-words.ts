/**
 * @module surfaces/cli/completion/line-words
 * Reading the words of the command line before the one under the cursor: bash's `--x`,
 * `=`, `v` joined back into `--x=v`, and the global options taken out, so the rest names a
 * command and its arguments: `--context`, `--all-contexts` and the colour switches, which
 * the CLI takes out anywhere before `--`, and `--json`, `--yes`, `-y` (with their `--no-`
 * and `=value` forms), which it moves after the command's words (`leading-switches`).
 */
import { isGlobalSwitch } from '../leading-switches.js';

/** Joins bash's `--x`, `=`, `v` back into `--x=v`. */
export function joinEquals(list: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const w = list[i] as string;
    const last = out.at(-1);
    if (w === '=' && last?.startsWith('--') && !last.includes('=')) {
      out[out.length - 1] = `${last}=${list[i + 1] ?? ''}`;
      i++;
    } else out.push(w);
  }
  return out;
}

/**
 * Takes the global options out of the words (before any `--`): `--context X`, `--context=X`,
 * `--all-contexts`, the colour switches, and the global switches (`--json`, `--yes`, `-y`),
 * which are returned as `switches` (given already: not offered again).
 */
export function globalOptions(list: readonly string[]): { rest: string[]; context?: string; allContexts: boolean; switches: string[] } {
  const rest: string[] = [];
  const switches: string[] = [];
  let context: string | undefined;
  let allContexts = false;
  let ended = false;
  for (let i = 0; i < list.length; i++) {
    const w = list[i] as string;
    if (ended) { rest.push(w); continue; }
    if (w === '--') ended = true;
    if (w === '--context' && i + 1 < list.length) { context = list[++i]; continue; }
    if (w.startsWith('--context=')) { context = w.slice('--context='.length); continue; }
    if (w === '--all-contexts') { allContexts = true; continue; }
    if (w === '--no-color' || w === '--color' || w.startsWith('--color=')) continue;
    if (isGlobalSwitch(w)) { switches.push(w); continue; }
    rest.push(w);
  }
  return { rest, ...(context ? { context } : {}), allContexts, switches };
}
