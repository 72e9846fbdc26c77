/**
 * @module surfaces/web/event-sink
 * Writing to one Server-Sent Events stream without ever waiting on a reader that is gone.
 * hono's stream accepts a write once its connection has taken the bytes before; a client
 * that stops reading (or a body nobody reads) leaves every later write waiting, and each
 * overview update (~40 KB) queued behind them. So a write here waits for the stream's stop
 * signal as well (the server stopping, the client leaving, the session ending), the bytes
 * written and not yet taken are counted, and a write that finds more than `maxUnsentBytes`
 * already waiting drops the stream (`drop`: its loop ends and its connection is cut); a
 * single event larger than that, sent when nothing waits, still goes. `stalled` tells the keep-alive
 * (live-streams) whether what was written by its previous beat is still not taken.
 */
import type { SSEMessage } from 'hono/streaming';

/** The part of hono's SSE stream a sink writes to. */
export interface SseWriter {
  writeSSE(message: SSEMessage): Promise<void>;
  write(text: string): Promise<unknown>;
}

/** Bytes written to one stream and not yet taken by its connection, past which its next write drops it (1 MiB: some 25 overview updates). */
export const MAX_UNSENT_BYTES = 1024 * 1024;

/** Resolves when `signal` is aborted (at once if it is). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** One stream's writer: bounded, and never waiting past `stop`. */
export class EventSink {
  /** Bytes handed to the stream, and bytes it has taken (writes complete in order). */
  private handed = 0;
  private taken = 0;
  /** `handed` at the previous keep-alive beat. */
  private mark = 0;
  private dropped = false;
  private readonly stopped: Promise<void>;

  constructor(
    private readonly stream: SseWriter,
    private readonly stop: AbortSignal,
    private readonly onDrop: () => void,
    private readonly maxUnsentBytes = MAX_UNSENT_BYTES,
  ) {
    this.stopped = whenAborted(stop);
  }

  /** Sends an event; resolves once written or stopped, whichever comes first: false when the stream is over. */
  send(message: SSEMessage): Promise<boolean> {
    // `event:`, `id:` and a `data:` per line: an estimate is enough for a bound.
    const size = Buffer.byteLength(String(message.data)) + 64 + 6 * String(message.data).split('\n').length;
    return this.put(size, () => this.stream.writeSSE(message));
  }

  /** Sends a comment line (`: text`), which an EventSource ignores: a keep-alive. */
  comment(text: string): Promise<boolean> {
    const line = `: ${text}\n\n`;
    return this.put(Buffer.byteLength(line), () => this.stream.write(line));
  }

  /** Whether the stream has been dropped. */
  get isDropped(): boolean {
    return this.dropped;
  }

  /** Whether something handed to the stream by the previous call of `stalled` is still not taken; marks what is handed now. */
  stalled(): boolean {
    const stuck = this.taken < this.mark;
    this.mark = this.handed;
    return stuck;
  }

  /** Ends the stream and cuts its connection (once). */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.onDrop();
  }

  private async put(size: number, write: () => Promise<unknown>): Promise<boolean> {
    if (this.stop.aborted || this.dropped) return false;
    // What already waits decides, not this message: one large event (a run's result) still reaches a reader that keeps up.
    if (this.handed - this.taken > this.maxUnsentBytes) {
      this.drop();
      return false;
    }
    this.handed += size;
    const written = write().catch(() => undefined).finally(() => { this.taken += size; });
    await Promise.race([written, this.stopped]);
    return !this.stop.aborted && !this.dropped;
  }
}
