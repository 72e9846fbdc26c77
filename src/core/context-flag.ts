/**
 * @module core/context-flag
 * The `--context <name>` option the CLI and the bot read the same way: anywhere before
 * `--` (`homelab --context office pve list`, `homelab pve list --context=office`,
 * `/pve list --context office`), the last one winning. It is taken out of the words before
 * the command is parsed, so no operation sees it. `--all-contexts` (`status`) is taken the
 * same way.
 */
import { UsageError } from './errors.js';
import { isOptionLike } from './words.js';

/** Words without the context options, and what they said. */
export interface ContextWords {
  words: string[];
  /** The context named by `--context`, if any. */
  context?: string;
  /** Whether `--all-contexts` was given. */
  allContexts: boolean;
}

/** Takes `--context X`, `--context=X` and `--all-contexts` out of `argv` (before any `--`). */
export function takeContextFlags(argv: readonly string[]): ContextWords {
  const words: string[] = [];
  let context: string | undefined;
  let allContexts = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') { words.push(...argv.slice(i)); break; }
    if (word === '--all-contexts') { allContexts = true; continue; }
    if (word.startsWith('--context=')) { context = word.slice('--context='.length); }
    else if (word === '--context') {
      const next = argv[i + 1];
      if (next === undefined || isOptionLike(next)) throw new UsageError('--context needs a context name', 'see: homelab context list');
      context = next;
      i++;
    } else { words.push(word); continue; }
    if (!context) throw new UsageError('--context needs a context name', 'see: homelab context list');
  }
  return { words, ...(context ? { context } : {}), allContexts };
}
