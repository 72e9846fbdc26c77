/**
 * @module surfaces/web/overview-routes
 * `/` (the overview), `/fragment/overview` (its body alone) and `/events` (Server-Sent
 * Events: `overview` with the new body whenever what it shows changes; a comment line
 * every 20 s keeps proxies from closing the stream; the stream ends at once when the server
 * stops). Each is the overview of the lab the
 * session looks at; the overview page points its event stream at its own lab
 * (`/events?context=<name>`), so a page keeps following the lab it shows.
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { formText, readQuery } from './form-body.js';
import { h } from './html.js';
import { labNamed, sessionLab } from './lab-choice.js';
import { refusedLab } from './lab-routes.js';
import { LiveStreams } from './live-streams.js';
import { badRequest, userPage } from './page-context.js';
import type { WebEnv, WebState } from './state.js';

/** How often an idle event stream sends a comment line, unless the options say otherwise. */
export const KEEP_ALIVE_MS = 20_000;

/** The event stream's query: the lab it follows, one name (a repeated one is refused: form-body). */
const EVENTS_QUERY = z.object({ context: formText.optional() });

/** Adds the overview's routes. */
export function overviewRoutes(app: Hono<WebEnv>, state: WebState): void {
  app.get('/', async (c) => {
    const lab = sessionLab(c, state);
    const snapshot = await state.feeds.get(lab).current();
    const events = state.labs.several ? `/events?${new URLSearchParams({ context: lab.name }).toString()}` : '/events';
    const body = h`<div id="overview" data-overview-events="${events}" data-context="${lab.name}">${snapshot.html}</div>`;
    return c.html(userPage(c, state, 'Overview', body));
  });

  app.get('/fragment/overview', async (c) => c.html((await state.feeds.get(sessionLab(c, state)).current()).html));

  app.get('/events', (c) => {
    const query = readQuery(c, EVENTS_QUERY);
    if (!query.ok) return badRequest(c, state, query.refused);
    const named = query.values.context;
    const chosen = named === undefined ? { lab: sessionLab(c, state) } : labNamed(state, named);
    if ('refused' in chosen) return refusedLab(c, state, chosen.refused);
    const feed = state.feeds.get(chosen.lab);
    c.header('Cache-Control', 'no-cache');
    return streamSSE(c, async (stream) => {
      const client = new AbortController();
      stream.onAbort(() => client.abort());
      await state.streams.run(async (stop) => {
        const unsubscribe = feed.subscribe((snapshot) => {
          void stream.writeSSE({ event: 'overview', data: String(snapshot.html) }).catch(() => undefined);
        });
        try {
          await stream.writeSSE({ event: 'ready', data: 'subscribed' });
          while (!stop.aborted && !stream.closed) {
            await LiveStreams.pause(state.options.keepAliveMs ?? KEEP_ALIVE_MS, stop);
            if (!stop.aborted) await stream.write(': keep-alive\n\n').catch(() => undefined);
          }
        } finally {
          unsubscribe();
        }
      }, client.signal, c.get('session'));
    });
  });
}
