/**
 * @module surfaces/web/event-stream
 * The answer of an event-stream route (`/events`, `/runs/<id>/events`): Server-Sent
 * Events whose loop runs under the server's live streams (live-streams), for the request's
 * session. A HEAD request gets the headers alone and starts no stream: nobody would read
 * its body, so its writes would never be taken.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { EventSink } from './event-sink.js';
import type { StreamTarget } from './live-streams.js';
import type { WebEnv, WebState } from './state.js';

/** Answers `c` with an event stream that `loop` writes through its sink until `stop`. */
export function eventStream(c: Context<WebEnv>, state: WebState, loop: (sink: EventSink, stop: AbortSignal) => Promise<void>): Response | Promise<Response> {
  c.header('Cache-Control', 'no-cache');
  if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': 'text/event-stream' });
  const session = c.get('session');
  return streamSSE(c, async (stream) => {
    const client = new AbortController();
    stream.onAbort(() => client.abort());
    const target: StreamTarget = {
      writeSSE: (message) => stream.writeSSE(message),
      write: (text) => stream.write(text),
      cut: () => {
        stream.abort();
        // Without a node connection (app.request in a test) there is nothing more to cut.
        (c.env as Partial<HttpBindings> | undefined)?.outgoing?.destroy();
      },
    };
    await state.streams.run(target, loop, client.signal, session);
  });
}
