/**
 * @module surfaces/web/other-site
 * Another site's request runs nothing and opens no session (security `sessionCheck`): a
 * read can do work (`refresh=true`), and in the login-free mode a session would be made for
 * it. The browser says where a request comes from with `Sec-Fetch-Site` (cross-site, or
 * same-site: another port of this host too). A browser without it (Safari before 16.4) is
 * judged by its `Origin`, or without one its `Referer`: a request naming another host (or
 * an opaque `null` origin) is another site's. Only the host and port are compared: the
 * scheme a browser used behind a TLS proxy is a form's check (origin-check), and a page on
 * this host and port is this dashboard. A request naming neither passes: a page that
 * withholds its Referer is not caught this way; a form's Origin and CSRF token still are.
 *
 * A link followed (a top-level navigation: `Sec-Fetch-Mode: navigate`, or, without fetch
 * metadata, a GET asking for HTML) gets a page that leads on; anything else 403.
 */
import type { Context } from 'hono';
import { otherSitePage } from './gate-pages.js';
import type { WebEnv, WebState } from './state.js';

/** Whether `named` (an Origin or Referer) is another host than `host` (`null` and a malformed one are). */
function namesOtherHost(named: string, host: string | undefined): boolean {
  if (named === 'null') return true;
  try {
    return new URL(named).host !== host;
  } catch {
    return true;
  }
}

/** Whether the request comes from another site's page, by its fetch metadata, else its Origin or Referer. */
export function fromOtherSite(c: Context<WebEnv>): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'cross-site' || site === 'same-site';
  const named = c.req.header('origin') ?? c.req.header('referer');
  return named !== undefined && namesOtherHost(named, c.req.header('host'));
}

/** Whether the request is a link followed: a top-level navigation. */
function navigation(c: Context<WebEnv>): boolean {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return false;
  const mode = c.req.header('sec-fetch-mode');
  if (mode !== undefined) return mode === 'navigate';
  return !c.req.header('x-fragment') && (c.req.header('accept') ?? '').includes('text/html');
}

/** The answer to another site's request (a page that leads on, or 403), or undefined for the dashboard's own. */
export function otherSiteAnswer(c: Context<WebEnv>, state: WebState, target: string): Response | Promise<Response> | undefined {
  if (!fromOtherSite(c)) return undefined;
  if (!navigation(c)) return c.text('Refused: this request comes from another site.', 403);
  return c.html(otherSitePage(state, target));
}
