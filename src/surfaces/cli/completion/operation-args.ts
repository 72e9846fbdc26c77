/**
 * @module surfaces/cli/completion/operation-args
 * Completing the arguments of an operation, once the leading words have named it: its
 * flags not given yet (with the surfaces' own switches), the value a flag or positional
 * takes (enum choices, dynamic values of its kinds, or file names), and the longer
 * operations the words may still spell.
 */
import type { FieldInfo } from '../../../core/args.js';
import { isPathKind, type CompletionValue } from '../../../core/completion.js';
import { ALL_CONTEXTS_OPERATIONS } from '../../../core/context-flag.js';
import { isOptionLike } from '../../../core/words.js';
import type { IndexedOperation } from '../command-index.js';
import { matching, paths, words } from './candidates.js';
import type { CompletionAnswer, CompletionModel } from './model.js';

/**
 * The flags of an operation not given yet (`used`), with the surfaces' own switches; with
 * contexts, `--context` and (for `status`) `--all-contexts` until either is given (`lab`).
 */
function flagsOf(model: CompletionModel, op: IndexedOperation, used: ReadonlySet<string>, lab: boolean): CompletionValue[] {
  const out: CompletionValue[] = [];
  for (const f of op.fields) {
    // A list option (`--domains`, `--tags`) may be given again: its values add up (core/args).
    if (f.position !== undefined || (used.has(f.flag) && f.kind !== 'array' && !f.list)) continue;
    const negated = f.kind === 'boolean' && f.defaultValue === true;
    out.push({ value: `--${negated ? 'no-' : ''}${f.flag}`, ...(f.description ? { description: f.description } : {}) });
  }
  if (!used.has('json')) out.push({ value: '--json', description: 'print the result as JSON' });
  if (op.risk !== 'read' && !used.has('yes')) out.push({ value: '--yes', description: 'do not ask for confirmation' });
  if (model.contexts.length && !lab) {
    out.push({ value: '--context', description: 'run in this context (lab)' });
    if (ALL_CONTEXTS_OPERATIONS.includes(op.id)) out.push({ value: '--all-contexts', description: 'run it in every context at once' });
  }
  out.push({ value: '--help', description: 'show this command\'s help' });
  return out;
}

/**
 * The values a field takes: enum choices, dynamic values of its kinds, or file or directory
 * names (a file input, a path kind). A value that reads as an option (a monitor named `-dash`) is
 * left out unless `dashOk` (after `--`): put on the line, it would be read as an option.
 */
function fieldValues(model: CompletionModel, field: FieldInfo, cur: string, context: string | undefined, prefix = '', dashOk = false): CompletionAnswer {
  const path = field.file ? 'file' : field.complete?.find(isPathKind);
  if (path && !prefix) return paths(path);
  const add = (list: CompletionValue[]): CompletionValue[] => list.map((c) => ({ ...c, value: prefix + c.value }));
  if (field.choices) return words(matching(add(field.choices.map((value) => ({ value }))), cur));
  if (field.kind === 'boolean') return words(prefix ? matching(add([{ value: 'true' }, { value: 'false' }]), cur) : []);
  const dynamic = (field.complete ?? []).filter((kind) => !isPathKind(kind)).flatMap((kind) => model.values(kind, context));
  const unique = [...new Map(dynamic.filter((v) => dashOk || prefix || !isOptionLike(v.value)).map((v) => [v.value, v])).values()];
  return words(matching(add(unique), cur, true));
}

/**
 * Completes `cur` after the words `rest` that follow operation `op`'s name: a flag's value,
 * a flag, or the next positional's values (with `longer`, the words of longer operation
 * names, while no argument is given yet). `given`: the global switches given before the
 * operation's words (`homelab --json pve list`), not offered again.
 */
export function completeOperation(model: CompletionModel, op: IndexedOperation, rest: readonly string[], cur: string, context: string | undefined, longer: CompletionValue[], allContexts = false, given: readonly string[] = []): CompletionAnswer {
  const lab = context !== undefined || allContexts;
  const byFlag = new Map<string, FieldInfo>(op.fields.map((f) => [f.flag, f]));
  const used = new Set<string>(given.map((w) => (w === '-y' ? 'yes' : (w.slice(2).split('=')[0] as string).replace(/^no-/, ''))));
  let positionals = 0;
  let onlyPositional = false;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i] as string;
    if (onlyPositional || !isOptionLike(w)) { positionals++; continue; }
    if (w === '--') { onlyPositional = true; continue; }
    if (w === '-y' || w === '-h') { used.add(w === '-y' ? 'yes' : 'help'); continue; }
    const eq = w.indexOf('=');
    const name = w.slice(2, eq > 2 ? eq : undefined);
    const field = byFlag.get(name.replace(/^no-/, '')) ?? byFlag.get(name);
    used.add(name.replace(/^no-/, ''));
    if (eq > 2 || !field || field.kind === 'boolean') continue;
    if (i === rest.length - 1) return fieldValues(model, field, cur, context);
    i++;
  }
  if (!onlyPositional && cur.startsWith('--') && cur.includes('=')) {
    const eq = cur.indexOf('=');
    const field = byFlag.get(cur.slice(2, eq));
    return field ? fieldValues(model, field, cur, context, cur.slice(0, eq + 1)) : words([]);
  }
  if (!onlyPositional && isOptionLike(cur)) return words(matching(flagsOf(model, op, used, lab), cur));
  const positional = op.fields.filter((f) => f.position !== undefined);
  const field = positional[positionals] ?? (op.variadic ? positional.at(-1) : undefined);
  const sub = rest.length === 0 ? matching(longer, cur) : [];
  if (field) {
    const answer = fieldValues(model, field, cur, context, '', onlyPositional);
    return { mode: answer.mode, candidates: [...sub, ...answer.candidates] };
  }
  // Nothing positional is left: the flags, when the word is still empty.
  return words([...sub, ...(cur === '' && !onlyPositional ? flagsOf(model, op, used, lab) : [])]);
}
