/**
 * @module surfaces/web/method-check
 * A request whose method the dashboard does not serve on a path it knows (`PUT /`,
 * `GET /logout`) is 405 with `Allow` listing the ones it does (GET serves HEAD too),
 * before any other check; a path no route serves goes on to its 404.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { WebEnv } from './state.js';

/** The methods the app serves `path` with (GET serves HEAD too); none for a path it does not serve. */
function methodsOf(app: Hono<WebEnv>, path: string): string[] {
  const methods = [...new Set(app.routes.map((r) => r.method).filter((m) => m !== 'ALL'))];
  // A route's own method, not a middleware's (`app.use` is ALL): a path only middleware matches is not served.
  return methods.filter((m) => app.router.match(m, path)[0].some(([[, route]]) => route.method === m));
}

/** Answers a method the app does not serve a known path with: 405 and `Allow` (an unknown path goes on to its 404). */
export function methodCheck(app: Hono<WebEnv>): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const served = methodsOf(app, c.req.path);
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (served.length === 0 || served.includes(method)) return next();
    const allow = served.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');
    return c.text(`Method ${c.req.method} is not allowed here (${allow}).`, 405, { Allow: allow });
  };
}
