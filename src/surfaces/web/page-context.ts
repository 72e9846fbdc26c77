/**
 * @module surfaces/web/page-context
 * Draws a page for the signed-in user of a request (the layout with their name, CSRF
 * token and the navigation), and the few answers every route shares: not found,
 * refused.
 */
import type { Context } from 'hono';
import { h, type Html } from './html.js';
import { page } from './layout.js';
import type { WebEnv, WebState } from './state.js';

/** The page `body` titled `title`, for the request's user. */
export function userPage(c: Context<WebEnv>, state: WebState, title: string, body: Html): Html {
  const session = c.get('session');
  return page({ title, path: c.req.path, services: state.services, allow: state.options.allow, user: { name: session.user, csrf: session.csrf, canSignOut: Boolean(state.options.passwords) } }, body);
}

/** A 404 page. */
export function notFound(c: Context<WebEnv>, state: WebState, what: string): Response {
  return c.html(userPage(c, state, 'Not found', h`<p>${what}</p><p><a href="/">Back to the overview</a></p>`), 404);
}
