/**
 * @module surfaces/cli/completion/command-flags
 * Completing the options of a command that is not an operation (`serve --allow`): the
 * choices after an option that takes them, and the options not given yet.
 */
import { matching, paths, words } from './candidates.js';
import type { CommandFlag } from '../../shared/command-options.js';
import type { CompletableCommand, CompletionAnswer, CompletionModel } from './model.js';

/** The name a given option counts as (`--no-json`, `--json=false` → json; `-y` → yes). */
function givenName(word: string): string | undefined {
  if (word === '-y') return 'yes';
  return word.startsWith('--') ? word.slice(2).split('=')[0]?.replace(/^no-/, '') : undefined;
}

/**
 * A command's options: the choices after one that takes them (`serve --allow ` → change,
 * danger; also `--allow=`), file or directory names after one that takes a path
 * (`lab --dir `, `lab --dir=`), nothing after one that takes another free value, and its options not
 * given yet where an option is being typed (after a word with options of its own, such as
 * `serve passwd`, those). `labGiven`: `--context` or `--all-contexts` was given (neither
 * is offered again, nor the command's own `--all-contexts`); a command that runs in no lab
 * is offered no `--context`. `given`: global switches given before (`homelab --json lab`).
 * Undefined: the command's words decide.
 */
export function completeCommandFlags(model: CompletionModel, command: CompletableCommand, after: readonly string[], cur: string, labGiven: boolean, given: readonly string[] = []): CompletionAnswer | undefined {
  const own = after[0] === undefined ? undefined : command.wordFlags?.[after[0]];
  const flags = own ?? command.flags ?? [];
  const rest = own ? after.slice(1) : after;
  const named = (word: string | undefined): CommandFlag | undefined => (word?.startsWith('--') ? flags.find((f) => f.flag === word.slice(2)) : undefined);
  const previous = named(rest.at(-1));
  if (previous?.choices) return words(matching(previous.choices.map((value) => ({ value, description: previous.description })), cur));
  if (previous?.path) return paths(previous.path);
  if (previous?.value) return words([]);
  const eq = cur.indexOf('=');
  const withValue = eq > 2 ? named(cur.slice(0, eq)) : undefined;
  if (withValue?.choices) return words(matching(withValue.choices.map((value) => ({ value: `${cur.slice(0, eq + 1)}${value}` })), cur));
  if (withValue?.path) return { ...paths(withValue.path), prefix: cur.slice(0, eq + 1) };
  if (!cur.startsWith('-')) return undefined;
  const used = new Set([...given, ...rest].map(givenName));
  if (labGiven) used.add('all-contexts');
  return words(matching([
    ...flags.filter((f) => !used.has(f.flag)).map((f) => ({ value: `--${f.flag}`, description: f.description })),
    ...(model.contexts.length && !labGiven && !command.ignoresLab && !used.has('all-contexts') ? [{ value: '--context', description: 'run in this context (lab)' }] : []),
    { value: '--help', description: `show ${command.name}'s help` },
  ], cur));
}
