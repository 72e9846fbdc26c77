/**
 * The dashboard's event streams over real sockets: a HEAD request starts no stream, on /events or a run's (the
 * server still stops at once after one), a stream whose client does not read is dropped
 * once too much waits for it (not kept, growing, forever), a new stream gets the overview
 * as it is now unless the page already shows it (a page reconnecting after a drop is not
 * left showing the old one), an overview drawn again unchanged sends only its new times, and a stream ends when its
 * session does: signing out, or the session expiring (seen at the next keep-alive).
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineOperation } from '../../../src/core/operation.js';
import { h } from '../../../src/surfaces/web/html.js';
import { LabFeeds } from '../../../src/surfaces/web/lab-feeds.js';
import { OverviewFeed } from '../../../src/surfaces/web/overview-feed.js';
import { hashPassword } from '../../../src/surfaces/web/passwords.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, readEvents, startDashboard, type SseEvent } from './helpers.js';

const lab = useLab({ services: ['pve'] });
const started: WebServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function dashboard(extra: Parameters<typeof startDashboard>[2] = {}): Promise<WebServer> {
  const server = await startDashboard(lab.current, 'read', extra);
  started.push(server);
  return server;
}

/** `promise`, or `'still waiting'` after `ms`: a hang detector, not a timing. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<'still waiting'>((resolve) => { timer = setTimeout(() => resolve('still waiting'), ms); })]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it holds or `ms` pass; answers whether it held. */
async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (check()) return true;
  return check();
}

describe('HEAD on an event stream', () => {
  it('answers with the headers alone, starts no stream, and the server still stops at once', async () => {
    const server = await dashboard();
    const client = new WebClient(server.url);
    await client.get('/');
    const head = await fetch(`${server.url}/events`, { method: 'HEAD', headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('text/event-stream');
    expect(server.state.streams.open).toBe(0);
    started.splice(started.indexOf(server), 1);
    expect(await within(server.close().then(() => 'closed'), 10_000)).toBe('closed');
  });
});

describe('HEAD on a run\'s event stream', () => {
  it('answers with the headers alone and follows nothing of the run', async () => {
    const server = await dashboard();
    const client = new WebClient(server.url);
    await client.get('/');
    let finish!: () => void;
    const slow = defineOperation({ id: 'demo.wait', summary: 'Wait', input: z.object({}), risk: 'read', run: () => new Promise<object>((resolve) => { finish = () => resolve({}); }) });
    const run = server.state.runs.start(slow, {}, 'tester', [], 'default');
    expect(run.state).toBe('running');
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const head = await fetch(`${server.url}/runs/${run.id}/events`, { method: 'HEAD', headers: { cookie } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('text/event-stream');
    expect(server.state.streams.open).toBe(0);
    expect(run.events.listenerCount('progress') + run.events.listenerCount('done')).toBe(0);
    // The same request as a GET does follow it (so the HEAD above was answered by the route, not refused).
    const reading = readEvents(client, `/runs/${run.id}/events`, (e) => e.event === 'done');
    expect(await eventually(() => server.state.streams.open === 1)).toBe(true);
    finish();
    expect((await reading).map((e) => e.event)).toEqual(['done']);
  });
});

describe('a stream whose client does not read', () => {
  it('is dropped with its connection once too much waits for it', async () => {
    // A keep-alive an hour away: only the bound on what waits can end this stream.
    const server = await dashboard({ keepAliveMs: 3_600_000 });
    let version = 0;
    const big = 'x'.repeat(64 * 1024);
    const feed = new OverviewFeed({
      build: () => Promise.resolve({ html: h`<p>${big}${String(++version)}</p>`, key: String(version), alerts: '', at: Date.now() }),
      alertsKey: () => Promise.resolve(''),
    }, { refreshMs: 3_600_000, alertPollMs: 3_600_000 });
    server.state.feeds = new LabFeeds(() => feed);
    const port = server.port;
    const socket: Socket = connect(port, '127.0.0.1');
    let closed = false;
    socket.on('close', () => { closed = true; });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    // Never read: the kernel's buffers fill, then node's, then what the stream queues.
    socket.pause();
    expect(await eventually(() => server.state.streams.open === 1)).toBe(true);
    // Up to 64 MiB of updates: far past the socket buffers and the 1 MiB bound.
    for (let i = 0; i < 1024 && server.state.streams.open > 0; i++) await feed.refresh();
    expect(server.state.streams.open).toBe(0);
    socket.resume();
    expect(await eventually(() => closed)).toBe(true);
  });
});

describe('a stream that (re)connects', () => {
  it('gets the overview as it is now after ready, unless the page already shows it', async () => {
    const server = await dashboard({ keepAliveMs: 3_600_000 });
    let version = 1;
    const feed = new OverviewFeed({
      build: () => Promise.resolve({ html: h`<p>overview ${String(version)}</p>`, key: String(version), alerts: '', at: Date.now() }),
      alertsKey: () => Promise.resolve(''),
    }, { refreshMs: 3_600_000, alertPollMs: 3_600_000 });
    server.state.feeds = new LabFeeds(() => feed);
    const client = new WebClient(server.url);
    const page = await client.get('/');
    const first = /data-overview-version="([^"]+)"/.exec(page.text)?.[1] as string;
    expect(page.text).toContain('<p>overview 1</p>');
    /** The events of one stream until the first overview, after ready, a refresh to the next version. */
    const follow = (path: string, headers: Record<string, string> = {}): Promise<SseEvent[]> => {
      const reader = new WebClient(server.url, headers);
      for (const [k, v] of client.cookies) reader.cookies.set(k, v);
      return readEvents(reader, path, (e) => e.event === 'overview', async () => {
        version++;
        await feed.refresh();
      });
    };
    // A page that shows the version is sent its moments (the `times` event): not what this test follows.
    const seen = (events: SseEvent[]): Array<[string, string]> => events.filter((e) => e.event !== 'times').map((e) => [e.event, e.data]);
    // The page shows version 1: it gets only what changes after.
    expect(seen(await follow(`/events?shown=${first}`))).toEqual([['ready', 'subscribed'], ['overview', '<p>overview 2</p>']]);
    // A page still showing version 1 (its stream was dropped meanwhile) gets version 2 at once.
    const stale = await readEvents(client, `/events?shown=${first}`, (e) => e.event === 'overview');
    expect(seen(stale)).toEqual([['ready', 'subscribed'], ['overview', '<p>overview 2</p>']]);
    // A stream reconnecting says what it last got (Last-Event-ID, over the page's `shown`): here the newest.
    const again = await follow(`/events?shown=${first}`, { 'last-event-id': stale.find((e) => e.event === 'overview')?.id as string });
    expect(seen(again)).toEqual([['ready', 'subscribed'], ['overview', '<p>overview 3</p>']]);
    expect(seen(await follow('/events', { 'last-event-id': again.find((e) => e.event === 'overview')?.id as string }))).toEqual([['ready', 'subscribed'], ['overview', '<p>overview 4</p>']]);
    // Without either, a stream gets the overview as it is now.
    expect(seen(await readEvents(client, '/events', (e) => e.event === 'overview'))).toEqual([['ready', 'subscribed'], ['overview', '<p>overview 4</p>']]);
  });
});

describe('an overview drawn again unchanged', () => {
  it('sends only its new times, which the page shows in its <time data-time> elements', async () => {
    const server = await dashboard({ keepAliveMs: 3_600_000 });
    // The real overview names its times for the script to find.
    const client = new WebClient(server.url);
    const real = await client.get('/');
    expect(real.text).toMatch(/Checked at <time data-time="checked" datetime="[^"]+Z">\d\d:\d\d:\d\d UTC<\/time>/);
    expect(real.text).toMatch(/Refreshed at <time data-time="refreshed" datetime="[^"]+Z">\d\d:\d\d:\d\d UTC<\/time>/);
    const moments = [Date.UTC(2026, 11, 5, 15, 0, 0), Date.UTC(2026, 11, 5, 15, 1, 0)];
    let drawn = 0;
    const feed = new OverviewFeed({
      build: () => {
        const at = moments[Math.min(drawn++, 1)] as number;
        return Promise.resolve({ html: h`<p>the same</p>`, key: 'same', alerts: '', at, checkedAt: at - 1000 });
      },
      alertsKey: () => Promise.resolve(''),
    }, { refreshMs: 3_600_000, alertPollMs: 3_600_000 });
    server.state.feeds = new LabFeeds(() => feed);
    const page = await client.get('/');
    const shown = /data-overview-version="([^"]+)"/.exec(page.text)?.[1] as string;
    const second = JSON.stringify({ refreshed: '2026-12-05T15:01:00.000Z', checked: '2026-12-05T15:00:59.000Z' });
    const events = await readEvents(client, `/events?shown=${shown}`, (e) => e.data === second, () => feed.refresh().then(() => undefined));
    expect(events[0]).toEqual({ event: 'ready', data: 'subscribed' });
    // Its times as the stream starts (the page may have been drawn a while ago), then the new ones; no overview.
    // The refresh races the stream's first times: when it wins, that first event already carries the new ones.
    expect(events.slice(1).every((e) => e.event === 'times')).toBe(true);
    expect(events.length === 2 || events.length === 3).toBe(true);
    expect(events.at(-1)?.data).toBe(second);
    expect([JSON.stringify({ refreshed: '2026-12-05T15:00:00.000Z', checked: '2026-12-05T14:59:59.000Z' }), second]).toContain(events[1]?.data);
    expect(events.some((e) => e.id !== undefined)).toBe(false);
    // The script writes them into the page's <time> elements.
    const script = await client.get('/assets/app.js');
    expect(script.text).toContain("addEventListener('times'");
    expect(script.text).toContain('time[data-time="');
  });
});

describe('a stream ends with its session', () => {
  it('ends when its browser signs out', async () => {
    const server = await dashboard({ passwords: new Map([['alice', await hashPassword('correct horse battery')]]), keepAliveMs: 3_600_000 });
    const client = new WebClient(server.url);
    expect((await client.signIn('alice', 'correct horse battery')).status).toBe(303);
    const reading = readEvents(client, '/events', () => false, async () => {
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await client.get('/audit')).text)?.[1] ?? '';
      expect((await client.post('/logout', { _csrf: csrf })).status).toBe(303);
    }, 60_000);
    const events = await within(reading, 10_000);
    expect(events).not.toBe('still waiting');
    expect(server.state.streams.open).toBe(0);
  });

  it('ends at the next keep-alive once its session has expired', async () => {
    let clock = Date.now();
    const server = await dashboard({ now: () => clock, sessionLimits: { idleMs: 60_000 }, keepAliveMs: 50 });
    const client = new WebClient(server.url);
    await client.get('/');
    const reading = readEvents(client, '/events', () => false, () => {
      clock += 61_000;
    }, 60_000);
    const events = await within(reading, 10_000);
    expect(events).not.toBe('still waiting');
    expect(server.state.streams.open).toBe(0);
    // The stream was live until then: it had said it was subscribed.
    expect(events !== 'still waiting' && events[0]?.event).toBe('ready');
  });
});
