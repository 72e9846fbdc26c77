/**
 * @module surfaces/cli/completion/line-words
 * Reading the words of the command line before the one under the cursor: bash's `--x`,
 * `=`, `v` joined back into `--x=v`, and the global options (`--context`, `--all-contexts`,
 * the colour switches) taken out, so the rest names a command and its arguments.
 */

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

/** Takes `--context X`, `--context=X`, `--all-contexts` and the colour switches out of the words (before any `--`). */
export function globalOptions(list: readonly string[]): { rest: string[]; context?: string; allContexts: boolean } {
  const rest: string[] = [];
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
    rest.push(w);
  }
  return { rest, ...(context ? { context } : {}), allContexts };
}
