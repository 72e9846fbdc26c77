/**
 * @module surfaces/mcp/kept-runs
 * The recent runs of the tools that answer a list a page at a time, kept so that the pages
 * after the first come from the same run: a call with an `offset` whose operation, lab and
 * input match a run of the last `KEPT_MS` (60 s) is answered from it (paging through a
 * `check` of two thousand guests runs it once, and no page shifts when the lab changes
 * meanwhile). A call without an offset (or with offset 0) always runs, and is kept in its
 * place. A change or danger call, whatever its end, clears them all (`clear`): their pages
 * would show the lab as it was before it, and a run under way meanwhile is not kept either.
 * A run that failed without a result is not kept. One server (one client connection) keeps
 * its own, at most `MAX_KEPT` of them.
 */

/** How long a run answers the pages after its first. */
export const KEPT_MS = 60_000;
/** The most runs one server keeps. */
export const MAX_KEPT = 8;

/** How a run ended: its result, or the error it threw (which carries a result: findings, a partial failure). */
export type RunEnd = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A kept run and when it started. */
export interface KeptRun {
  end: RunEnd;
  at: number;
}

/** The kept runs of one server. */
export class KeptRuns {
  private readonly runs = new Map<string, KeptRun>();
  private clears = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The key of a run: the operation, the lab and the input (as parsed: its defaults filled in). */
  static key(op: string, lab: string, input: Record<string, unknown>): string {
    return JSON.stringify([op, lab, input]);
  }

  /** The run kept under `key` while it is recent. */
  recent(key: string): KeptRun | undefined {
    const run = this.runs.get(key);
    if (run && this.now() - run.at < KEPT_MS) return run;
    this.runs.delete(key);
    return undefined;
  }

  /** Forgets every kept run (after a call that may have changed the lab). */
  clear(): void {
    this.runs.clear();
    this.clears++;
  }

  /** How many times the runs were cleared: a run that started before a clear is not kept after it (`keep`). */
  get generation(): number {
    return this.clears;
  }

  /** Keeps `run` under `key` (the oldest goes past `MAX_KEPT`), unless cleared since `generation` (when it started). */
  keep(key: string, run: KeptRun, generation = this.clears): void {
    if (generation !== this.clears) return;
    this.runs.delete(key);
    this.runs.set(key, run);
    for (const old of this.runs.keys()) {
      if (this.runs.size <= MAX_KEPT) break;
      this.runs.delete(old);
    }
  }
}
