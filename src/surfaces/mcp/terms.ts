/**
 * @module surfaces/mcp/terms
 * What the operations say in the command line's words (`add --force to do that`, `drop
 * --no-wait`, `homelab pve shutdown 101`), said in a tool's own terms: an agent sends
 * arguments, not flags. One rule for every message, hint and description, so no operation
 * writes its text twice:
 *
 * - `--kebab-flag` that names an input of the tool the text is about becomes the argument:
 *   a switch `` `kebabFlag: true` `` (`--no-x` → `` `x: false` ``), any other input `` `kebabFlag` ``
 *   (with its value when one of an enum's choices, a number or a `<placeholder>` follows: `` `timeframe: "day"` ``).
 *   A flag the tool does not take (`--allow danger`, the server owner's) is left as it is;
 * - `homelab <words> [args] [--flags]` that names an operation offered on MCP becomes its tool
 *   call: `` `pve_shutdown { vmid: 101 }` ``. Its positionals are taken while they look like
 *   values (digits, dots, `<placeholders>`), not words of the sentence; a command that is no
 *   tool (`homelab init`) stays as it is;
 * - in the text of a call in another lab than the server's own, each tool call it suggests
 *   names that lab (`` `pve_list { context: "office" }` ``): a call without it runs in the
 *   server's lab. A command line left as written is for a shell, where a bare `homelab` runs in
 *   config.yaml's current lab, whatever lab the server serves: it names the call's lab right
 *   after `homelab` when that is another (`homelab --context office export <path>`,
 *   `core/lab-in-commands`), as the CLI and the web dashboard say it;
 * - in descriptions only, what the command line alone has is left out: a sentence naming a
 *   flag the tool does not offer (`cliOnlyInputs`: `--detailed-exitcode`, `--force` of
 *   export; the CLI's own `--json`, `--yes`), and what is said of exit codes (`(exit 1)`, a
 *   sentence or a clause about what it exits with): a tool answers, it does not exit; and
 *   what is said of stdin (`stdin-inputs.ts`): the server's stdin is the protocol.
 *
 * Results themselves (tables, the `fix:` commands of `check`) are data and stay as they are
 * (their command lines name the call's lab by the shell's rule: call.ts).
 */
import { fieldsOf, type FieldInfo } from '../../core/args.js';
import { namingLabIn } from '../../core/lab-in-commands.js';
import type { AnyOperation } from '../../core/operation.js';
import { resolveWords } from '../../core/registry.js';
import { SENTENCE, splitOutside } from '../shared/clauses.js';
import { cliOnlyFlag } from '../shared/cli-only-flags.js';
import { withoutExitCodes } from '../shared/exit-code-words.js';
import { withoutStdin } from './stdin-inputs.js';

/** Finds the operation (offered on MCP) named by leading words: `['pve','start','105']` → pve.start, rest `['105']`. */
export type OperationWords = (words: readonly string[]) => { op: AnyOperation; rest: string[] } | undefined;

/** The word resolver over operations (by id): the CLI's rule (`resolveWords`), without aliases. */
export function operationWords(ops: Iterable<AnyOperation>): OperationWords {
  const byId = new Map([...ops].map((op) => [op.id, op]));
  return (words) => {
    const found = resolveWords(words, new Map(), (id) => byId.has(id));
    const op = found && byId.get(found.id);
    return found && op ? { op, rest: found.rest } : undefined;
  };
}

/** How the text of a call names its lab (see the module comment), and which words are homelab's commands (`Exposure.commandWord`). */
export interface CallLab {
  /** The call's lab when it is not the server's own: named in each tool call the text suggests. */
  tool?: string;
  /** The call's lab when a bare `homelab` in a shell runs in another (config.yaml's current lab: `core/lab-in-commands`): named in each command line. */
  shell?: string;
  isCommand: (word: string) => boolean;
}

/** The MCP tool name of an operation id (`pve.start` → `pve_start`). */
const toolOf = (op: AnyOperation): string => op.id.replace(/\./g, '_');

/** The fields a tool takes (its CLI-only inputs left out). */
function toolFields(op: AnyOperation): FieldInfo[] {
  const cliOnly = new Set(op.cliOnlyInputs ?? []);
  return fieldsOf(op).filter((f) => !cliOnly.has(f.key));
}

/** One argument as a tool call writes it: a number or placeholder as it is, text quoted. */
function argValue(field: FieldInfo, word: string): string {
  if (word.startsWith('<') || (field.kind === 'number' && /^-?\d+(\.\d+)?$/.test(word))) return word;
  return JSON.stringify(word);
}

/** The field a flag names, and the switch value it sets (`--x` true, `--no-x` false), or undefined. */
function flagField(fields: readonly FieldInfo[], name: string): { field: FieldInfo; value?: boolean } | undefined {
  const field = fields.find((f) => f.flag === name);
  if (field) return field.kind === 'boolean' ? { field, value: true } : { field };
  const negated = name.startsWith('no-') ? fields.find((f) => f.flag === name.slice(3) && f.kind === 'boolean') : undefined;
  return negated ? { field: negated, value: false } : undefined;
}

/** The words after `homelab`: the next words of a command line (space-separated; ends at , ; ( ) or a full stop). */
const WORD = /^ (<[^<>\n]*>|[^\s,;()`]+?)(?=[\s,;()`]|[.:](?:\s|$)|$)/;

/** A positional word that is a value, not a word of the sentence. */
const looksLikeValue = (word: string): boolean => /[^a-z]/.test(word);

/**
 * Rewrites `homelab …` at `at` (the index of `homelab`) into a tool call; undefined when the
 * words name no tool, or the command line goes on with what the tool does not take (a flag
 * or a path only the CLI has, a word where a value is expected): a call that leaves part of
 * the command out would be another command, so the owner's command line stays as written.
 */
function rewriteCommand(text: string, at: number, words: OperationWords, lab?: string): { call: string; end: number } | undefined {
  const names: string[] = [];
  let end = at + 'homelab'.length;
  const ends: number[] = [];
  for (let m = WORD.exec(text.slice(end)); m && names.length < 4 && /^[a-z][a-z0-9-]*$/.test(m[1] as string); m = WORD.exec(text.slice(end))) {
    names.push(m[1] as string);
    end += m[0].length;
    ends.push(end);
  }
  const found = words(names);
  if (!found) return undefined;
  end = ends[names.length - found.rest.length - 1] as number;
  const fields = toolFields(found.op);
  const positional = fields.filter((f) => f.position !== undefined);
  const args: string[] = [];
  for (let m = WORD.exec(text.slice(end)); m; m = WORD.exec(text.slice(end))) {
    const word = m[1] as string;
    let taken = m[0].length;
    if (word.startsWith('--')) {
      const named = flagField(fields, word.slice(2));
      if (!named) return undefined;
      if (named.value !== undefined) args.push(`${named.field.key}: ${named.value}`);
      else {
        const next = WORD.exec(text.slice(end + taken));
        if (!next || (next[1] as string).startsWith('--')) return undefined;
        args.push(`${named.field.key}: ${argValue(named.field, next[1] as string)}`);
        taken += next[0].length;
      }
    } else {
      const field = positional.shift();
      // A value-like word with no positional left is the CLI's (export's path); a plain word
      // where a positional is expected may be a value (`www`) or the sentence: either way unsure.
      if (!field) {
        if (looksLikeValue(word)) return undefined;
        break;
      }
      if (!looksLikeValue(word)) return undefined;
      args.push(`${field.key}: ${argValue(field, word)}`);
    }
    end += taken;
  }
  // A call run in another lab than the server's own names it: without it, the call runs at home.
  if (lab !== undefined && !('context' in found.op.input.shape)) args.push(`context: ${JSON.stringify(lab)}`);
  return { call: args.length ? `${toolOf(found.op)} { ${args.join(', ')} }` : toolOf(found.op), end };
}

/** Wraps `code` in backticks unless the text already has one before it. */
const quoted = (text: string, at: number, code: string): string => (text[at - 1] === '`' ? code : `\`${code}\``);

/** `--flag` of `op` in `text` → the tool's argument (see the module comment). */
function rewriteFlags(text: string, op: AnyOperation): string {
  const fields = toolFields(op);
  let out = '';
  let from = 0;
  for (const m of text.matchAll(/(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?![\w=-])/g)) {
    const named = flagField(fields, m[1] as string);
    if (!named || m.index < from) continue;
    const { field, value } = named;
    let end = m.index + m[0].length;
    let code = field.key;
    if (value !== undefined) code = `${field.key}: ${value}`;
    else {
      // A value that can only be this input's (one of an enum's choices, a number) goes with it.
      const next = / ([^\s,;()`]+?)(?=[\s,;()`]|[.:](?:\s|$)|$)/y;
      next.lastIndex = end;
      const word = next.exec(text)?.[1];
      if (word !== undefined && (/^<[^<>]+>$/.test(word) || (field.choices?.includes(word) ?? false) || (field.kind === 'number' && /^-?\d+$/.test(word)))) {
        code = `${field.key}: ${argValue(field, word)}`;
        end = next.lastIndex;
      }
    }
    out += text.slice(from, m.index) + quoted(text, m.index, code);
    from = end;
  }
  // "--no-wait (wait: false)" said it twice.
  return (out + text.slice(from)).replace(/`([^`]+)` \(\1\)/g, '`$1`');
}

/** `homelab <words> …` naming an MCP tool → the tool call. */
function rewriteCommands(text: string, words: OperationWords, lab?: string): string {
  let out = '';
  let from = 0;
  for (const m of text.matchAll(/\bhomelab(?= [a-z])/g)) {
    if (m.index < from) continue;
    const found = rewriteCommand(text, m.index, words, lab);
    if (!found) continue;
    out += text.slice(from, m.index) + quoted(text, m.index, found.call);
    from = found.end;
  }
  return out + text.slice(from);
}

/**
 * A message or hint about tool `op`, in MCP terms (see the module comment); `lab`: the call's
 * lab where a tool call (`lab.tool`) or a command line left as written (`lab.shell`) runs
 * elsewhere without it.
 */
export function inMcpTerms(text: string, op: AnyOperation, words: OperationWords, lab?: CallLab): string {
  const said = rewriteFlags(rewriteCommands(text, words, lab?.tool), op);
  return lab?.shell ? namingLabIn(said, lab.shell, lab.isCommand) : said;
}

/** A tool's (or an input's) description in MCP terms, without what only the command line has (see the module comment). */
export function mcpDescription(text: string, op: AnyOperation, words: OperationWords): string {
  const cliOnly = cliOnlyFlag(op);
  const kept = text.split('\n\n').map((paragraph) => splitOutside(paragraph, SENTENCE)
    .filter((sentence) => !cliOnly.test(sentence))
    .map(withoutExitCodes)
    .map(withoutStdin)
    .filter((sentence) => sentence.trim())
    .join(' ')).filter((paragraph) => paragraph.trim());
  return inMcpTerms(kept.join('\n\n'), op, words);
}
