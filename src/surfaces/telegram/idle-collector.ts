/**
 * @module surfaces/telegram/idle-collector
 * Gives memory back after a burst. Under load V8 grows its heap (and its young
 * generation to 32 MiB); in a process that then sits idle, as the bot does between
 * commands, V8 runs no further collection, so the RSS of the peak stays for good
 * (measured: 182 MiB a minute after 200 commands). Once no update has begun or ended
 * for `idleMs` after work that grew the heap, this runs one full collection, which
 * shrinks the heap back; during a burst that grows the heap by 40 MiB it collects at
 * once (at most every 3 s), which keeps the peak down. `gc` is not exposed by default: it is taken from a new context
 * after turning on `--expose-gc` at run time (V8 reads the flag when a context is made).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Options of the idle collector (tests shorten the delay and watch the calls). */
export interface IdleCollectorOptions {
  /** Quiet time after the last update before collecting (default 10 s). */
  idleMs?: number;
  /** Growth since the last collection below which collecting is not worth it (default 8 MiB). */
  minGrowthBytes?: number;
  /** Growth at which a burst is collected without waiting for quiet (default 40 MiB), at most every `busyGapMs` (3 s). */
  busyGrowthBytes?: number;
  busyGapMs?: number;
  /** Runs a full collection (default: V8's `gc`; none means never). */
  collect?: (() => void) | undefined;
  /** The heap's size (default: V8's total heap size). */
  heapSize?: () => number;
  now?: () => number;
}

const MiB = 1024 * 1024;

/** Collects garbage once the bot has been quiet a while after work that grew the heap. */
export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  private readonly o: Required<Omit<IdleCollectorOptions, 'collect'>> & { collect: (() => void) | undefined };
  private baseline: number;
  private lastBusyCollect = -Infinity;

  constructor(options: IdleCollectorOptions = {}) {
    this.o = {
      idleMs: 10_000, minGrowthBytes: 8 * MiB, busyGrowthBytes: 40 * MiB, busyGapMs: 3_000,
      heapSize: () => getHeapStatistics().total_heap_size, now: Date.now,
      ...options,
      collect: 'collect' in options ? options.collect : exposedGc(),
    };
    this.baseline = this.o.heapSize();
  }

  /** Work started: the quiet period starts again. */
  begin(): void {
    this.plan();
  }

  /**
   * Work ended: the quiet period starts again (a command still waiting on a slow service
   * does not keep the collection off; only new work does). A heap grown by a burst is
   * collected at once.
   */
  end(): void {
    this.plan();
    if (this.o.now() - this.lastBusyCollect < this.o.busyGapMs) return;
    if (this.o.heapSize() < this.baseline + this.o.busyGrowthBytes) return;
    this.lastBusyCollect = this.o.now();
    this.run();
  }

  /** Cancels a planned collection. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private plan(): void {
    if (!this.o.collect) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.o.heapSize() >= this.baseline + this.o.minGrowthBytes) this.run();
    }, this.o.idleMs);
    this.timer.unref();
  }

  private run(): void {
    if (!this.o.collect) return;
    this.o.collect();
    this.baseline = this.o.heapSize();
  }
}

/** V8's `gc()`, or undefined where it cannot be had. */
function exposedGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => (gc as () => void)() : undefined;
  } catch {
    return undefined;
  }
}
