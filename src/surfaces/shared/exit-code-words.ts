/**
 * @module surfaces/shared/exit-code-words
 * What an operation's description says of exit codes (`(exit 1)`, "Exit 1 when any finding is
 * an error", "…; exits 4 when a service could not be read") is the command line's alone: an MCP
 * tool answers and a dashboard page shows, neither exits. Both surfaces leave it out with this
 * one rule, keeping the rest of the sentence.
 */
import { CLAUSE, SENTENCE, splitOutside } from './clauses.js';

const EXITS = /\bexit(s|ed)?\b/i;

/** A sentence without what is said of exit codes: dropped when it starts with it, else cut before the clause that says it. */
export function withoutExitCodes(sentence: string): string {
  const clauses = splitOutside(sentence.replace(/\s*\(exit [^)]*\)/g, ''), CLAUSE);
  const at = clauses.findIndex((c) => EXITS.test(c));
  if (at < 0) return clauses.join('; ');
  if (at === 0) return '';
  return `${clauses.slice(0, at).join('; ').replace(/[.;:,]$/, '')}.`;
}

/** A whole description (paragraphs of sentences) without what it says of exit codes (`withoutExitCodes`, sentence by sentence). */
export function descriptionWithoutExitCodes(text: string): string {
  return text.split('\n\n')
    .map((paragraph) => splitOutside(paragraph, SENTENCE).map(withoutExitCodes).filter((s) => s.trim()).join(' '))
    .filter((paragraph) => paragraph.trim())
    .join('\n\n');
}
