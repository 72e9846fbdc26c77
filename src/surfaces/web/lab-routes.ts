/**
 * @module surfaces/web/lab-routes
 * `POST /context`: the header's lab selector. It is checked like every POST (same
 * Origin, the session's CSRF token), keeps the chosen lab in the session and goes back
 * to the page it was on (a path on this server only). An unknown name is a 400 page
 * naming the labs the config defines; the session keeps its lab.
 */
import type { Context, Hono } from 'hono';
import { h } from './html.js';
import { labNamed } from './lab-choice.js';
import { userPage } from './page-context.js';
import { localPath } from './security.js';
import type { WebEnv, WebState } from './state.js';

/** A page saying a lab name was refused (400). */
export function refusedLab(c: Context<WebEnv>, state: WebState, refused: string): Response {
  return c.html(userPage(c, state, 'Unknown lab', h`<p class="error" role="alert">${refused}</p><p><a href="/">Back to the overview</a></p>`), 400);
}

/** Adds `POST /context`: the header's lab selector. */
export function labRoutes(app: Hono<WebEnv>, state: WebState): void {
  app.post('/context', async (c) => {
    const body = await c.req.parseBody();
    const name = typeof body.context === 'string' ? body.context : '';
    const named = labNamed(state, name);
    if ('refused' in named) return refusedLab(c, state, name ? named.refused : `Choose a lab: this dashboard serves ${state.labs.names().join(', ')}.`);
    c.get('session').context = named.lab.name;
    return c.redirect(localPath(body.next), 303);
  });
}
