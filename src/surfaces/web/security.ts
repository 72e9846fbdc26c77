/**
 * @module surfaces/web/security
 * The checks every request passes before a page runs:
 * - headers: a Content-Security-Policy allowing this origin's scripts and styles only,
 *   no framing, no sniffing, no caching of pages;
 * - the Host header: in the login-free local mode only a loopback name (DNS rebinding);
 * - the session: its cookie, or the login page (a fragment or event stream gets 401);
 *   in the local mode every visitor is the local user and gets a session at once, but a
 *   request relayed by a reverse proxy is refused (client-address `relayed`); a
 *   session the logins no longer admit (made before a login appeared, or its user's
 *   login removed or changed since) has ended;
 * - every state-changing request: an `Origin` equal to this server's (a missing one is
 *   refused too) and the session's CSRF token (`_csrf` field or `x-csrf-token` header).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { relayed } from './client-address.js';
import { isLoopbackHostHeader } from './loopback.js';
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
 * In the local mode, refuses a Host that is not loopback: `localhost`, `[::1]` or a
 * 127.0.0.0/8 address (the one `--host` bound included, `127.0.0.2`). A name is never
 * resolved: only these literal names pass, so a rebinding attacker's name does not.
 */
export function hostCheck(state: WebState): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (!state.logins.required() && !isLoopbackHostHeader(c.req.header('host') ?? '')) {
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

/** Finds the session, or sends to the login page. */
export function sessionCheck(state: WebState): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (OPEN.some((p) => p.test(c.req.path))) return next();
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
      const wantsPage = c.req.method === 'GET' && !c.req.header('x-fragment') && !(c.req.header('accept') ?? '').includes('text/event-stream');
      if (!wantsPage) return c.text('Sign in first.', 401);
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

/** Whether the request's Origin is this server's own. */
export function sameOrigin(c: Context<WebEnv>): boolean {
  const origin = c.req.header('origin');
  const host = c.req.header('host');
  if (!origin || !host || origin === 'null') return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The token field of a form (a file or nothing in its place is no token). */
const CSRF_FIELD = z.object({ _csrf: z.string() });

/** Refuses a state-changing request without a same-origin Origin and the session's CSRF token. */
export function csrfCheck(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!sameOrigin(c)) return c.text('Refused: the request does not come from this dashboard (Origin).', 403);
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
