/**
 * @module core/words
 * The rules for single words of a command line (a CLI argv, a Telegram command), shared
 * by the argument parser and the surfaces:
 * - a number is plain decimal: `105`, `-5`, `1.5`; never hex (`0x65`), an exponent
 *   (`1e2`), surrounding space (`" 100"`), a leading `+` or a bare `.5`;
 * - a switch given a value takes true/false, yes/no or 1/0 (`--json=false` is `--no-json`);
 * - a word that looks like an option (`-x`, `--x`, `--`) is never taken as a flag's value;
 * - a word quoted in an error message is cut short and shows no control character.
 */
import { UsageError } from './errors.js';
import { redact } from './redact.js';

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * The number a word spells in plain decimal (`integer`: digits only), or undefined
 * when it is anything else, so that the schema refuses the word with its own message.
 */
export function decimalFromWord(word: string, integer = false): number | undefined {
  return (integer ? INTEGER : DECIMAL).test(word) ? Number(word) : undefined;
}

/** Whether a word is read as an option: it starts with `-` and is not `-` nor a negative number. */
export function isOptionLike(word: string): boolean {
  return word.startsWith('-') && word !== '-' && !/^-\d/.test(word);
}

/**
 * The value of `--name=value` for a switch: true for true/yes/1, false for false/no/0
 * (any case); anything else is a usage error.
 */
export function switchValue(name: string, value: string): boolean {
  const meaning = switchWord(value);
  if (meaning !== undefined) return meaning;
  throw new UsageError(`--${shownName(name)} is a switch: write --${shownName(name)} or --no-${shownName(name)} (or =true, =false)`);
}

/** What a switch word says: true for true/yes/1, false for false/no/0 (any case), undefined for any other word. */
export function switchWord(value: string): boolean | undefined {
  return /^(?:true|yes|1)$/i.test(value) ? true : /^(?:false|no|0)$/i.test(value) ? false : undefined;
}

const MAX_SHOWN = 40;

/**
 * A word as an error message shows it: registered secrets redacted, in double quotes, cut
 * to 40 characters, with control, format and line-separator characters escaped, so the
 * message stays one short line whatever the user typed. For prose only: double quotes leave
 * `$(…)`, backticks and `$VAR` live in a shell, and a cut word is another word, so a command
 * line for a person or a shell to run writes its words with `shellWord` (core/shell-word).
 */
export function shownWord(word: string): string {
  // Redacted before it is cut: a registered secret cut short would no longer be found.
  const chars = Array.from(redact(word));
  const cut = chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN).join('')}…` : chars.join('');
  return JSON.stringify(cut).replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/**
 * A name (a flag, a command word) as an error message shows it: as it is when short and
 * printable without spaces or quotes (`ttl`, `frob`), else as `shownWord` does.
 */
export function shownName(name: string): string {
  return /^[^\p{C}\p{Z}\s"'\u2018\u2019\u201c\u201d]{1,40}$/u.test(name) ? name : shownWord(name);
}
