/**
 * The bound on one event stream, without a socket in the way: a writer stands for the
 * connection, and whether its writes ever complete is what the test decides. One event
 * larger than the bound still reaches a reader that keeps up (a run's large result); a
 * stream with more than the bound waiting is dropped; and the keep-alive drops a stream
 * whose writes are never taken (a beat's comment still waiting at the next), but never one
 * that reads.
 */
import { describe, expect, it } from 'vitest';
import type { SSEMessage } from 'hono/streaming';
import { EventSink, MAX_UNSENT_BYTES, type SseWriter } from '../../../src/surfaces/web/event-sink.js';
import { LiveStreams, type StreamTarget } from '../../../src/surfaces/web/live-streams.js';

/** A writer whose writes complete at once (`reads`) or never; it counts what it was given. */
function writer(reads: boolean): SseWriter & { messages: SSEMessage[]; comments: number } {
  const pending = (): Promise<void> => (reads ? Promise.resolve() : new Promise<void>(() => undefined));
  const w = {
    messages: [] as SSEMessage[],
    comments: 0,
    writeSSE(message: SSEMessage): Promise<void> {
      w.messages.push(message);
      return pending();
    },
    write(): Promise<unknown> {
      w.comments++;
      return pending();
    },
  };
  return w;
}

describe('EventSink', () => {
  it('sends one event larger than the bound when nothing waits', async () => {
    const out = writer(true);
    let dropped = false;
    const sink = new EventSink(out, new AbortController().signal, () => { dropped = true; });
    const result = 'r'.repeat(MAX_UNSENT_BYTES + 1);
    expect(await sink.send({ event: 'done', data: result })).toBe(true);
    expect(await sink.send({ event: 'done', data: result })).toBe(true);
    expect(dropped).toBe(false);
    expect(out.messages.map((m) => String(m.data).length)).toEqual([result.length, result.length]);
  });

  it('drops the stream when more than the bound already waits, and sends nothing more', async () => {
    const out = writer(false);
    let dropped = 0;
    const stop = new AbortController();
    const sink = new EventSink(out, stop.signal, () => { dropped++; }, 1000);
    // Neither write is taken: each resolves with the stop signal, so the test does not wait on them.
    const first = sink.send({ event: 'overview', data: 'a'.repeat(600) });
    const second = sink.send({ event: 'overview', data: 'b'.repeat(600) });
    expect(dropped).toBe(0);
    expect(await sink.send({ event: 'overview', data: 'c' })).toBe(false);
    expect(dropped).toBe(1);
    expect(sink.isDropped).toBe(true);
    expect(out.messages).toHaveLength(2);
    stop.abort();
    expect(await Promise.all([first, second])).toEqual([false, false]);
  });
});

describe('the keep-alive', () => {
  /** Runs one stream over `out` with a 10 ms beat; resolves with whether it was cut, once its loop returns or after `ms`. */
  async function streamOver(out: SseWriter, ms: number): Promise<{ cut: boolean; open: number; streams: LiveStreams }> {
    const streams = new LiveStreams({ keepAliveMs: 10, alive: () => true });
    let cut = false;
    const target: StreamTarget = { writeSSE: (m) => out.writeSSE(m), write: (t) => out.write(t), cut: () => { cut = true; } };
    const client = new AbortController();
    const running = streams.run(target, (sink, stop) => sink.send({ event: 'ready', data: 'subscribed' }).then(() => LiveStreams.until(stop)), client.signal);
    const timer = setTimeout(() => client.abort(), ms);
    await running;
    clearTimeout(timer);
    return { cut, open: streams.open, streams };
  }

  it('drops a stream whose writes are never taken, with its connection', async () => {
    const out = writer(false);
    const { cut, open } = await streamOver(out, 10_000);
    expect(cut).toBe(true);
    expect(open).toBe(0);
    // The ready event and the first beat's comment were handed over; the stream went at the beat that found them still waiting.
    expect(out.comments).toBeGreaterThanOrEqual(1);
    expect(out.comments).toBeLessThanOrEqual(2);
  });

  it('keeps a stream that takes what it is sent', async () => {
    const out = writer(true);
    const { cut, open } = await streamOver(out, 200);
    expect(cut).toBe(false);
    expect(open).toBe(0);
    expect(out.comments).toBeGreaterThan(3);
  });
});
