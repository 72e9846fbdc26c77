/**
 * @module surfaces/web/lab-choice
 * Which lab (context) a request is about. A session looks at one lab: the server's home
 * lab (the context `homelab serve` started in) until its user picks another in the
 * header's selector (`lab-routes`). A form that changes something carries the
 * lab it was drawn in (`_context`), so a run goes to the lab its page showed even when
 * the selector changed in another tab since. An unknown name is refused (400) with the
 * names the config defines, and so are two names.
 */
import type { Context } from 'hono';
import { toHomelabError } from '../../core/errors.js';
import type { Lab } from '../../core/lab-set.js';
import { formText } from './form-body.js';
import { redact } from '../../core/redact.js';
import type { WebEnv, WebState } from './state.js';

/** The form field a change form carries its lab in. */
export const CONTEXT_FIELD = '_context';

/** The lab `name`, or why not (an unknown name, or a context whose config cannot be read). */
export function labNamed(state: WebState, name: string): { lab: Lab } | { refused: string } {
  const names = state.labs.names();
  if (!names.includes(name)) {
    return { refused: `Unknown lab "${name.slice(0, 80)}": this dashboard serves ${names.join(', ')}. Nothing was done.` };
  }
  try {
    return { lab: state.labs.get(name) };
  } catch (err) {
    return { refused: `Lab ${name} cannot be used: ${redact(toHomelabError(err).message)}` };
  }
}

/** The lab the request's session looks at (the home lab unless the user chose another). */
export function sessionLab(c: Context<WebEnv>, state: WebState): Lab {
  const chosen = c.get('session').context;
  if (chosen !== undefined) {
    const named = labNamed(state, chosen);
    if ('lab' in named) return named.lab;
  }
  return state.labs.get();
}

/**
 * The lab a submitted form names in `_context`, else the session's; `refused` for an unknown
 * name, or for two of them (as the lab selector, the audit filter and the event stream refuse
 * two labs: form-body).
 */
export function formLab(c: Context<WebEnv>, state: WebState, submitted: unknown): { lab: Lab } | { refused: string } {
  const name = formText.optional().safeParse(submitted);
  if (!name.success) return { refused: `Refused: the field "${CONTEXT_FIELD}" ${name.error.issues[0]?.message ?? 'could not be read'}. Nothing was done.` };
  return name.data ? labNamed(state, name.data) : { lab: sessionLab(c, state) };
}
