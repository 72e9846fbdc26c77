/**
 * @module surfaces/web/auth-routes
 * Signing in and out. The login form carries a token of its own (a short-lived
 * HttpOnly, SameSite=Strict cookie it must match), and the request must come from this
 * origin. Failed sign-ins are rate-limited per client address and user name, more loosely
 * per client address, and a user name guessed from many addresses is slowed (login-limiter;
 * an IPv6 client by its /64; the client's address, from a trusted reverse
 * proxy's X-Forwarded-For: client-address); past a limit the answer is 429 and the password
 * is not even checked. A successful sign-in sets a long-lived, signed "known device" cookie
 * (known-device) that exempts this browser from the name's pause, never from the other limits. The user name is never
 * logged with the password, and the password never appears anywhere. `next` may only
 * be a path on this server. A form whose fields are not one text value each (a file
 * uploaded, a field repeated or missing) is the login page again with one line saying
 * which field (400), no password checked.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { clientAddress } from './client-address.js';
import { formText, readForm, readQuery } from './form-body.js';
import { h, type Html } from './html.js';
import { DEVICE_COOKIE, DEVICE_MAX_AGE_S, KnownDevices, loadDeviceSecret } from './known-device.js';
import { page } from './layout.js';
import { loginMark } from './logins.js';
import { localPath, setSessionCookie, viaHttps } from './security.js';
import { SESSION_COOKIE } from './sessions.js';
import type { WebEnv, WebState } from './state.js';

const LOGIN_COOKIE = 'homelab_login';

/** The login form: one text value for each field; the token is checked against its cookie, `next` by `localPath`. */
const LOGIN_FORM = z.object({ _csrf: formText.optional(), next: formText.optional(), user: formText, password: formText });

/** The login page's query: where to go after signing in. */
const NEXT_QUERY = z.object({ next: formText.optional() });

function tokensMatch(a: string | undefined, b: string | undefined): boolean {
  if (!a || b === undefined) return false;
  // Compared as bytes: text of one length can be bytes of two (`é`), which timingSafeEqual throws on.
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

function loginPage(state: WebState, token: string, next: string, message?: string, user = ''): Html {
  const body = h`<form class="login panel" method="post" action="/login" aria-describedby="${message ? 'login-error' : 'login-note'}">
<p id="login-note" class="help">Sign in to the homelab dashboard.</p>
${message ? h`<p id="login-error" class="error" role="alert">${message}</p>` : ''}
<input type="hidden" name="_csrf" value="${token}"><input type="hidden" name="next" value="${next}">
<div class="field"><label for="user">User name</label><input id="user" name="user" autocomplete="username" required value="${user}"></div>
<div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
<button type="submit">Sign in</button>
</form>`;
  return page({ title: 'Sign in', path: '/login', services: [], allow: state.options.allow }, body);
}

/** Adds `/login` and `/logout`. */
export function authRoutes(app: Hono<WebEnv>, state: WebState): void {
  const { options } = state;
  const devices = new KnownDevices(loadDeviceSecret(options.env, options.log));
  const freshToken = (c: Context<WebEnv>): string => {
    // Keep a token the browser already holds: a second GET /login (the favicon's redirect,
    // another tab) must not invalidate the form on screen.
    const held = getCookie(c, LOGIN_COOKIE);
    const token = held && /^[A-Za-z0-9_-]{32}$/.test(held) ? held : randomBytes(24).toString('base64url');
    setCookie(c, LOGIN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/login', maxAge: 900, secure: viaHttps(c) });
    return token;
  };

  app.get('/login', (c) => {
    if (!state.logins.required()) return c.redirect('/', 303);
    const query = readQuery(c, NEXT_QUERY);
    if (!query.ok) return c.html(loginPage(state, freshToken(c), '/', query.refused), 400);
    return c.html(loginPage(state, freshToken(c), localPath(query.values.next)));
  });

  app.post('/login', async (c) => {
    const users = state.logins.current();
    if (!users) return c.redirect('/', 303);
    const form = await readForm(c, LOGIN_FORM);
    // A file, a repeated field or a missing one: the form again, saying which field, and no password checked.
    if (!form.ok) return c.html(loginPage(state, freshToken(c), '/', form.refused), 400);
    const { _csrf: token, password } = form.values;
    const next = localPath(form.values.next);
    const user = form.values.user.trim();
    if (!tokensMatch(getCookie(c, LOGIN_COOKIE), token)) {
      return c.html(loginPage(state, freshToken(c), next, 'The sign-in form expired. Please try again.', user), 403);
    }
    const peer = getConnInfo(c).remote.address;
    const address = clientAddress(peer, c.req.header('x-forwarded-for'), state.trusted);
    const from = peer && !peer.endsWith(address) ? `${address} (via ${peer})` : address;
    const wait = state.limiter.retryAfterMs(address, user, devices.knows(getCookie(c, DEVICE_COOKIE), user));
    if (wait > 0) {
      options.log(`sign-in refused (rate limit) from ${from}`);
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return c.html(loginPage(state, freshToken(c), next, `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60_000)} min.`, user), 429);
    }
    if (users.size === 0) {
      return c.html(loginPage(state, freshToken(c), next, 'Sign-in is unavailable until the password file is fixed (the server log says why).', user), 503);
    }
    const { verifyPassword } = await import('./passwords.js');
    const hash = users.get(user);
    if (!(await verifyPassword(password, hash))) {
      state.limiter.fail(address, user);
      options.log(`sign-in failed from ${from}`);
      return c.html(loginPage(state, freshToken(c), next, 'Wrong user name or password.', user), 401);
    }
    state.limiter.succeed(address, user);
    deleteCookie(c, LOGIN_COOKIE, { path: '/login' });
    setCookie(c, DEVICE_COOKIE, devices.issue(user), { httpOnly: true, sameSite: 'Strict', path: '/login', maxAge: DEVICE_MAX_AGE_S, secure: viaHttps(c) });
    // The session keeps the mark of the hash checked: a password set again, or the user removed, ends it.
    const { id } = state.sessions.create(user, loginMark(hash));
    setSessionCookie(c, state, id);
    options.log(`${user} signed in from ${from}`);
    return c.redirect(next, 303);
  });

  app.post('/logout', (c) => {
    const session = c.get('session');
    state.sessions.delete(getCookie(c, SESSION_COOKIE));
    // Its live overview and run pages stop too: nothing more is sent to a signed-out browser.
    state.streams.endWhere((s) => s === session);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect(state.logins.required() ? '/login' : '/', 303);
  });
}
