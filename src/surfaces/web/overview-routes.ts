/**
 * @module surfaces/web/overview-routes
 * `/` (the overview), `/fragment/overview` (its body alone) and `/events` (Server-Sent
 * Events: `overview` with the new body whenever what it shows changes; a comment line
 * every 20 s keeps proxies from closing the stream).
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { h } from './html.js';
import { userPage } from './page-context.js';
import type { WebEnv, WebState } from './state.js';

/** Adds the overview's routes. */
export function overviewRoutes(app: Hono<WebEnv>, state: WebState): void {
  app.get('/', async (c) => {
    const snapshot = await state.feed.current();
    const body = h`<div id="overview" data-overview-events="/events">${snapshot.html}</div>`;
    return c.html(userPage(c, state, 'Overview', body));
  });

  app.get('/fragment/overview', async (c) => c.html((await state.feed.current()).html));

  app.get('/events', (c) => {
    c.header('Cache-Control', 'no-cache');
    return streamSSE(c, async (stream) => {
      const unsubscribe = state.feed.subscribe((snapshot) => {
        void stream.writeSSE({ event: 'overview', data: String(snapshot.html) }).catch(() => undefined);
      });
      stream.onAbort(unsubscribe);
      await stream.writeSSE({ event: 'ready', data: 'subscribed' });
      while (!stream.aborted && !stream.closed) {
        await stream.sleep(20_000);
        if (!stream.aborted) await stream.write(': keep-alive\n\n').catch(() => undefined);
      }
      unsubscribe();
    });
  });
}
