/**
 * @module surfaces/cli/unknown-command
 * The usage error for words that name no operation, from the command index: a group
 * given without its sub-verb (`kuma add`) or with one it lacks (`kuma add smtp`) says
 * which sub-verbs it takes (`kuma add http|ping|port|keyword|push`); an unknown verb of a
 * service points at the service's help; anything else at the overview. Exit 2 always.
 */
import { UsageError } from '../../core/errors.js';
import { shownName } from '../../core/words.js';
import type { CommandIndex } from './command-index.js';

/** Why `words` run nothing; `lead` starts the hint (`run` on the command line, `see` in a batch). */
export function unknownCommand(index: CommandIndex, words: readonly string[], lead: 'run' | 'see' = 'run'): UsageError {
  const first = words[0] ?? '';
  const group = index.group(words);
  if (!group) return new UsageError(`unknown command: ${shownName(first)}`, `${lead}: homelab --help`);
  const [top = first] = group.path;
  const next = words[group.path.length];
  if (group.path.length === 1) {
    return new UsageError(`unknown command: ${[first, next].filter((w) => w !== undefined).map(shownName).join(' ')}`, `${lead}: homelab ${top} --help`);
  }
  const at = group.path.join(' ');
  const usage = `usage: homelab ${at} ${group.verbs.join('|')} …`;
  const message = next === undefined || next.startsWith('-') ? `${at} needs one of: ${group.verbs.join(', ')}` : `unknown command: ${at} ${shownName(next)}`;
  return new UsageError(message, `${usage} (${lead}: homelab ${top} --help)`);
}
