/**
 * @module surfaces/web/security
 * The checks every request passes before a page runs:
 * - headers: a Content-Security-Policy allowing this origin's scripts and styles only,
 *   no framing, no sniffing, no caching of pages;
 * - the Host header: a loopback name only (DNS rebinding) in the login-free local mode, and
 *   on a loopback address without `--trust-proxy` with a login too;
 * - another site's request (`Sec-Fetch-Site` cross-site or same-site, or without it an
 *   Origin or Referer naming another host: a link, an image, a form or a script on its
 *   page) runs nothing and opens no session: a link followed (a top-level navigation)
 *   gets a page that leads on, anything else 403 (other-site);
 * - the session: its cookie, or the login page (a fragment or event stream gets 401, a form
 *   sent once it ended a page saying nothing was done, with a link to sign in and come back);
 *   in the local mode every visitor is the local user and gets a session at once, but a
 *   request relayed by a reverse proxy is refused (client-address `relayed`); a
 *   session the logins no longer admit (made before a login appeared, or its user's
 *   login removed or changed since) has ended;
 * - every state-changing request: an `Origin` equal to this server's, scheme included (a
 *   missing one is refused too; origin-check), and the session's CSRF token (`_csrf` field
 *   or `x-csrf-token` header).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { relayed } from './client-address.js';
import { sessionEndedPage } from './gate-pages.js';
import { isLoopbackHostHeader } from '../shared/loopback.js';
import { originRefusal, sameOrigin } from './origin-check.js';
import { otherSiteAnswer } from './other-site.js';
import { SESSION_COOKIE, csrfMatches, type Session } from './sessions.js';
import type { WebEnv, WebState } from './state.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/** Security headers on every answer. */
export function securityHeaders(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  };
}

/**
 * Refuses a Host that is not loopback (`localhost`, `[::1]` or a 127.0.0.0/8 address, the
 * one `--host` bound included, `127.0.0.2`) in the local mode, and with a login too on a
 * loopback address without `--trust-proxy` (no proxy in front names the dashboard): a
 * rebinding page would otherwise try sign-ins, and lock the local user out. A name is never
 * resolved: only these literal names pass, so a rebinding attacker's name does not.
 */
export function hostCheck(state: WebState): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const loopbackOnly = !state.logins.required() || (state.options.loopback && state.trusted.entries.length === 0);
    if (loopbackOnly && !isLoopbackHostHeader(c.req.header('host') ?? '')) {
      return c.text('This dashboard answers on a loopback address only (127.0.0.1 or localhost).', 421);
    }
    return next();
  };
}

/**
 * Whether the browser reached the dashboard over HTTPS: served so, or through a TLS reverse
 * proxy that says so (`X-Forwarded-Proto: https`, as Nginx Proxy Manager sends). Cookies
 * are then `Secure`. The header is believed without knowing the proxy: a client that
 * forges it only makes its own cookie stricter.
 */
export function viaHttps(c: Context<WebEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return (c.req.header('x-forwarded-proto') ?? '').split(',')[0]?.trim().toLowerCase() === 'https';
}

/** Sets the session cookie. */
export function setSessionCookie(c: Context<WebEnv>, state: WebState, id: string): void {
  setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: Math.floor(state.sessions.limits.maxAgeMs / 1000), secure: viaHttps(c) });
}

/** Paths served without a session. */
const OPEN = [/^\/login$/, /^\/assets\//, /^\/healthz$/];

/** Where a form sent without a session returns to after signing in: the page it was on (Referer, when this origin's), else `/`. */
function formPage(c: Context<WebEnv>): string {
  const referer = c.req.header('referer');
  if (!referer) return '/';
  try {
    const url = new URL(referer);
    return url.host === c.req.header('host') ? localPath(url.pathname + url.search) : '/';
  } catch {
    return '/';
  }
}

/** Finds the session, or sends to the login page. */
export function sessionCheck(state: WebState): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (OPEN.some((p) => p.test(c.req.path))) return next();
    // Another site's request runs nothing and opens no session (a read can do work: `refresh=true`); a link followed may go on from here.
    const refused = otherSiteAnswer(c, state, localPath(c.req.path + new URL(c.req.url).search));
    if (refused) return refused;
    const cookie = getCookie(c, SESSION_COOKIE);
    const required = state.logins.required();
    // The local mode serves this machine: a reverse proxy would hand the local user's session to anyone who reaches it.
    if (!required && relayed(getConnInfo(c).remote.address, (name) => c.req.header(name), state.trusted)) {
      return c.text('This dashboard has no login, so it serves this machine only, not through a reverse proxy: set one with homelab serve passwd.', 403);
    }
    let session: Session | undefined = state.sessions.get(cookie);
    // A session made without a login, or with a login since removed or changed, has ended.
    if (session && !state.logins.admits(session)) {
      state.sessions.delete(cookie);
      session = undefined;
    }
    if (!session && !required) {
      const created = state.sessions.create(state.options.localUser);
      setSessionCookie(c, state, created.id);
      session = created.session;
    }
    if (!session) {
      const browser = !c.req.header('x-fragment') && !(c.req.header('accept') ?? '').includes('text/event-stream');
      // A form sent once its session ended (or signing out of one): nothing was done, and the page says so.
      if (browser && c.req.method === 'POST') return c.req.path === '/logout' ? c.redirect('/login', 303) : c.html(sessionEndedPage(state, formPage(c)), 401);
      if (!browser || c.req.method !== 'GET') return c.text('Sign in first.', 401);
      const next = c.req.path === '/' ? '' : `?next=${encodeURIComponent(c.req.path + new URL(c.req.url).search)}`;
      return c.redirect(`/login${next}`, 303);
    }
    c.set('session', session);
    return next();
  };
}

/**
 * `next` when it is a path on this server, else `/`: where to send a browser back to after
 * signing in or switching labs. Resolved as a browser would (which drops tabs and line
 * breaks, and reads `/\\x` as `//x`), so nothing that leaves the origin gets through.
 */
export function localPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2000 || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  try {
    const url = new URL(next, 'http://dashboard.invalid');
    const path = `${url.pathname}${url.search}`;
    // `/..//evil.com/x` resolves to the path `//evil.com/x`, which a browser reads as another host.
    return url.origin === 'http://dashboard.invalid' && !/^\/[/\\]/.test(path) ? path : '/';
  } catch {
    return '/';
  }
}

/** The token field of a form (a file or nothing in its place is no token). */
const CSRF_FIELD = z.object({ _csrf: z.string() });

/** Refuses a state-changing request without a same-origin Origin and the session's CSRF token. */
export function csrfCheck(state: WebState): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!sameOrigin(c, state)) return c.text(originRefusal(c, state), 403);
    let form: unknown = {};
    try {
      // Parsed once here (hono keeps it for the route): a body that is not a form is refused before any route reads it.
      form = await c.req.parseBody();
    } catch {
      return c.text('Refused: the form could not be read (a malformed body). Reload the page and try again.', 400);
    }
    // The login form has no session yet: its token is checked by the login route (a cookie of its own).
    if (c.req.path === '/login') return next();
    const session = c.get('session');
    const field = CSRF_FIELD.safeParse(form);
    const submitted = c.req.header('x-csrf-token') ?? (field.success ? field.data._csrf : undefined);
    if (!csrfMatches(session, submitted)) return c.text('Refused: the form has expired or did not come from this dashboard (CSRF token). Reload the page and try again.', 403);
    return next();
  };
}
