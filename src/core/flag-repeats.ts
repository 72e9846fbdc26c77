/**
 * @module core/flag-repeats
 * What an option given more than once means (README "Arguments"), in one place for the
 * words parser (`core/split-words`) and the input it builds (`core/args`):
 * - a list option (a `z.array` field, or a `core/comma-list` one such as `--domains`) adds
 *   up its repeats, each one a comma list (`--domains a,b --domains c` is a, b, c), and so do
 *   a positional's words and the option's (`a --domains b`);
 * - a repeat that says the same thing again is harmless and taken: `--ttl 60 --ttl 60`,
 *   `--no-wait --no-wait`, `--wait --wait=yes`, `--no-wait --wait=false` (a switch compares
 *   what its words mean);
 * - a switch given with both meanings (`--x --no-x`, `--x=true --x=false`, `--no-x --x=1`) is
 *   a contradiction, refused naming the two words as typed; any other option given twice with different values is refused
 *   (`--ttl is given twice with different values: give it once`), as is a positional given
 *   again as its option with another value;
 * - the global switches (`--json`, `--yes`, `--help`, `--color`): the last wins, so that a later
 *   word can turn off what an alias or a script put first.
 * Every refusal is a UsageError (exit 2).
 */
import { UsageError } from './errors.js';
import { convert, type FieldInfo } from './input-fields.js';
import { shownName, switchValue, switchWord } from './words.js';

/** Flags the surfaces handle themselves; never part of an operation's input. All are switches. */
export const GLOBAL_FLAGS = new Set(['json', 'yes', 'help', 'color']);

/** Parsed words: positionals and `--flag[=value]` pairs. */
export interface ParsedWords {
  positionals: string[];
  /**
   * Flags by name (a repeat said the same, or the last of a list option's values). A global
   * switch is normalised: `--json`, `--json=true` → `json`; `--no-json`, `--json=false` →
   * `no-json` (and `json` absent).
   */
  flags: Map<string, string | true>;
  /** Every value of each list option (`lists` of `splitWords`), in the order given. */
  lists: Map<string, string[]>;
}

/** How `splitWords` reads flags; every predicate gets the kebab-case name without `--`. */
export interface SplitOptions {
  /** Flags that take a value: `--flag value` consumes the next word. None by default. */
  takesValue?: (name: string) => boolean;
  /** Flags that may be repeated, their values adding up (list options). None by default. */
  lists?: (name: string) => boolean;
  /**
   * Flags the caller knows. A repeat of any other is not judged here: the caller refuses the
   * name itself, so a misspelt option is reported as unknown, not as repeated. All by default.
   */
  known?: (name: string) => boolean;
}

/** What a switch's `--x[=value]` says (`value` true: bare `--x`): on, off, or undefined for a word no switch takes. */
const said = (value: string | true): boolean | undefined => (value === true ? true : switchWord(value));

/** What a flag's value says, to compare a repeat with: a switch word's meaning, else the text. */
function meaning(value: string | true, switchLike: boolean): string {
  const on = switchLike ? said(value) : undefined;
  return on === undefined ? String(value) : String(on);
}

/** A switch as it was written: `--x`, `--no-x`, `--x=false` (the value is a switch word, so short and printable). */
const written = (name: string, value: string | true): string => `--${shownName(name)}${value === true ? '' : `=${value}`}`;

/** The refusal of a switch given both ways, naming the two words as typed: `--x=true and --x=false contradict each other`. */
const contradiction = (first: string, second: string): UsageError => new UsageError(`${first} and ${second} contradict each other: give one`);

/** Records `--name[=value]` in `parsed`, by the rules above. */
export function setFlag(parsed: ParsedWords, name: string, value: string | true, options: SplitOptions): void {
  const { flags } = parsed;
  const negated = name.startsWith('no-');
  const base = negated ? name.slice(3) : name;
  if (negated && value !== true) throw new UsageError(`--${shownName(name)} takes no value`);
  if (GLOBAL_FLAGS.has(base)) {
    const on = negated ? false : value === true || switchValue(base, value);
    flags.delete(on ? `no-${base}` : base);
    flags.set(on ? base : `no-${base}`, true);
    return;
  }
  // An operation's switch written both ways (`--no-x`, `--x=…`): the same meaning is a repeat, another a contradiction.
  // An option that takes a value has no `--no-` form: `--ttl 0 --no-ttl` leaves `--no-ttl` to be refused as unknown.
  const other = options.takesValue?.(base) ? undefined : flags.get(negated ? base : `no-${base}`);
  if (other !== undefined) {
    const now = negated ? false : said(value);
    const before = negated ? said(other) : false;
    // A word no switch takes is refused as such (`--x=maybe`), before comparing meanings.
    if (now === undefined) switchValue(base, String(value));
    if (before === undefined) switchValue(base, String(other));
    if (now !== before) throw contradiction(written(negated ? base : `no-${base}`, other), written(name, value));
    return;
  }
  if (options.lists?.(name) && value !== true) {
    parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value]);
    flags.set(name, value);
    return;
  }
  const before = flags.get(name);
  if (before !== undefined && (options.known?.(name) ?? true)) {
    const switchLike = !options.takesValue?.(name);
    if (meaning(before, switchLike) !== meaning(value, switchLike)) {
      // Both written as switch words: a contradiction, as `--x --no-x` is; otherwise two values where one is taken.
      if (switchLike && said(before) !== undefined && said(value) !== undefined) throw contradiction(written(name, before), written(name, value));
      throw new UsageError(`--${shownName(name)} is given twice with different values: give it once`);
    }
    return;
  }
  flags.set(name, value);
}

/**
 * Puts the value of `--name` (`field`'s flag; `values`: every value of a list option) into
 * `input`, where a positional word may have put it already: a list adds up, anything else
 * given twice must say the same.
 */
export function mergeFlag(input: Record<string, unknown>, field: FieldInfo, name: string, value: string, values: readonly string[] | undefined): void {
  if (field.kind === 'array') {
    // Repeats add up, and so do the positional's words and the flag's (`a --domains b`).
    const given = (values ?? [value]).flatMap((v) => v.split(','));
    input[field.key] = [...((input[field.key] as string[] | undefined) ?? []), ...given];
  } else if (field.list) {
    // A comma list in one string: the repeats (and a positional's word) joined, for the schema to split.
    const given = values ?? [value];
    input[field.key] = [...(input[field.key] === undefined ? [] : [input[field.key] as string]), ...given].join(',');
  } else if (input[field.key] !== undefined && input[field.key] !== convert(field, value)) {
    throw new UsageError(`${field.key} is given twice with different values, as an argument and as --${field.flag}: give it once`);
  } else input[field.key] = convert(field, value);
}
