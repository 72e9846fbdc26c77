/**
 * @module services/setup/init-questions
 * The kinds of question `homelab init` asks, each checking its answer and asking again
 * (saying why) until it gets one it can use: yes/no (`y`, `yes`, `n`, `no`, Enter for the
 * default), a numbered choice (a number in range, Enter for the default), a service URL
 * (checked with the same config schema every command uses, the web UI's `#…` page and any
 * `?…` dropped) and a credentials value (required ones not empty, some of a known form).
 * Each gives up after `ATTEMPTS` answers it cannot use with a usage error: nothing has been
 * written by then, since init writes only after its last question.
 */
import { baseSchemaFor } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { isPbsTokenId } from '../pbs/api-token.js';
import { isPveTokenId } from '../pve/api-token.js';
import type { ServiceSpec } from './service-specs.js';

/** How init asks one question (the surface's prompt; secrets without echo). */
export type Ask = (question: string, options?: { secret?: boolean }) => Promise<string>;

/** How many answers a question takes that it cannot use before init gives up. */
export const ATTEMPTS = 3;

/** The usage error after `ATTEMPTS` answers that could not be used. */
function givingUp(problem: string): UsageError {
  return new UsageError(problem, 'run homelab init again');
}

/** A yes/no question: `y`/`yes`/`n`/`no` (any case) or Enter for `yes`'s side; anything else is asked again. */
export async function askYes(ask: Ask, question: string, yes: boolean): Promise<boolean> {
  let shown = `${question} [${yes ? 'Y/n' : 'y/N'}]`;
  for (let attempt = 1; ; attempt++) {
    const answer = (await ask(shown)).trim().toLowerCase();
    if (answer === '') return yes;
    if (/^y(es)?$/.test(answer)) return true;
    if (/^no?$/.test(answer)) return false;
    if (attempt >= ATTEMPTS) throw givingUp(`"${answer}" is not y or n: ${question}`);
    shown = `  Answer y or n (Enter for ${yes ? 'y' : 'n'}). ${question.trim()} [${yes ? 'Y/n' : 'y/N'}]`;
  }
}

/** A numbered choice among `options` (shown `1) a  2) b`); Enter takes `fallback` (0-based). Returns the index. */
export async function askChoice(ask: Ask, label: string, options: readonly string[], fallback: number): Promise<number> {
  const listed = `${options.map((o, i) => `${i + 1}) ${o}`).join('  ')} [${fallback + 1}]:`;
  let question = `  ${label}: ${listed}`;
  for (let attempt = 1; ; attempt++) {
    const answer = (await ask(question)).trim();
    if (answer === '') return fallback;
    const n = /^\d+$/.test(answer) ? Number(answer) : NaN;
    if (n >= 1 && n <= options.length) return n - 1;
    const problem = `"${answer}" is not one of 1 to ${options.length}`;
    if (attempt >= ATTEMPTS) throw givingUp(`${label}: ${problem}`);
    question = `  ${problem}. ${label}: ${listed}`;
  }
}

/**
 * A URL as pasted: trimmed, without the `#…` a browser shows (the PVE web UI's
 * `#v1:0:18:4:::` is a page of the UI, not part of the API's address) or a `?…`, without
 * trailing slashes, its scheme in lower case (`HTTPS://` is written `https://`).
 */
export function cleanUrl(answer: string): string {
  return answer.trim().replace(/[?#].*$/s, '').replace(/\/+$/, '').replace(/^[A-Za-z][A-Za-z0-9+.-]*:/, (scheme) => scheme.toLowerCase());
}

/**
 * Asks a service's URL (`current` offered; else its example) until it is one its config
 * schema takes (https:// only for PVE and PBS), showing the schema's reason.
 */
export async function askUrl(ask: Ask, spec: ServiceSpec, current: string | undefined): Promise<string> {
  const schema = baseSchemaFor(spec.key).shape.url;
  const offered = current ?? spec.exampleUrl;
  let question = `  ${spec.label} URL [${offered}]:`;
  for (let attempt = 1; ; attempt++) {
    const typed = (await ask(question)).trim();
    const url = cleanUrl(typed || offered);
    const parsed = schema.safeParse(url);
    if (parsed.success) return url;
    const problem = `"${url}" ${parsed.error.issues[0]?.message ?? 'is not a URL'}`;
    if (attempt >= ATTEMPTS) throw givingUp(`${spec.key} URL: ${problem}`);
    question = `  ${problem}. ${spec.label} URL [${offered}]:`;
  }
}

/** A test of a value's form by a regular expression. */
const matches = (re: RegExp) => (value: string): boolean => re.test(value);

/**
 * The form a credentials value must have, shown at its question and checked (keys not listed
 * take anything); token ids by the clients' own checks, so init takes exactly the ids they do.
 */
const FORMS: Readonly<Record<string, { like: string; test: (value: string) => boolean }>> = {
  PVE_TOKEN_ID: { like: 'user@realm!tokenid', test: isPveTokenId },
  PBS_TOKEN_ID: { like: 'user@realm!tokenid', test: isPbsTokenId },
  NPM_EMAIL: { like: 'an e-mail address', test: matches(/^[^\s@]+@[^\s@]+$/) },
  BESZEL_EMAIL: { like: 'an e-mail address', test: matches(/^[^\s@]+@[^\s@]+$/) },
  TELEGRAM_BOT_TOKEN: { like: '123456789:AA… from @BotFather', test: matches(/^\d+:[A-Za-z0-9_-]{20,}$/) },
};

/**
 * Asks one credentials value. A required value left empty, or one not of its form, is
 * asked again (showing the form) up to `ATTEMPTS` times; Enter keeps the current value.
 */
export async function askValue(ask: Ask, spec: ServiceSpec, key: string, optional: boolean, current: string | undefined): Promise<string> {
  const secret = spec.secret.includes(key);
  const form = FORMS[key];
  const notes = [form ? `like ${form.like}` : '', current ? (secret ? 'Enter keeps the current value' : `Enter keeps ${current}`) : optional ? 'optional, Enter to skip' : ''];
  const hint = notes.filter(Boolean).join('; ');
  let question = `  ${key}${hint ? ` (${hint})` : ''}:`;
  for (let attempt = 1; ; attempt++) {
    const value = (await ask(question, { secret })).trim() || current || '';
    const problem = !value ? (optional ? '' : `${key} is needed for ${spec.key}`) : form && !form.test(value) ? `"${secret ? '…' : value}" is not ${form.like}` : '';
    if (!problem) return value;
    if (attempt >= ATTEMPTS) throw givingUp(`${problem}${form ? ` (like ${form.like})` : ''}`);
    question = `  ${problem}${form ? `, like ${form.like}` : ''}. ${key}:`;
  }
}
