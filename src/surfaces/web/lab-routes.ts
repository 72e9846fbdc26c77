/**
 * @module surfaces/web/lab-routes
 * `POST /context`: the header's lab selector. It is checked like every POST (same
 * Origin, the session's CSRF token), keeps the chosen lab in the session and goes back
 * to the page it was on (a path on this server only). An unknown name is a 400 page
 * naming the labs the config defines; the session keeps its lab. A field that is not
 * one text value (a file, a repeated name) is a 400 page saying which (form-body).
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { formText, readForm } from './form-body.js';
import { h } from './html.js';
import { labNamed } from './lab-choice.js';
import { badRequest, userPage } from './page-context.js';
import { localPath } from './security.js';
import type { WebEnv, WebState } from './state.js';

/** The selector's form: one lab name and the page to go back to (the CSRF token is checked before). */
const SELECTOR_FORM = z.object({ context: formText.optional(), next: formText.optional() });

/** A page saying a lab name was refused (400). */
export function refusedLab(c: Context<WebEnv>, state: WebState, refused: string): Response {
  return c.html(userPage(c, state, 'Unknown lab', h`<p class="error" role="alert">${refused}</p><p><a href="/">Back to the overview</a></p>`), 400);
}

/** Adds `POST /context`: the header's lab selector. */
export function labRoutes(app: Hono<WebEnv>, state: WebState): void {
  app.post('/context', async (c) => {
    const form = await readForm(c, SELECTOR_FORM);
    if (!form.ok) return badRequest(c, state, form.refused);
    const name = form.values.context ?? '';
    const named = labNamed(state, name);
    if ('refused' in named) return refusedLab(c, state, name ? named.refused : `Choose a lab: this dashboard serves ${state.labs.names().join(', ')}.`);
    c.get('session').context = named.lab.name;
    return c.redirect(localPath(form.values.next), 303);
  });
}
