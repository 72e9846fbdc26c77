/**
 * @module surfaces/shared/cli-only-flags
 * Flags only the command line has for an operation: its CLI-only inputs (`cliOnlyInputs`:
 * `plan --detailed-exitcode`, `export --force`) and the CLI's own switches (`--json`, `--yes`).
 * An MCP tool and a dashboard form offer none of them, so a sentence of a description naming
 * one (`--detailed-exitcode: 0 no changes, 2 changes pending, 1 error.`) is the command line's
 * alone, and both surfaces leave it out with this one rule.
 */
import { GLOBAL_FLAGS, kebab } from '../../core/args.js';
import type { AnyOperation } from '../../core/operation.js';
import { SENTENCE, splitOutside } from './clauses.js';

/** A flag the surface does not offer for `op`: its CLI-only inputs (`--x`, `--no-x`) and the CLI's own switches. */
export function cliOnlyFlag(op: AnyOperation): RegExp {
  const names = [...(op.cliOnlyInputs ?? []).map(kebab), ...GLOBAL_FLAGS].map((n) => n.replace(/-/g, '\\-'));
  return new RegExp(`(?<![\\w-])--(?:no-)?(?:${names.join('|')})(?![\\w-])`);
}

/** A description (paragraphs of sentences) without the sentences that name a flag only the command line has for `op`. */
export function withoutCliOnlySentences(text: string, op: AnyOperation): string {
  const cliOnly = cliOnlyFlag(op);
  return text.split('\n\n')
    .map((paragraph) => splitOutside(paragraph, SENTENCE).filter((sentence) => !cliOnly.test(sentence)).join(' '))
    .filter((paragraph) => paragraph.trim())
    .join('\n\n');
}
