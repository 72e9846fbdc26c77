/**
 * @module surfaces/cli/completion/engine
 * What Tab offers for a command line, from the command index (services, verbs, flags, enum
 * choices: the registry) and the stored dynamic values. Pure: the caller supplies the
 * index, the non-operation commands and a lookup of values by kind (`model`), so the rules
 * are tested on their own; `__complete` (complete-command.ts) wires them to the files.
 * This module finds what the words name (an operation, a command, or a step on the way to
 * one); `operation-args` and `command-flags` complete what follows.
 *
 * The words are those after `homelab`, the last one being the word under the cursor
 * (empty after a space). bash splits `--type=l` into `--type`, `=`, `l`; the engine joins
 * them again and answers with the part after `=`, which is all bash replaces. A path after
 * `=` (`lab --dir=`) is answered with the part to complete and, for zsh and fish, the
 * `--dir=` to keep before it.
 */
import type { CompletionValue } from '../../../core/completion.js';
import { ALL_CONTEXTS_OPERATIONS } from '../../../core/context-flag.js';
import { DEFAULT_CONTEXT } from '../../../core/context-name.js';
import { isOptionLike } from '../../../core/words.js';
import type { IndexedOperation } from '../command-index.js';
import { matching, paths, words } from './candidates.js';
import { completeCommandFlags } from './command-flags.js';
import { globalOptions, joinEquals } from './line-words.js';
import type { CompletionAnswer, CompletionModel, Shell } from './model.js';
import { completeOperation } from './operation-args.js';

/** Completes the command line `line` (words after `homelab`, the last one under the cursor). */
export function complete(model: CompletionModel, line: readonly string[], shell: Shell): CompletionAnswer {
  let all = line.length ? [...line] : [''];
  // bash: the cursor right after `=` (`--type=`), or on the value after it.
  let bashValueOnly = false;
  if (shell === 'bash') {
    const n = all.length;
    if (all[n - 1] === '=' && all[n - 2]?.startsWith('--')) { all = [...all.slice(0, n - 2), `${all[n - 2]}=`]; bashValueOnly = true; }
    else if (all[n - 2] === '=' && all[n - 3]?.startsWith('--')) { all = [...all.slice(0, n - 3), `${all[n - 3]}=${all[n - 1]}`]; bashValueOnly = true; }
    all = [...joinEquals(all.slice(0, -1)), all.at(-1) as string];
  }
  const cur = all.at(-1) as string;
  const { rest: before, context, allContexts, switches } = globalOptions(all.slice(0, -1));
  const answer = completeIn(model, before, cur, context, allContexts, switches);
  if (answer.mode !== 'words') {
    // A path: the shell completes `word`, keeping `prefix` before it (bash replaces only what follows `=`).
    const prefix = answer.prefix ?? '';
    return { mode: answer.mode, candidates: [], word: cur.slice(prefix.length), ...(prefix && !bashValueOnly ? { prefix } : {}) };
  }
  const prefixed = bashValueOnly ? answer.candidates.map((c) => ({ ...c, value: c.value.slice(c.value.indexOf('=') + 1) })) : answer.candidates;
  return { mode: answer.mode, candidates: prefixed };
}

/** Completes `cur` after the words `before` (global options taken out; `switches`: the global switches among them). */
function completeIn(model: CompletionModel, before: string[], cur: string, context: string | undefined, allContexts: boolean, switches: readonly string[]): CompletionAnswer {
  // A config without `contexts:` is the one lab `default`, which --context takes too.
  // None after --all-contexts, nor for a command that runs in no lab (`lab --context `): it would be refused or ignored.
  const noLab = allContexts || model.commands.some((c) => c.name === before[0] && c.ignoresLab);
  const labs = noLab ? [] : model.contexts.length ? model.contexts : [DEFAULT_CONTEXT];
  if (before.at(-1) === '--context') return words(matching(labs.map((value) => ({ value, description: 'context' })), cur));
  if (cur.startsWith('--context=')) return words(matching(labs.map((c) => ({ value: `--context=${c}`, description: 'context' })), cur));
  const aliases = new Map<string, string>();
  for (const s of model.index.services) for (const a of s.aliases ?? []) aliases.set(a, s.name);
  const [first, ...rest] = before;
  const head = first === undefined ? [] : [aliases.get(first) ?? first, ...rest];
  const op = resolve(model.index.operations, head);
  if (!op) {
    const command = model.commands.find((c) => c.name === before[0]);
    // A command's options are its own: the top-level ones (--version, --all-contexts) are not.
    if (command) {
      const answer = completeCommandFlags(model, command, before.slice(1), cur, context !== undefined || allContexts, switches);
      if (answer) return answer;
      // `batch <file>`: its arguments are paths.
      if (command.operand) return paths(command.operand);
    }
    if (cur.startsWith('-')) return words(matching(topFlags(model, context !== undefined || allContexts), cur));
    const kind = before.length === 2 ? command?.wordKinds?.[before[1] as string] : undefined;
    if (kind) return words(matching(model.values(kind, context), cur, true));
    const commandWords = command && before.length === 1 ? (command.words ?? []).map((value) => ({ value, description: command.summary })) : [];
    const next = [...commandWords, ...nextWords(model, head)];
    // `homelab --all-contexts <Tab>`: only the commands that take it.
    return words(matching(allContexts && !before.length ? next.filter((c) => FAN_OUT.has(c.value)) : next, cur));
  }
  const n = op.id.split('.').length;
  return completeOperation(model, op, head.slice(n), cur, context, nextWords(model, head), allContexts, switches);
}

/** The operation named by the leading words (the longest id that they spell), if any. */
function resolve(ops: readonly IndexedOperation[], head: readonly string[]): IndexedOperation | undefined {
  for (let n = Math.min(head.length, 4); n >= 1; n--) {
    const id = head.slice(0, n).join('.');
    if (head.slice(0, n).some((w) => isOptionLike(w))) continue;
    const op = ops.find((o) => o.id === id);
    if (op) return op;
  }
  return undefined;
}

/** The words that may follow `head` on the way to an operation (`pve` → its verbs; `` → services, top-level commands). */
function nextWords(model: CompletionModel, head: readonly string[]): CompletionValue[] {
  const out = new Map<string, CompletionValue>();
  if (!head.length) {
    for (const s of model.index.services) {
      if (!s.name) continue;
      out.set(s.name, { value: s.name, description: s.summary });
      for (const a of s.aliases ?? []) out.set(a, { value: a, description: s.summary });
    }
    for (const c of model.commands) out.set(c.name, { value: c.name, description: c.summary });
  }
  for (const op of model.index.operations) {
    const segments = op.id.split('.');
    if (segments.length <= head.length || head.some((w, i) => segments[i] !== w)) continue;
    const word = segments[head.length] as string;
    const last = segments.length === head.length + 1;
    if (!out.has(word) || last) out.set(word, { value: word, description: last ? op.summary : `${op.summary.split(':')[0]}…` });
  }
  return [...out.values()];
}

/** The commands `--all-contexts` works with: the fan-outs, and the watch daemon. */
const FAN_OUT: ReadonlySet<string> = new Set([...ALL_CONTEXTS_OPERATIONS, 'watch']);

/** The top-level options (`homelab --`); the lab options only while neither is given (`labGiven`). */
function topFlags(model: CompletionModel, labGiven: boolean): CompletionValue[] {
  return [
    { value: '--help', description: 'show the commands' },
    { value: '--version', description: 'print the version' },
    ...(model.contexts.length && !labGiven ? [{ value: '--context', description: 'run in this context (lab)' }, { value: '--all-contexts', description: 'status of every context' }] : []),
  ];
}
