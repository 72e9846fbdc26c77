/**
 * @module surfaces/cli/unknown-command
 * The usage error for words that name no operation, from the command index: a group
 * given without its sub-verb (`kuma add`) or with one it lacks (`kuma add smtp`) says
 * which sub-verbs it takes (`kuma add http|ping|port|keyword|push`); an unknown verb of a
 * service points at the service's help; anything else at the overview. A typo close to a
 * known word is named (`unknown command: pev (did you mean pve?)`). An option given where
 * the command belongs (`homelab --json`, `homelab --jsn pve list`) is called an option,
 * not a command. Exit 2 always.
 */
import { closestWord } from '../../core/closest-word.js';
import { UsageError } from '../../core/errors.js';
import { shownName } from '../../core/words.js';
import type { CommandIndex } from './command-index.js';

/** ` (did you mean <before> x?)` when `word` is a typo of one of `known`, else empty. */
function meant(word: string, known: Iterable<string>, before = ''): string {
  const close = closestWord(word, known);
  return close ? ` (did you mean ${before ? `${before} ` : ''}${close}?)` : '';
}

/**
 * Why `words` run nothing; `lead` starts the hint (`run` on the command line, `see` in a
 * batch); `commands`: first words that are no operation but run (`lab`, `serve`), offered for a typo.
 */
export function unknownCommand(index: CommandIndex, words: readonly string[], lead: 'run' | 'see' = 'run', commands: readonly string[] = []): UsageError {
  const first = words[0] ?? '';
  if (first.startsWith('-') && first.length > 1) {
    // An option where the command belongs: alone it lacks a command; before one, no leading switch has its name.
    return words.length === 1
      ? new UsageError(`${shownName(first)} is an option, not a command: give the command first (homelab <service> <verb> ${shownName(first)})`, `${lead}: homelab --help`)
      : new UsageError(`unknown option ${shownName(first)}`, `${lead}: homelab --help`);
  }
  const group = index.group(words);
  if (!group) {
    const firstWords = new Set([...index.all().map((op) => op.id.split('.')[0] as string), ...index.data.services.flatMap((s) => [s.name, ...(s.aliases ?? [])]), ...commands].filter(Boolean));
    return new UsageError(`unknown command: ${shownName(first)}${meant(first, firstWords)}`, `${lead}: homelab --help`);
  }
  const [top = first] = group.path;
  const next = words[group.path.length];
  const typo = next === undefined || next.startsWith('-') ? '' : meant(next, group.verbs, group.path.join(' '));
  if (group.path.length === 1) {
    return new UsageError(`unknown command: ${[first, next].filter((w) => w !== undefined).map(shownName).join(' ')}${typo}`, `${lead}: homelab ${top} --help`);
  }
  const at = group.path.join(' ');
  const usage = `usage: homelab ${at} ${group.verbs.join('|')} …`;
  const message = next === undefined || next.startsWith('-') ? `${at} needs one of: ${group.verbs.join(', ')}` : `unknown command: ${at} ${shownName(next)}${typo}`;
  return new UsageError(message, `${usage} (${lead}: homelab ${top} --help)`);
}
