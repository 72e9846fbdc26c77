/**
 * @module surfaces/web/live-streams
 * The event streams a dashboard has open (the overview's, a run's), so that stopping the
 * server ends them at once: each stream's loop is tracked, its waits (the keep-alive
 * pause, waiting for a run's next note) end when its client goes or the server stops,
 * and `closeAll` resolves once every loop has returned. Without it a loop asleep in its
 * 20 s keep-alive kept a stopping `homelab serve` alive that long. A stream also ends
 * when the session it was opened for does (the password file changed: logins).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Session } from './sessions.js';

/** The open streams of one server. */
export class LiveStreams {
  private readonly stopping = new AbortController();
  private readonly loops = new Map<Promise<void>, { session: Session | undefined; end: AbortController }>();

  /** Aborted when the server stops. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** How many stream loops are running. */
  get open(): number {
    return this.loops.size;
  }

  /**
   * Runs a stream's loop for `session` (its viewer); `closeAll` waits for it, `endWhere`
   * may end it. A loop started after `closeAll` ends at once.
   */
  async run(loop: (stop: AbortSignal) => Promise<void>, client: AbortSignal, session?: Session): Promise<void> {
    const end = new AbortController();
    const stop = AbortSignal.any([this.stopping.signal, client, end.signal]);
    if (stop.aborted) return;
    const running = loop(stop).catch(() => undefined);
    this.loops.set(running, { session, end });
    try {
      await running;
    } finally {
      this.loops.delete(running);
    }
  }

  /** Waits `ms`, or less when `stop` is aborted first (never rejects). */
  static async pause(ms: number, stop: AbortSignal): Promise<void> {
    await sleep(ms, undefined, { signal: stop }).catch(() => undefined);
  }

  /** Ends the streams of the sessions `ends` names (a session the logins no longer admit). */
  endWhere(ends: (session: Session) => boolean): void {
    for (const { session, end } of this.loops.values()) if (session && ends(session)) end.abort();
  }

  /** Ends every stream loop; resolves once they have all returned. */
  async closeAll(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.loops.keys()]);
  }
}
