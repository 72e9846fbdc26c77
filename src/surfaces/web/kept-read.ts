/**
 * @module surfaces/web/kept-read
 * A read whose answer is kept for a period: the overview's consistency check, which
 * reads every guest's config, runs once per period (default 5 min) however often the
 * rest of the overview is refreshed. One read at a time: a caller while it runs joins it.
 * An answer the caller says is a failure (`keeps` false: the check could not run) is
 * given to the callers of that read but not kept: the next one reads again.
 */

/** An answer and when the read that made it started (ms since the epoch). */
export interface Kept<T> {
  value: T;
  at: number;
}

/** The default period of the overview's consistency check. */
export const CHECK_PERIOD_MS = 5 * 60_000;

/** One kept read. */
export class KeptRead<T> {
  private kept: Kept<T> | undefined;
  private running: Promise<Kept<T>> | undefined;

  /** `periodMs`: how long an answer is reused (0: never). */
  constructor(private readonly periodMs: number, private readonly now: () => number = Date.now) {}

  /** The kept answer while it is younger than the period, else `read`'s (joining one under way), kept when `keeps` says so. */
  get(read: () => Promise<T>, keeps: (value: T) => boolean = () => true): Promise<Kept<T>> {
    if (this.kept && this.now() - this.kept.at < this.periodMs) return Promise.resolve(this.kept);
    const at = this.now();
    this.running ??= read().then((value) => {
      const answer = { value, at };
      this.kept = keeps(value) ? answer : undefined;
      return answer;
    }).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
