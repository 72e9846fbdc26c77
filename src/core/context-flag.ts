/**
 * @module core/context-flag
 * The `--context <name>` option the CLI and the bot read the same way: anywhere before
 * `--` (`homelab --context office pve list`, `homelab pve list --context=office`,
 * `/pve list --context office`), once: a second one naming another lab is a usage error
 * (which lab a command runs in is never a guess); one repeating the same name is harmless. It is taken out of the words before the command is parsed, so
 * no operation sees it. `--all-contexts` (`status`) is taken the same way.
 */
import { UsageError } from './errors.js';
import { isOptionLike, shownWord } from './words.js';

/** The operations `--all-contexts` runs in every context at once (read-only overviews; `watch` has its own option). */
export const ALL_CONTEXTS_OPERATIONS: readonly string[] = ['status'];

/** Words without the context options, and what they said. */
export interface ContextWords {
  words: string[];
  /** The context named by `--context`, if any. */
  context?: string;
  /** Whether `--all-contexts` was given. */
  allContexts: boolean;
}

/** Takes `--context X`, `--context=X` and `--all-contexts` out of `argv` (before any `--`); a second `--context` naming another lab is refused. */
export function takeContextFlags(argv: readonly string[]): ContextWords {
  const words: string[] = [];
  let context: string | undefined;
  let allContexts = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') { words.push(...argv.slice(i)); break; }
    if (word === '--all-contexts') { allContexts = true; continue; }
    let named: string;
    if (word.startsWith('--context=')) { named = word.slice('--context='.length); }
    else if (word === '--context') {
      const next = argv[i + 1];
      if (next === undefined || isOptionLike(next)) throw new UsageError('--context needs a context name', 'see: homelab context list');
      named = next;
      i++;
    } else { words.push(word); continue; }
    if (!named) throw new UsageError('--context needs a context name', 'see: homelab context list');
    if (context !== undefined && named !== context) throw new UsageError(`--context given twice (${shownWord(context)}, ${shownWord(named)}): name one lab`, 'see: homelab context list');
    context = named;
  }
  return { words, ...(context ? { context } : {}), allContexts };
}
