/**
 * @module surfaces/cli/completion/candidates
 * Narrowing the candidates to the word under the cursor, and wrapping them as an answer:
 * the small helpers every completion rule ends with.
 */
import type { CompletionValue, PathKind } from '../../../core/completion.js';
import type { CompletionAnswer } from './model.js';

/** An answer offering these words. */
export const words = (candidates: CompletionValue[]): CompletionAnswer => ({ mode: 'words', candidates });

/** An answer leaving the word to the shell: a file name, or a directory name. */
export const paths = (kind: PathKind): CompletionAnswer => ({ mode: kind === 'dir' ? 'dirs' : 'files', candidates: [] });

/** Keeps the candidates that start with `cur`; dynamic values may match by description instead. */
export function matching(candidates: readonly CompletionValue[], cur: string, byDescription = false): CompletionValue[] {
  const direct = candidates.filter((c) => c.value.startsWith(cur));
  if (direct.length || !byDescription || !cur) return direct;
  const lower = cur.toLowerCase();
  return candidates.filter((c) => c.description?.toLowerCase().startsWith(lower));
}
