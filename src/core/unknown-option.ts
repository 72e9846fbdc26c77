/**
 * @module core/unknown-option
 * The refusal of an option a command does not take, in one wording for every command (an
 * operation, a daemon, the lab, a batch): `unknown option --jsn for pve list (did you mean
 * --json?)`, with a hint (`see: homelab pve list --help`). The option meant is the known one
 * a typo is close to (`core/closest-word`): `--jsn` → `--json`, `--no-wiat` → `--no-wait`
 * (when `no-wait` is known), `-jsn` → `--json`; a single letter after one dash (`-j`) names
 * the one known option that starts with it, when only one does. Exit 2, as every usage error.
 */
import { closestWord } from './closest-word.js';
import { UsageError } from './errors.js';
import { shownName } from './words.js';

/** The known option (`--json`) that `word` (`--jsn`, `-j`) was probably meant to be, if any; `known` are names without dashes. */
export function optionMeant(word: string, known: Iterable<string>): string | undefined {
  const name = word.replace(/^--?/, '').split('=')[0] ?? '';
  const names = [...known];
  if (/^-[^-]$/.test(word)) {
    const starting = names.filter((n) => n.startsWith(name.toLowerCase()) && !n.startsWith('no-'));
    return starting.length === 1 ? `--${starting[0] as string}` : undefined;
  }
  const close = name ? closestWord(name, names) : undefined;
  return close === undefined ? undefined : `--${close}`;
}

/**
 * The usage error for `word` (an option as typed: `--jsn`, `-j`), which `command` (`pve list`,
 * `serve`) does not take; `known`: the names it takes, without dashes; `hint`: where to look.
 */
export function unknownOption(word: string, command: string, known: Iterable<string>, hint: string): UsageError {
  const meant = optionMeant(word, known);
  const shown = word.startsWith('--') ? `--${shownName(word.slice(2))}` : shownName(word);
  return new UsageError(`unknown option ${shown} for ${command}${meant ? ` (did you mean ${meant}?)` : ''}`, hint);
}

/** `unknownOption` for one command: the refusal of any option word it does not take. */
export function optionRefusal(command: string, known: Iterable<string>, hint: string): (word: string) => UsageError {
  const names = [...known];
  return (word) => unknownOption(word, command, names, hint);
}
