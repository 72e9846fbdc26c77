/**
 * @module surfaces/cli/completion/command-flags
 * Completing the options of a command that is not an operation (`serve --allow`): the
 * choices after an option that takes them, and the options not given yet.
 */
import { matching, words } from './candidates.js';
import type { CommandFlag, CompletableCommand, CompletionAnswer, CompletionModel } from './model.js';

/**
 * A command's options: the choices after one that takes them (`serve --allow ` → change,
 * danger; also `--allow=`), nothing after one that takes a free value, and its options not
 * given yet where an option is being typed. Undefined: the command's words decide.
 */
export function completeCommandFlags(model: CompletionModel, command: CompletableCommand, rest: readonly string[], cur: string, contextGiven: boolean): CompletionAnswer | undefined {
  const flags = command.flags ?? [];
  const named = (word: string | undefined): CommandFlag | undefined => (word?.startsWith('--') ? flags.find((f) => f.flag === word.slice(2)) : undefined);
  const previous = named(rest.at(-1));
  if (previous?.choices) return words(matching(previous.choices.map((value) => ({ value, description: previous.description })), cur));
  if (previous?.value) return words([]);
  const eq = cur.indexOf('=');
  const withValue = eq > 2 ? named(cur.slice(0, eq)) : undefined;
  if (withValue?.choices) return words(matching(withValue.choices.map((value) => ({ value: `${cur.slice(0, eq + 1)}${value}` })), cur));
  if (!cur.startsWith('-')) return undefined;
  const used = new Set(rest.filter((w) => w.startsWith('--')).map((w) => w.slice(2).split('=')[0]));
  return words(matching([
    ...flags.filter((f) => !used.has(f.flag)).map((f) => ({ value: `--${f.flag}`, description: f.description })),
    ...(model.contexts.length && !contextGiven ? [{ value: '--context', description: 'run in this context (lab)' }] : []),
    { value: '--help', description: `show ${command.name}'s help` },
  ], cur));
}
