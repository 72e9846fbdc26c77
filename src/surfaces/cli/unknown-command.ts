/**
 * @module surfaces/cli/unknown-command
 * The usage error for words that name no operation, from the command index: a group
 * given without its sub-verb (`kuma add`) or with one it lacks (`kuma add smtp`) says
 * which sub-verbs it takes (`kuma add http|ping|port|keyword|push`); an unknown verb of a
 * service points at the service's help; anything else at the overview. A typo close to a
 * known word is named (`unknown command: pev (did you mean pve?)`). An option given where
 * the command belongs (`homelab --json`, `homelab --jsn pve list`, `homelab pve --jsn`) is
 * called an option, not a command, and a typo of a global option names the one meant
 * (`unknown option --contxt (did you mean --context?)`). Exit 2 always.
 */
import { closestWord } from '../../core/closest-word.js';
import { UsageError } from '../../core/errors.js';
import { optionMeant } from '../../core/unknown-option.js';
import { shownName } from '../../core/words.js';
import type { CommandIndex } from './command-index.js';

/** ` (did you mean <before> x?)` when `word` is a typo of one of `known`, else empty. */
function meant(word: string, known: Iterable<string>, before = ''): string {
  const close = closestWord(word, known);
  return close ? ` (did you mean ${before ? `${before} ` : ''}${close}?)` : '';
}

/** The global options (`homelab --help` lists them), without dashes: what a typo of one before or in place of a command meant. */
const GLOBAL_OPTIONS = ['json', 'yes', 'context', 'all-contexts', 'no-color', 'color', 'help', 'version'] as const;

/** ` (did you mean --json?)` when `word` (an option as typed) is a typo of a global option, else empty; `shown`: the option to show in an example (the one meant, else as typed). */
function globalMeant(word: string): { note: string; shown: string } {
  const typed = word.replace(/^--?/, '').split('=')[0] ?? '';
  const close = (GLOBAL_OPTIONS as readonly string[]).includes(typed) ? undefined : optionMeant(word, GLOBAL_OPTIONS);
  return close ? { note: ` (did you mean ${close}?)`, shown: close } : { note: '', shown: shownName(word) };
}

/**
 * Why `words` run nothing; `lead` starts the hint (`run` on the command line, `see` in a
 * batch); `commands`: first words that are no operation but run (`lab`, `serve`), offered for a typo.
 */
export function unknownCommand(index: CommandIndex, words: readonly string[], lead: 'run' | 'see' = 'run', commands: readonly string[] = []): UsageError {
  const first = words[0] ?? '';
  if (first.startsWith('-') && first.length > 1) {
    // An option where the command belongs: alone it lacks a command; before one, no leading switch has its name.
    const { note, shown } = globalMeant(first);
    return words.length === 1
      ? new UsageError(`${shownName(first)} is an option, not a command${note}: give the command first (homelab <service> <verb> ${shown})`, `${lead}: homelab --help`)
      : new UsageError(`unknown option ${shownName(first)}${note}`, `${lead}: homelab --help`);
  }
  const group = index.group(words);
  if (!group) {
    const firstWords = new Set([...index.all().map((op) => op.id.split('.')[0] as string), ...index.data.services.flatMap((s) => [s.name, ...(s.aliases ?? [])]), ...commands].filter(Boolean));
    return new UsageError(`unknown command: ${shownName(first)}${meant(first, firstWords)}`, `${lead}: homelab --help`);
  }
  const [top = first] = group.path;
  const next = words[group.path.length];
  const typo = next === undefined || next.startsWith('-') ? '' : meant(next, group.verbs, group.path.join(' '));
  if (group.path.length === 1 && next !== undefined && next.startsWith('-') && next.length > 1) {
    // An option where the service's verb belongs (`pve --jsn`, `pve --wait start 101`): options follow the verb.
    const { note, shown } = globalMeant(next);
    return new UsageError(`${shownName(next)} is an option, not a ${top} command${note}: give the command first (homelab ${top} <command> ${shown})`, `${lead}: homelab ${top} --help`);
  }
  if (group.path.length === 1) {
    return new UsageError(`unknown command: ${[first, next].filter((w) => w !== undefined).map(shownName).join(' ')}${typo}`, `${lead}: homelab ${top} --help`);
  }
  const at = group.path.join(' ');
  const usage = `usage: homelab ${at} ${group.verbs.join('|')} …`;
  const message = next === undefined || next.startsWith('-') ? `${at} needs one of: ${group.verbs.join(', ')}` : `unknown command: ${at} ${shownName(next)}${typo}`;
  return new UsageError(message, `${usage} (${lead}: homelab ${top} --help)`);
}
