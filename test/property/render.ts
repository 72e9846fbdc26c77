/**
 * @module test/property/render
 * Renders an operation's raw input back into what a user types, in every form the
 * parser promises to read the same way: positionals in order (or as flags), `--flag
 * value` or `--flag=value`, a list option's values in one or several repeats, switches as
 * `--x`/`--no-x`/`--x=false`, option-like values
 * after `--` or as `--flag=--x`, global switches in any position; and, for the bot, the
 * words quoted with any of the quote pairs it reads.
 */
import fc from 'fast-check';
import { fieldsOf, type FieldInfo } from '../../src/core/args.js';
import type { AnyOperation } from '../../src/core/operation.js';
import { isOptionLike } from '../../src/core/words.js';

/** Words after the operation's id words, and whether they ask for JSON in the end. */
export interface Rendered {
  words: string[];
  json: boolean;
}

const TRUE_WORDS = ['true', 'TRUE', 'yes', '1'];
const FALSE_WORDS = ['false', 'No', 'no', '0'];

/** One field given as a flag: the word or words it takes. */
function flagWords(field: FieldInfo, value: unknown): fc.Arbitrary<string[]> {
  const flag = `--${field.flag}`;
  if (field.kind === 'boolean') {
    return value === true
      ? fc.constantFrom(flag, ...TRUE_WORDS.map((w) => `${flag}=${w}`)).map((w) => [w])
      : fc.constantFrom(`--no-${field.flag}`, ...FALSE_WORDS.map((w) => `${flag}=${w}`)).map((w) => [w]);
  }
  const word = Array.isArray(value) ? value.map(String).join(',') : String(value);
  const once: fc.Arbitrary<string[]> = isOptionLike(word) ? fc.constant([`${flag}=${word}`]) : fc.constantFrom<string[]>([`${flag}=${word}`], [flag, word]);
  if ((field.kind !== 'array' && !field.list) || !word.includes(',')) return once;
  // A list option may be repeated, its values adding up: `--domains a --domains b,c` is `--domains a,b,c`.
  const parts = word.split(',');
  const repeated = fc.array(fc.boolean(), { minLength: parts.length - 1, maxLength: parts.length - 1 }).map((cuts) => {
    const groups: string[] = [parts[0] as string];
    cuts.forEach((cut, i) => { if (cut) groups.push(parts[i + 1] as string); else groups[groups.length - 1] += `,${parts[i + 1] as string}`; });
    return groups.map((g) => `${flag}=${g}`);
  });
  return fc.oneof(once, repeated);
}

/** The words of a positional value: one word, or for the variadic last one, its space-separated parts. */
function positionalWords(value: unknown, variadicLast: boolean): fc.Arbitrary<string[]> {
  const word = String(value);
  return variadicLast && word.includes(' ') ? fc.constantFrom([word], word.split(' ')) : fc.constant([word]);
}

/** Random ways to write `input` (valid raw input of `op`) as words after the operation's name. */
export function wordsArbitrary(op: AnyOperation, input: Record<string, unknown>): fc.Arbitrary<Rendered> {
  const fields = fieldsOf(op).filter((f) => input[f.key] !== undefined);
  const positional = fieldsOf(op).filter((f) => f.position !== undefined);
  // Positionals may be written as such only for a leading run with values: after a gap, flags.
  let run = 0;
  while (run < positional.length && input[(positional[run] as FieldInfo).key] !== undefined) run++;
  const lastPosition = positional.length - 1;
  return fc.record({
    asPositional: fc.integer({ min: 0, max: run }),
    parts: fc.tuple(...fields.map((f) => fc.tuple(flagWords(f, input[f.key]), positionalWords(input[f.key], Boolean(op.variadic) && f.position === lastPosition)))),
    globals: fc.array(fc.constantFrom('--json', '--json=true', '--json=false', '--no-json', '--json=0', '--color=no').map((w) => [w]), { maxLength: 3 }),
    separator: fc.boolean(),
    seed: fc.integer(),
  }).map(({ asPositional, parts, globals, separator, seed }) => {
    const positionals: string[] = [];
    const flagGroups: string[][] = [...globals];
    fields.forEach((f, i) => {
      const [asFlag, asWords] = parts[i] as [string[], string[]];
      if (f.position !== undefined && f.position < asPositional) positionals.push(...asWords);
      else flagGroups.push(asFlag);
    });
    shuffle(flagGroups, seed);
    // An option-like positional needs `--` before it; otherwise `--` is optional, and flags may sit between positionals.
    const needsSeparator = positionals.some(isOptionLike);
    let words: string[];
    if (needsSeparator || separator) words = [...flagGroups.flat(), ...(positionals.length ? ['--', ...positionals] : [])];
    else {
      const units = positionals.map((w) => [w]);
      for (const [i, group] of flagGroups.entries()) units.splice(Math.abs(seed + i * 7) % (units.length + 1), 0, group);
      words = units.flat();
    }
    const end = words.indexOf('--');
    const switches = (end < 0 ? words : words.slice(0, end)).filter((w) => /^--(?:no-)?json(?:=|$)/.test(w));
    const last = switches.at(-1);
    return { words, json: last === '--json' || last === '--json=true' };
  });
}

function shuffle<T>(items: T[], seed: number): void {
  let s = seed >>> 0;
  for (let i = items.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

const QUOTE_PAIRS: readonly (readonly [string, string])[] = [['"', '"'], ["'", "'"], ['\u201c', '\u201d'], ['\u2018', '\u2019']];

/**
 * A word as the bot reads it back: bare when it can be, else in a quote pair it does not
 * contain; undefined when it contains every closing quote (not expressible in one message).
 */
export function quoteForBot(word: string, pick: number): string | undefined {
  const mustQuote = word === '' || /\s/.test(word) || /^["'\u201c\u2018\u2014\u2013]/.test(word);
  const usable = QUOTE_PAIRS.filter(([, close]) => !word.includes(close));
  if (!mustQuote && (usable.length === 0 || pick % 3 !== 0)) return word;
  const pair = usable[pick % Math.max(1, usable.length)];
  return pair ? `${pair[0]}${word}${pair[1]}` : undefined;
}
