/**
 * @module core/args
 * Turns words and flags (a CLI argv, a Telegram command) into an operation's input, by
 * reading the operation's zod schema: key names become `--kebab-case` flags, `args`
 * are positional, booleans are switches (`--no-x` for false), numbers are converted,
 * enums list their choices in help. Validation itself stays with zod (`parseInput`).
 *
 * The rules (README "Arguments"; word-level ones in `core/words`), each in its own module:
 * - the fields and how one word is converted: `core/input-fields`;
 * - splitting words, `--flag value` and `--flag=value` (never an option-like word as a
 *   value), `--` ending the options: `core/split-words`;
 * - an option given more than once (lists add up, a repeat saying the same is harmless, a
 *   switch said both ways or two different values refused, global switches last-wins):
 *   `core/flag-repeats`;
 * - here: a switch is `--x` or `--no-x`, `--x=true|false|yes|no|1|0` also works; an unknown
 *   option is named before anything else is judged (`pve list --timeout 2` is `unknown
 *   option --timeout for pve list`, not `unexpected argument "2"`), a one-dash one too, with
 *   the option a typo is close to (`--jsn`, `-j`: `did you mean --json?`, `core/unknown-option`); a required positional or option that
 *   is not given is refused by name with the usage line, before zod sees the input;
 * - every refusal is a UsageError (exit 2).
 * The names the other modules export are exported here too, for the surfaces.
 */
import { UsageError } from './errors.js';
import { GLOBAL_FLAGS, mergeFlag } from './flag-repeats.js';
import { convert, fieldsOf, type FieldInfo } from './input-fields.js';
import type { AnyOperation } from './operation.js';
import { splitWords } from './split-words.js';
import { optionRefusal } from './unknown-option.js';
import { shownWord, switchValue } from './words.js';

export { GLOBAL_FLAGS, type ParsedWords, type SplitOptions } from './flag-repeats.js';
export { fieldsOf, kebab, type FieldInfo, type FieldKind } from './input-fields.js';
export { asksForHelp, splitWords } from './split-words.js';

/**
 * Builds an operation's raw input from words (`['105', '--no-wait']`). Values that do
 * not fit (a word for a number) are passed on as they are, so zod reports them.
 */
export function inputFromWords(op: AnyOperation, words: readonly string[]): { input: Record<string, unknown>; flags: Map<string, string | true> } {
  const fields = fieldsOf(op);
  const flagOf = new Map(fields.map((f) => [f.flag, f]));
  const valueFlags = new Set(fields.filter((f) => f.kind !== 'boolean').map((f) => f.flag));
  const known = (name: string): boolean => {
    const base = name.startsWith('no-') ? name.slice(3) : name;
    return GLOBAL_FLAGS.has(base) || flagOf.has(name) || flagOf.get(base)?.kind === 'boolean';
  };
  const repeatable = (name: string): boolean => flagOf.get(name)?.kind === 'array' || flagOf.get(name)?.list === true;
  const command = op.id.replace(/\./g, ' ');
  // The names a typo is compared with: the operation's options, its switches' --no- forms, the global switches.
  const names = [...fields.map((f) => f.flag), ...fields.filter((f) => f.kind === 'boolean').map((f) => `no-${f.flag}`), ...GLOBAL_FLAGS];
  const unknownOption = optionRefusal(command, names, `see: homelab ${command} --help`);
  const { positionals, flags, lists } = splitWords(words, { takesValue: (name) => valueFlags.has(name), lists: repeatable, known, unknownOption });
  // An unknown option first: `--timeout 2` is a misspelt or foreign option, not a stray "2".
  const unknown = [...flags.keys()].find((name) => !known(name));
  if (unknown !== undefined) throw unknownOption(`--${unknown}`);
  const input: Record<string, unknown> = {};
  const positional = fields.filter((f) => f.position !== undefined);
  for (let i = 0; i < positionals.length; i++) {
    const field = positional[i];
    const word = positionals[i] as string;
    if (!field) throw new UsageError(`unexpected argument ${shownWord(word)}`, `usage: homelab ${usageLine(op)}`);
    if (op.variadic && i === positional.length - 1) {
      // The last positional of a variadic operation takes every remaining word.
      input[field.key] = convert(field, positionals.slice(i).join(' '));
      break;
    }
    input[field.key] = convert(field, word);
  }
  for (const [name, value] of flags) {
    if (GLOBAL_FLAGS.has(name) || (name.startsWith('no-') && GLOBAL_FLAGS.has(name.slice(3)))) continue;
    const negated = name.startsWith('no-') ? fields.find((f) => f.flag === name.slice(3) && f.kind === 'boolean') : undefined;
    if (negated) { input[negated.key] = false; continue; }
    const field = flagOf.get(name) as FieldInfo;
    if (field.kind === 'boolean') input[field.key] = value === true || switchValue(name, value);
    else if (value === true) throw new UsageError(`--${name} needs a value`);
    else mergeFlag(input, field, name, value, lists.get(name));
  }
  const missing = positional.find((f) => !f.optional && input[f.key] === undefined);
  if (missing) throw new UsageError(`${op.id.replace(/\./g, ' ')}: missing <${missing.key}>`, `usage: homelab ${usageLine(op)}`);
  const missingFlag = fields.find((f) => f.position === undefined && !f.optional && input[f.key] === undefined);
  if (missingFlag) throw new UsageError(`${op.id.replace(/\./g, ' ')}: missing --${missingFlag.flag}`, `see: homelab ${op.id.replace(/\./g, ' ')} --help`);
  return { input, flags };
}

/** How words name an input key: a positional by its key, an option as its flag (`sshKey` → `--ssh-key`). */
export function wordName(op: AnyOperation): (key: string) => string {
  const fields = fieldsOf(op);
  return (key) => {
    const field = fields.find((f) => f.key === key);
    return field && field.position === undefined ? `--${field.flag}` : key;
  };
}

/** `pve start <vmid> [--no-wait]`-style usage line. */
export function usageLine(op: AnyOperation, prefix = ''): string {
  const parts = [prefix + op.id.replace(/\./g, ' ')];
  for (const f of fieldsOf(op)) {
    if (f.position !== undefined) parts.push(f.optional ? `[${f.key}]` : `<${f.key}>`);
  }
  if (fieldsOf(op).some((f) => f.position === undefined)) parts.push('[options]');
  return parts.join(' ');
}
