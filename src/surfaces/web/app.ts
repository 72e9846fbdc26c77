/**
 * @module surfaces/web/app
 * The dashboard as a Hono app: the security checks first (host, headers, method (405), session,
 * Origin and CSRF on every state-changing request, a small body limit), then the
 * routes (the icon and assets before the session check): sign-in, the lab selector, overview and its events, service pages, operation pages, the
 * confirmation and run pages, the audit log, and the assets served from the package.
 * Any error a route throws becomes a plain 500 page without details (logged redacted).
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { redact } from '../../core/redact.js';
import { APP_CSS, APP_JS, FAVICON_SVG } from './assets.js';
import { auditRoutes } from './audit-page.js';
import { authRoutes } from './auth-routes.js';
import { pictureAssets } from './chart-slot.js';
import { labRoutes } from './lab-routes.js';
import { operationRoutes } from './operation-routes.js';
import { overviewRoutes } from './overview-routes.js';
import { runRoutes } from './run-routes.js';
import { methodCheck } from './method-check.js';
import { csrfCheck, hostCheck, securityHeaders, sessionCheck } from './security.js';
import { servicePageRoutes } from './service-page.js';
import type { WebEnv, WebState } from './state.js';

/** Builds the app over shared state. */
export function createWebApp(state: WebState): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use('*', hostCheck(state));
  app.use('*', securityHeaders());
  app.use('*', methodCheck(app));
  app.use('*', bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.text('Request body too large.', 413) }));
  app.get('/healthz', (c) => c.text('ok'));
  app.get('/assets/app.js', (c) => c.body(APP_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }));
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(path, (c) => c.body(FAVICON_SVG, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=86400' }));
  }
  app.get('/assets/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }));
  app.get('/assets/:name', (c) => {
    const asset = pictureAssets.find((a) => a.name === c.req.param('name'));
    if (!asset) return c.text('Not found.', 404);
    const body = asset.body();
    return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, { 'Content-Type': asset.type, 'Cache-Control': 'max-age=3600' });
  });
  app.use('*', sessionCheck(state));
  // A lab added to config.yaml since the start is served from the next request on (lab-names).
  app.use('*', async (_c, next) => {
    state.labNames.refresh();
    await next();
  });
  app.use('*', csrfCheck(state));
  authRoutes(app, state);
  labRoutes(app, state);
  overviewRoutes(app, state);
  servicePageRoutes(app, state);
  operationRoutes(app, state);
  runRoutes(app, state);
  auditRoutes(app, state);
  app.notFound((c) => c.text('Not found.', 404));
  app.onError((err, c) => {
    state.options.log(`request ${c.req.method} ${c.req.path} failed: ${redact(err.message)}`);
    return c.text('Something went wrong on the server; the log has the details.', 500);
  });
  return app;
}
