/**
 * @module surfaces/telegram/bot-text
 * Command lines written for the terminal, in text the bot sends (error messages, details and
 * hints, `/check`'s fix lines, rendered results, progress notes), as the bot has them:
 * `homelab pve start 201` → `/pve start 201` when the bot offers that command as written. A
 * command the bot refuses stays as it is, marked `on the CLI: homelab …`: an operation not
 * offered on Telegram (`telegram allow`), one given an input only the command line takes (a
 * path: `export <path>`, `plan lab.yaml`), or a CLI command that is not an operation (`bot`,
 * `lab`, `context use`, …). `homelab` followed by no command (prose: "a record homelab
 * manages") is left alone, and so is a value an error message or a command line quotes
 * (`"homelab dns"`, `'homelab dns'`).
 * Two bot commands joined for a shell (`homelab a && homelab b`, a fix in two steps) become two
 * lines, the second `then: /b`: the bot runs one command a message, and `&&` is no argument.
 *
 * Only text homelab wrote is rewritten: error messages and hints, progress notes, help, and
 * in a result only what the operation marks as its own command line (a cell or text block
 * with `command`, such as `/check`'s fix lines and `/plan`'s `homelab apply` line) and a
 * table's empty note. Everything else in a result is the service's or the user's data (a
 * monitor named `homelab dns`, an inbox note, a guest's description) and is shown as it is,
 * so a table keeps its alignment. Text is redacted before it is rewritten.
 */
import { fieldsOf } from '../../core/args.js';
import { isOfferedOn, type AnyOperation } from '../../core/operation.js';
import { redact } from '../../core/redact.js';
import type { Registry } from '../../core/registry.js';
import { mapCommandLines, type Rendered } from '../../core/render.js';
import { cliCommandNames } from '../shared/command-list.js';

/**
 * Text with its CLI command lines rewritten for the bot. `lab`: the run's lab when it is not
 * the bot's own, named in each command (`/pve start 201 --context office`), since a command
 * sent without it runs in the bot's lab. `shellLab`: the run's lab when a bare `homelab` in a
 * shell runs in another (config.yaml's current lab, whatever lab the bot serves:
 * `core/lab-in-commands`), named in each line left for the CLI (`on the CLI: homelab --context
 * office init`).
 */
export type ForBot = (text: string, lab?: string, shellLab?: string) => string;

/**
 * `homelab` as a word (not in a path or a name like `homelab-bot`), then what follows up to the
 * end of the phrase: a comma, semicolon, closing parenthesis, full stop, line end, or the next
 * command (`&&`, `|`, `homelab`).
 */
const MENTION = /(?<![\w/.~@-])homelab ([a-z][^\n,;)]*?)(?=[,;)\n]|\.(?:\s|$)|\s(?:&&|\|\|?|homelab)\s|$)/g;
/**
 * A quoted value, captured so `split` keeps it: a double-quoted span (JSON-escaped, as `shownWord`
 * writes a value in prose) or a single-quoted shell word (as `shellWord` writes a name in a
 * command line: `'it'\''s'`), which starts a word and ends one (an apostrophe in prose does not).
 */
const QUOTED = /("(?:[^"\\\n]|\\.)*"|(?<!\S)'[^'\n]*'(?:\\''[^'\n]*')*(?![^\s,;)]))/;
const COMMAND_WORD = /^[a-z][a-z0-9-]*$/;
/** A value that looks like a path (what CLI-only inputs take), not a word of prose. */
const PATH_LIKE = /[/.~]|^<.*>$/;
const MARK = 'on the CLI: ';

/** The rewriter for a bot serving `registry`. */
export function botTextFor(registry: Registry): ForBot {
  const cliOnlyCommands = new Set<string>(cliCommandNames);
  /** Whether the bot offers `phrase`'s command (undefined: no command of ours), and how many words name the operation. */
  const onBot = (phrase: string): { offered: boolean; path: number } | undefined => {
    const words = phrase.trim().split(/\s+/);
    const first = words[0] ?? '';
    if (!COMMAND_WORD.test(first)) return undefined;
    const resolved = registry.resolve(words);
    if (!resolved) {
      if (registry.service(first)) return { offered: true, path: 0 };
      return cliOnlyCommands.has(first) ? { offered: false, path: 0 } : undefined;
    }
    return { offered: isOfferedOn(resolved.op, 'telegram') && !givesCliOnlyInput(resolved.op, resolved.rest), path: words.length - resolved.rest.length };
  };
  const rewrite = (part: string, lab: string | undefined, shellLab: string | undefined): string => part.replace(MENTION, (whole: string, phrase: string, at: number) => {
    const verdict = onBot(phrase);
    if (!verdict) return whole;
    // The lab goes right after the operation's words, before its arguments and any prose after them.
    const namesOne = /(^|\s)--context\b/.test(phrase);
    const named = lab && !namesOne ? lab : undefined;
    if (verdict.offered) {
      if (!named || verdict.path === 0) return `/${phrase}`;
      // The phrase's own spacing kept (it may end before a quoted value: `system "homeassistant"`).
      const head = new RegExp(`^\\s*(?:\\S+\\s+){${verdict.path - 1}}\\S+`).exec(phrase)?.[0] ?? phrase;
      return `/${head} --context ${named}${phrase.slice(head.length)}`;
    }
    const cli = shellLab && !namesOne ? `homelab --context ${shellLab} ${phrase}` : whole;
    return part.slice(Math.max(0, at - MARK.length), at) === MARK ? cli : `${MARK}${cli}`;
  });
  // A quoted value (`shownWord`, `shellWord`: what the user typed, a name) is theirs, never a command of ours.
  // Commands joined for a shell (`a && b`) go on lines of their own: a bot message runs one command.
  return (text, lab, shellLab) => text.includes('homelab ')
    ? text.split(QUOTED).map((part, i) => (i % 2 ? part : thenLines(rewrite(part, lab, shellLab)))).join('').replace(/\bsee: on the CLI: /g, MARK)
    : text;
}

/** `/a && /b` as `/a`, then `then: /b` on a line of its own, indented as the line it was on (a fix line: `    fix: …`). */
function thenLines(text: string): string {
  return text.split('\n').map((line) => line.replace(/ && (?=\/[a-z])/g, `\n${/^\s*/.exec(line)?.[0] ?? ''}then: `)).join('\n');
}

/**
 * A result's blocks as the bot shows them: the cells and text blocks the operation marked as
 * its command lines (`command`) and tables' empty notes redacted, then rewritten by `forBot`;
 * every other cell, field and text (data) unchanged.
 */
export function blocksForBot(blocks: Rendered, forBot: (text: string) => string): Rendered {
  return mapCommandLines(blocks, (text) => forBot(redact(text)));
}

/** Whether `words` (a command's arguments, then maybe prose) give one of the operation's CLI-only inputs. */
function givesCliOnlyInput(op: AnyOperation, words: readonly string[]): boolean {
  const cliOnly = new Set(op.cliOnlyInputs ?? []);
  if (!cliOnly.size) return false;
  const fields = fieldsOf(op);
  let position = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word.startsWith('--')) {
      const name = word.slice(2).split('=')[0] ?? '';
      const field = fields.find((f) => f.flag === name || (f.kind === 'boolean' && `no-${f.flag}` === name));
      if (!field) continue;
      if (cliOnly.has(field.key)) return true;
      if (field.kind !== 'boolean' && !word.includes('=')) i++;
      continue;
    }
    const key = op.args?.[position++];
    if (key === undefined || !PATH_LIKE.test(word)) return false;
    if (cliOnly.has(key)) return true;
  }
  return false;
}
