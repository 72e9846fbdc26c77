/**
 * @module surfaces/mcp/stdin-inputs
 * Inputs the command line reads from stdin when they are absent (`telegram send`'s `text`:
 * `df -h | homelab telegram send`), marked in the operation's schema with zod metadata
 * `.meta({ stdin: true })`. An MCP server has no stdin to give (its stdin is the protocol),
 * so over MCP such an input is required: listed in the tool's `required`, and a call
 * without it is refused by name before anything runs. Descriptions leave out what they say
 * of stdin (`withoutStdin`): a parenthesis, a clause or a sentence naming it, no more.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import type { AnyOperation } from '../../core/operation.js';
import { CLAUSE_OR_COMMA, pieces } from '../shared/clauses.js';

/** Whether a field's schema (or the one it wraps as optional) carries `stdin: true`. */
function readsStdin(schema: unknown): boolean {
  for (let s = schema; s instanceof z.ZodType; s = s instanceof z.ZodOptional || s instanceof z.ZodDefault ? s.unwrap() : undefined) {
    if (z.globalRegistry.get(s)?.stdin === true) return true;
  }
  return false;
}

/** The input keys of `op` the command line reads from stdin when absent. */
export function stdinInputs(op: AnyOperation): string[] {
  return Object.entries(op.input.shape as Record<string, unknown>).filter(([, schema]) => readsStdin(schema)).map(([key]) => key);
}

/** Refuses arguments that leave out an input the command line would read from stdin (a UsageError naming it). */
export function missingStdinInputs(op: AnyOperation, args: unknown): void {
  const given = args !== null && typeof args === 'object' ? (args as Record<string, unknown>) : {};
  const missing = stdinInputs(op).filter((key) => given[key] === undefined);
  if (missing.length) throw new UsageError(`${op.id.replace(/\./g, ' ')}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required (there is no stdin to read ${missing.length === 1 ? 'it' : 'them'} from)`);
}

const STDIN = /\bstdin\b/i;

/**
 * `text` without its clauses (split at "; " and ", " outside parentheses) that name stdin;
 * its end (a full stop) kept when its last clause goes. Empty when every clause names it.
 */
function withoutStdinClauses(text: string): string {
  const all = pieces(text, CLAUSE_OR_COMMA);
  const kept = all.filter((p) => !STDIN.test(p.text));
  if (kept.length === all.length) return text;
  if (!kept.length) return '';
  const joined = kept.map((p, i) => (i === 0 ? p.text : `${p.sep}${p.text}`)).join('');
  const end = /[.!?:]$/.exec(text.trimEnd())?.[0] ?? '';
  const said = STDIN.test(all.at(-1)?.text ?? '') ? `${joined.replace(/[.;:,]$/, '')}${end}` : joined;
  // A sentence that began with the clause now begins with the next one.
  return /^[A-Z]/.test(text) ? said.charAt(0).toUpperCase() + said.slice(1) : said;
}

/** A sentence of a description without what it says of stdin: the clauses naming it, in a parenthesis or out of one. */
export function withoutStdin(sentence: string): string {
  const inner = sentence.replace(/(\s*)\(([^()]*\bstdin\b[^()]*)\)/gi, (_all, space: string, within: string) => {
    const kept = withoutStdinClauses(within);
    return kept ? `${space}(${kept})` : '';
  });
  return withoutStdinClauses(inner);
}
