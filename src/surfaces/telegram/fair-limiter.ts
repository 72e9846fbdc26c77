/**
 * @module surfaces/telegram/fair-limiter
 * How many commands the bot works on at once. A burst (200 commands in a second) is
 * started a few at a time, taken from the waiting chats in turn, so the bot never holds
 * every answer in memory at once and one chat's pile of commands cannot starve the
 * others. A command still running after `holdMs` gives its place back: it is waiting on
 * a slow service, not working, and must never hold up anyone else.
 */

/** Limits work started at once, round robin over keys (chats). */
export class FairLimiter {
  private active = 0;
  /** Waiting work per key; the Map's order is the turn order. */
  private readonly queues = new Map<number, (() => void)[]>();

  constructor(
    private readonly limit: number,
    private readonly holdMs: number,
  ) {}

  /** Commands waiting for their turn. */
  get waiting(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /** Runs `work` when it is `key`'s turn; settles as `work` does. */
  async run<T>(key: number, work: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.active--;
      this.next();
    };
    const timer = setTimeout(release, this.holdMs);
    timer.unref();
    try {
      return await work();
    } finally {
      release();
    }
  }

  private acquire(key: number): Promise<void> {
    if (this.active < this.limit && this.queues.size === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.queues.get(key);
      if (queue) queue.push(resolve);
      else this.queues.set(key, [resolve]);
    });
  }

  /** Starts waiting work while there is room: the first chat in line, which then goes to the back. */
  private next(): void {
    while (this.active < this.limit) {
      const first = this.queues.entries().next();
      if (first.done) return;
      const [key, queue] = first.value;
      const start = queue.shift();
      this.queues.delete(key);
      if (queue.length) this.queues.set(key, queue);
      if (!start) continue;
      this.active++;
      start();
    }
  }
}
