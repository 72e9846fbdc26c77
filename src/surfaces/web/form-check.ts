/**
 * @module surfaces/web/form-check
 * Validates a submitted form with the operation's own `parseInput` (the same check as
 * on every surface), and, when it fails, says which field each problem belongs to so
 * the form can show it beside the field.
 */
import { parseInput } from '../../core/invoke.js';
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
        const one = redact(inner ? `${inner}: ${issue.message}` : issue.message);
        // A message is said once (one message for several failed checks: core/invoke describeInputIssues).
        if (errors[key]?.split('; ').includes(one)) continue;
        errors[key] = errors[key] ? `${errors[key]}; ${one}` : one;
      }
    }
    if (Object.keys(errors).length === 0) errors[''] = redact(toHomelabError(err).message);
    return { ok: false, errors };
  }
}
