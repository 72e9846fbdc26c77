/**
 * @module surfaces/web/form-check
 * Validates a submitted form with the operation's own `parseInput` (the same check as
 * on every surface), and, when it fails, says which field each problem belongs to so
 * the form can show it beside the field.
 */
import { parseInput } from '../../core/invoke.js';
import { kebab } from '../../core/input-fields.js';
import { keysNamed, plainIssueWords } from '../../core/issue-words.js';
import { toHomelabError } from '../../core/errors.js';
import type { AnyOperation } from '../../core/operation.js';
import { redact } from '../../core/redact.js';

/** A checked form: the validated input, or errors by key (`''` for the form as a whole). */
export type FormCheck = { ok: true; input: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/** Checks `raw` against `op`'s schema. */
export function checkForm(op: AnyOperation, raw: Record<string, unknown>): FormCheck {
  try {
    return { ok: true, input: parseInput(op, raw) };
  } catch (err) {
    const errors: Record<string, string> = {};
    const parsed = op.input.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = typeof issue.path[0] === 'string' && issue.path[0] in op.input.shape ? issue.path[0] : '';
        const inner = issue.path.slice(1).join('.');
        // zod's default message in homelab's words: "Must be at most 150 characters" beside its field, "tags.2 must be text" within it.
        const plain = plainIssueWords(issue);
        // Another field a message names ({certWarnDays}) as the message names its own (cert-warn-days).
        const message = keysNamed(issue.message, kebab);
        const one = redact(plain === undefined ? (inner ? `${inner}: ${message}` : message) : inner ? `${inner} ${plain}` : key ? besideField(plain) : `input ${plain}`);
        // A message is said once (one message for several failed checks: core/invoke describeInputIssues).
        if (errors[key]?.split('; ').includes(one)) continue;
        errors[key] = errors[key] ? `${errors[key]}; ${one}` : one;
      }
    }
    if (Object.keys(errors).length === 0) errors[''] = redact(toHomelabError(err).message);
    return { ok: false, errors };
  }
}

/** homelab's words for an issue as they stand beside their field: `Must be at most 60`, `Required`. */
function besideField(plain: string): string {
  return plain === 'is required' ? 'Required' : `${plain.charAt(0).toUpperCase()}${plain.slice(1)}`;
}
