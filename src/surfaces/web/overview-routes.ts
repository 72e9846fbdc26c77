/**
 * @module surfaces/web/overview-routes
 * `/` (the overview), `/fragment/overview` (its body alone) and `/events` (Server-Sent
 * Events: `overview` with the new body whenever what it shows changes; a comment line
 * every 20 s keeps proxies from closing the stream; the stream ends at once when the server
 * stops or its session ends, and a stream that does not drain is dropped: live-streams; a
 * HEAD request starts none: event-stream). Each is the overview of the lab the
 * session looks at; the overview page points its event stream at its own lab
 * (`/events?context=<name>`), so a page keeps following the lab it shows.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { eventStream } from './event-stream.js';
import { formText, readQuery } from './form-body.js';
import { h } from './html.js';
import { labNamed, sessionLab } from './lab-choice.js';
import { refusedLab } from './lab-routes.js';
import { LiveStreams } from './live-streams.js';
import { badRequest, userPage } from './page-context.js';
import type { WebEnv, WebState } from './state.js';

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
    return eventStream(c, state, async (sink, stop) => {
      // Each changed overview is queued behind the ones before it: a stream that does not take them is dropped (event-sink).
      const unsubscribe = feed.subscribe((snapshot) => void sink.send({ event: 'overview', data: String(snapshot.html) }));
      try {
        await sink.send({ event: 'ready', data: 'subscribed' });
        await LiveStreams.until(stop);
      } finally {
        unsubscribe();
      }
    });
  });
}
