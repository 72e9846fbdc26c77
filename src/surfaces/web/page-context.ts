/**
 * @module surfaces/web/page-context
 * Draws a page for the signed-in user of a request (the layout with their name, CSRF
 * token, the navigation and, with several labs, the lab the page is about: the one their
 * session looks at, or a run's), and
 * the few answers every route shares: not found, a request refused (400).
 */
import type { Context } from 'hono';
import { h, type Html } from './html.js';
import { sessionLab } from './lab-choice.js';
import { page } from './layout.js';
import type { WebEnv, WebState } from './state.js';

/**
 * The page `body` titled `title`, for the request's user. The header and the tab's title
 * name the lab the session looks at, or `inLab` when the page is about another one (a
 * confirmation or a run in the lab its form was submitted in), so a page names one lab.
 */
export function userPage(c: Context<WebEnv>, state: WebState, title: string, body: Html, inLab?: string): Html {
  const session = c.get('session');
  const lab = state.labs.several ? { shown: inLab ?? sessionLab(c, state).name, names: state.labs.names(), back: backPath(c) } : undefined;
  return page({ title, path: c.req.path, services: state.services, allow: state.options.allow, user: { name: session.user, csrf: session.csrf, canSignOut: state.logins.required() }, ...(lab ? { lab } : {}) }, body);
}

/** The page to show again after switching labs: this one when it can be loaded again (GET), an operation's form after its POST, else the overview. */
function backPath(c: Context<WebEnv>): string {
  if (c.req.method === 'GET') return c.req.path + new URL(c.req.url).search;
  return c.req.path.startsWith('/op/') ? c.req.path : '/';
}

/** A 404 page. */
export function notFound(c: Context<WebEnv>, state: WebState, what: string): Response {
  return c.html(userPage(c, state, 'Not found', h`<p>${what}</p><p><a href="/">Back to the overview</a></p>`), 404);
}

/** A 400 page: the one line saying why the request was refused, and the way `back`. */
export function badRequest(c: Context<WebEnv>, state: WebState, refused: string, back = '/'): Response {
  return c.html(userPage(c, state, 'Refused', h`<p class="error" role="alert">${refused}</p><p><a href="${back}">Back</a></p>`), 400);
}
