/**
 * @module core/issue-words
 * How homelab words a zod issue that carries zod's own default message: `name must be at
 * most 150 characters`, `--minutes must be at most 60`, `--status must be one of running,
 * stopped`, never zod's `Too big: expected string to have <=150 characters`. An issue is
 * zod's default when its message is the one zod's English locale gives for that issue
 * (recomputed from the issue's own fields), so a schema's own message is kept as it is;
 * when it starts by naming its key (`limit must be an integer from 1 to 1000`), a surface
 * says that name as it spells the key (`--limit must be …` on the CLI: `keyNamedAt`), and so
 * every other key it names in braces (`{certWarnDays}`: `keysNamed`).
 */
import { z } from 'zod';
import { kebab } from './input-fields.js';

type Issue = z.core.$ZodIssue;

const defaultMessage = z.locales.en().localeError as (issue: unknown) => string | { message: string } | undefined;

/** What zod's English locale says for `issue`; `received` stands in for the input, which a finished issue no longer holds. */
function zodWords(issue: Issue, received?: string): string | undefined {
  let said: ReturnType<typeof defaultMessage>;
  try {
    said = defaultMessage(received === undefined ? issue : { ...issue, input: undefined });
  } catch {
    return undefined; // an issue shape the locale cannot word (a limit without its bound): not zod's default, then
  }
  const text = typeof said === 'string' ? said : said?.message;
  return received === undefined || text === undefined ? text : text.replace(/undefined$/, received);
}

const UNITS: Readonly<Record<string, string>> = { string: 'characters', array: 'items', set: 'items', map: 'entries', file: 'bytes' };

const TYPES: Readonly<Record<string, string>> = {
  number: 'a number', int: 'a whole number', bigint: 'a whole number', string: 'text', boolean: 'true or false',
  array: 'a list', object: 'an object', date: 'a date',
};

/** A limit as words: `at most 150 characters`, `less than 5`, `exactly 3 items`. */
function limit(issue: Extract<Issue, { code: 'too_big' | 'too_small' }>): string {
  const big = issue.code === 'too_big';
  const bound = big ? issue.maximum : issue.minimum;
  const unit = UNITS[issue.origin];
  if (unit) {
    // A size is whole: `< 4` is `at most 3`.
    const n = issue.inclusive || issue.exact || typeof bound !== 'number' ? bound : big ? bound - 1 : bound + 1;
    if (!big && n === 1 && !issue.exact) return 'must not be empty';
    const verb = issue.origin === 'string' ? 'be' : 'have';
    return `must ${verb} ${issue.exact ? 'exactly' : big ? 'at most' : 'at least'} ${String(n)} ${unit}`;
  }
  if (issue.exact) return `must be ${String(bound)}`;
  if (issue.inclusive) return `must be ${big ? 'at most' : 'at least'} ${String(bound)}`;
  return `must be ${big ? 'less' : 'more'} than ${String(bound)}`;
}

/** A value zod names as it would be typed: a string bare, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'bigint' ? value.toString() : JSON.stringify(value) ?? String(value);
}

/**
 * homelab's words for an issue that carries zod's default message, to follow the name of
 * what was wrong (`must be at most 60`, `is required`); undefined when the issue carries a
 * schema's own message, or one zod gives that is not worded here (which is then shown as it is).
 */
export function plainIssueWords(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'too_big':
    case 'too_small':
      // A date's limit is an epoch number: shown as zod says it.
      return issue.origin !== 'date' && issue.message === zodWords(issue) ? limit(issue) : undefined;
    case 'invalid_value':
      if (issue.message !== zodWords(issue)) return undefined;
      return issue.values.length === 1 ? `must be ${shown(issue.values[0])}` : `must be one of ${issue.values.map(shown).join(', ')}`;
    case 'invalid_type': {
      const received = /, received (\S+)$/.exec(issue.message)?.[1];
      if (received === undefined || issue.message !== zodWords(issue, received)) return undefined;
      if (received === 'undefined') return 'is required';
      const expected = TYPES[issue.expected];
      return expected === undefined ? undefined : `must be ${expected}`;
    }
    default:
      return undefined;
  }
}

/**
 * A schema's own `message` with each other key it names in braces said as the surface spells
 * it: `cert-error-days must not be more than {certWarnDays}` is `… than --cert-warn-days` on
 * the CLI and the bot, `… than certWarnDays` on MCP.
 */
export function keysNamed(message: string, name: (key: string) => string): string {
  return message.replace(/\{([a-z][A-Za-z0-9]*)\}/g, (_all, key: string) => name(key));
}

/**
 * Where the name of `key` ends when a schema's own `message` starts with it, as the key
 * (`limit must be …`) or as its flag (`access-list must be …` for `accessList`); undefined
 * when the message does not start by naming it (`limits`, `the key must …`).
 */
export function keyNamedAt(message: string, key: string): number | undefined {
  const lower = message.toLowerCase();
  const name = [key.toLowerCase(), kebab(key)].find((n) => lower.startsWith(n) && !/^[\w-]/.test(message.slice(n.length)));
  return name?.length;
}
