/**
 * @module surfaces/web/live-streams
 * The event streams a dashboard has open (the overview's, a run's). Each stream's loop is
 * tracked and writes through an `EventSink` (event-sink), so that:
 * - stopping the server ends them at once: a loop's waits and writes end when its client
 *   goes, the server stops or the stream is ended, and `closeAll` resolves once every loop
 *   has returned (a loop never waits on a write nobody reads);
 * - every `keepAliveMs` (20 s) each stream gets a comment line, which keeps proxies from
 *   closing it, unless its session has ended (signed out, expired, pushed out: `alive`),
 *   which ends the stream; a stream that has not taken what it was sent by the previous
 *   beat does not drain and is dropped with its connection, as is one with more than a
 *   bound of bytes waiting (event-sink);
 * - `endWhere` ends the streams of the sessions it names (signing out, a changed password
 *   file: logins).
 */
import type { Session } from './sessions.js';
import { EventSink, whenAborted, type SseWriter } from './event-sink.js';

/** How often an idle event stream sends a comment line, unless the options say otherwise. */
export const KEEP_ALIVE_MS = 20_000;

/** How the streams are kept. */
export interface StreamOptions {
  /** Period of the keep-alive beat (default 20 s). */
  keepAliveMs?: number;
  /** Whether a session is still open: a stream of one that is not ends at the next beat. */
  alive: (session: Session) => boolean;
  /** Bytes waiting in one stream past which it is dropped (event-sink's default). */
  maxUnsentBytes?: number;
}

/** One stream: its writer, and `cut`, which closes its connection. */
export interface StreamTarget extends SseWriter {
  cut(): void;
}

interface Loop {
  session: Session | undefined;
  end: AbortController;
  sink: EventSink;
}

/** The open streams of one server. */
export class LiveStreams {
  private readonly stopping = new AbortController();
  private readonly loops = new Map<Promise<void>, Loop>();
  private beat: NodeJS.Timeout | undefined;

  constructor(private readonly options: StreamOptions) {}

  /** Aborted when the server stops. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** How many stream loops are running. */
  get open(): number {
    return this.loops.size;
  }

  /**
   * Runs a stream's loop for `session` (its viewer) over `target`; `closeAll` waits for it,
   * the keep-alive and `endWhere` may end it. The loop gets the sink it writes through and
   * its stop signal. A loop started after `closeAll` ends at once.
   */
  async run(target: StreamTarget, loop: (sink: EventSink, stop: AbortSignal) => Promise<void>, client: AbortSignal, session?: Session): Promise<void> {
    const end = new AbortController();
    const stop = AbortSignal.any([this.stopping.signal, client, end.signal]);
    if (stop.aborted) return;
    const sink = new EventSink(target, stop, () => {
      end.abort();
      target.cut();
    }, this.options.maxUnsentBytes);
    const running = loop(sink, stop).catch(() => undefined);
    this.loops.set(running, { session, end, sink });
    this.beat ??= setInterval(() => this.keepAlive(), this.options.keepAliveMs ?? KEEP_ALIVE_MS).unref();
    try {
      await running;
    } finally {
      this.loops.delete(running);
      if (this.loops.size === 0) this.stopBeat();
    }
  }

  /** Resolves when `stop` is aborted (never rejects). */
  static until(stop: AbortSignal): Promise<void> {
    return whenAborted(stop);
  }

  /** Ends the streams of the sessions `ends` names (signed out, or no longer admitted by the logins). */
  endWhere(ends: (session: Session) => boolean): void {
    for (const { session, end } of this.loops.values()) if (session && ends(session)) end.abort();
  }

  /** Ends every stream loop; resolves once they have all returned. */
  async closeAll(): Promise<void> {
    this.stopping.abort();
    this.stopBeat();
    await Promise.all([...this.loops.keys()]);
  }

  private keepAlive(): void {
    for (const { session, end, sink } of this.loops.values()) {
      if (session && !this.options.alive(session)) end.abort();
      else if (sink.stalled()) sink.drop();
      else void sink.comment('keep-alive');
    }
  }

  private stopBeat(): void {
    if (this.beat) clearInterval(this.beat);
    this.beat = undefined;
  }
}
