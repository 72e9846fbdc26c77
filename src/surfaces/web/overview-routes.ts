/**
 * @module surfaces/web/overview-routes
 * `/` (the overview), `/fragment/overview` (its body alone) and `/events` (Server-Sent
 * Events: `overview` with the new body whenever what it shows changes, `times` with its
 * moments (JSON: `timesOf`) when it was drawn again unchanged or the page shows it; a comment line
 * every 20 s keeps proxies from closing the stream; the stream ends at once when the server
 * stops or its session ends, and a stream that does not drain is dropped: live-streams; a
 * HEAD request starts none: event-stream). Each is the overview of the lab the
 * session looks at; the overview page points its event stream at its own lab
 * (`/events?context=<name>`), so a page keeps following the lab it shows.
 *
 * Updates are sent only on change, so a page that reconnects (its stream dropped, the
 * dashboard restarted) would keep what it showed before. So each overview event's id is the
 * version it draws (`versionOf`), the page names the version it was drawn with
 * (`data-overview-version`, sent as `?shown=`), and a new stream sends the overview as it is
 * now after `ready` unless the browser already shows it: the `Last-Event-ID` of a stream
 * reconnecting, else `shown`.
 */
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { z } from 'zod';
import { eventStream } from './event-stream.js';
import { formText, readQuery } from './form-body.js';
import { h } from './html.js';
import { labNamed, sessionLab } from './lab-choice.js';
import { refusedLab } from './lab-routes.js';
import { LiveStreams } from './live-streams.js';
import { badRequest, userPage } from './page-context.js';
import { timesOf, type OverviewSnapshot } from './overview.js';
import type { WebEnv, WebState } from './state.js';

/** The event stream's query: the lab it follows, one name (a repeated one is refused: form-body), and the version the page shows. */
const EVENTS_QUERY = z.object({ context: formText.optional(), shown: formText.optional() });

/** A short name of what an overview shows (its key, hashed): the id of its event. */
export function versionOf(snapshot: OverviewSnapshot): string {
  return createHash('sha256').update(snapshot.key).digest('base64url').slice(0, 16);
}

/** Adds the overview's routes. */
export function overviewRoutes(app: Hono<WebEnv>, state: WebState): void {
  app.get('/', async (c) => {
    const lab = sessionLab(c, state);
    const snapshot = await state.feeds.get(lab).current();
    const events = state.labs.several ? `/events?${new URLSearchParams({ context: lab.name }).toString()}` : '/events';
    const body = h`<div id="overview" data-overview-events="${events}" data-overview-version="${versionOf(snapshot)}" data-context="${lab.name}">${snapshot.html}</div>`;
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
    const shown = c.req.header('last-event-id') ?? query.values.shown;
    return eventStream(c, state, async (sink, stop) => {
      let told = false;
      const send = (snapshot: OverviewSnapshot): Promise<boolean> => sink.send({ event: 'overview', data: String(snapshot.html), id: versionOf(snapshot) });
      // Each changed overview is queued behind the ones before it: a stream that does not take them is dropped (event-sink).
      // No id: the page's last event id stays the version it shows.
      const sendTimes = (snapshot: OverviewSnapshot): Promise<boolean> => sink.send({ event: 'times', data: JSON.stringify(timesOf(snapshot)) });
      const unsubscribe = feed.subscribe((snapshot) => {
        told = true;
        void send(snapshot);
      }, (snapshot) => void sendTimes(snapshot));
      try {
        await sink.send({ event: 'ready', data: 'subscribed' });
        // The overview as it is now, unless the page shows it or a change has been sent meanwhile (newer than this).
        const now = await feed.current().catch(() => undefined);
        if (now && !told) await (versionOf(now) !== shown ? send(now) : sendTimes(now));
        await LiveStreams.until(stop);
      } finally {
        unsubscribe();
      }
    });
  });
}
