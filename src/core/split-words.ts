/**
 * @module core/split-words
 * Splits command-line words (a CLI argv, a Telegram command, a daemon's flags) into
 * positionals and `--flag[=value]` pairs: `--flag value` and `--flag=value` are the same,
 * but `--flag value` never takes a word that looks like an option (`--comment --ttl 60` is
 * refused: write `--comment=--ttl`); `-y` is `--yes`, `-h` is `--help`; any other one-dash
 * option is refused as the command words it (`unknown option -j for pve list (did you mean
 * --json?)`, `core/unknown-option`); `--` ends the options. A flag given again is judged by
 * `core/flag-repeats`.
 */
import { UsageError } from './errors.js';
import { setFlag, type ParsedWords, type SplitOptions } from './flag-repeats.js';
import { isOptionLike, shownName, shownWord } from './words.js';

/** How `splitWords` reads words: `SplitOptions`, and how it refuses a one-dash option it does not know. */
export interface WordsOptions extends SplitOptions {
  /**
   * The refusal of a one-dash option other than `-y` and `-h` (`-j`), given the word: the
   * command's (`core/unknown-option`). Without it: `unknown option "-j"`.
   */
  unknownOption?: (word: string) => UsageError;
}

/** Whether the words ask for help: `--help` or `-h` before any `--`. */
export function asksForHelp(words: readonly string[]): boolean {
  const end = words.indexOf('--');
  return (end < 0 ? words : words.slice(0, end)).some((w) => w === '--help' || w === '-h');
}

/**
 * Splits words into positionals and flags. `--` ends flags; `-y` is `--yes`, `-h` is
 * `--help`; a word like `-5` is a positional. A flag that `takesValue` consumes the
 * next word when written `--flag value`, unless that word looks like an option (then
 * the value must be written `--flag=--x`). A repeated flag: see `core/flag-repeats`.
 * (`takesValue` alone may be given as a function, as before.) Any other one-dash option is
 * refused by `unknownOption`.
 */
export function splitWords(words: readonly string[], how: WordsOptions | ((name: string) => boolean) = {}): ParsedWords {
  const options: WordsOptions = typeof how === 'function' ? { takesValue: how } : how;
  const takesValue = options.takesValue ?? (() => false);
  const parsed: ParsedWords = { positionals: [], flags: new Map(), lists: new Map() };
  let onlyPositional = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (onlyPositional || !isOptionLike(word)) { parsed.positionals.push(word); continue; }
    if (word === '--') { onlyPositional = true; continue; }
    if (word === '-y') { setFlag(parsed, 'yes', true, options); continue; }
    if (word === '-h') { setFlag(parsed, 'help', true, options); continue; }
    if (!word.startsWith('--')) throw options.unknownOption?.(word) ?? new UsageError(`unknown option ${shownWord(word)}`);
    const eq = word.indexOf('=');
    if (eq > 2) { setFlag(parsed, word.slice(2, eq), word.slice(eq + 1), options); continue; }
    const name = word.slice(2);
    if (!takesValue(name)) { setFlag(parsed, name, true, options); continue; }
    const next = words[i + 1];
    if (next === undefined || isOptionLike(next)) {
      throw new UsageError(`--${shownName(name)} needs a value`, `a value that starts with - is written --${shownName(name)}=-…`);
    }
    setFlag(parsed, name, next, options);
    i++;
  }
  return parsed;
}
