/**
 * @module surfaces/web/overview-feed
 * Keeps the overview fresh for the pages that show it: a full refresh every
 * `refreshMs`, and a cheap look at the watch state every `alertPollMs` (the watch
 * engine, in the bot or `homelab watch`, writes alerts there) that refreshes at once
 * when an alert starts, stops or changes state. Subscribers (the overview's
 * Server-Sent Events) are told the overview when what it shows has changed, else (when
 * they ask) that it was drawn again the same (its times moved on). The timers run only
 * while someone is subscribed; one refresh runs at a time.
 */
import type { OverviewSnapshot } from './overview.js';

/** Where the feed gets its data. */
export interface FeedSource {
  build(): Promise<OverviewSnapshot>;
  /** The alerts as they are now, in the form `OverviewSnapshot.alerts` has them. */
  alertsKey(): Promise<string>;
}

/** Periods of the feed. */
export interface FeedTiming {
  refreshMs: number;
  alertPollMs: number;
}

/** The overview's refresher. */
export class OverviewFeed {
  private snapshot: OverviewSnapshot | undefined;
  private building: Promise<OverviewSnapshot> | undefined;
  private readonly listeners = new Set<{ changed: (s: OverviewSnapshot) => void; same?: ((s: OverviewSnapshot) => void) | undefined }>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly source: FeedSource, private readonly timing: FeedTiming) {}

  /** The latest overview, rebuilt when older than the refresh period. */
  async current(): Promise<OverviewSnapshot> {
    if (this.snapshot && Date.now() - this.snapshot.at < this.timing.refreshMs) return this.snapshot;
    return this.refresh();
  }

  /** Rebuilds now (joining a rebuild under way) and tells subscribers if it changed. */
  refresh(): Promise<OverviewSnapshot> {
    this.building ??= this.source.build().then((next) => {
      const changed = next.key !== this.snapshot?.key;
      this.snapshot = next;
      for (const l of this.listeners) (changed ? l.changed : l.same)?.(next);
      return next;
    }).finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  /** Calls `listener` with each changed overview, and `same` with each drawn again unchanged; returns the unsubscriber. */
  subscribe(listener: (s: OverviewSnapshot) => void, same?: (s: OverviewSnapshot) => void): () => void {
    const entry = { changed: listener, same };
    this.listeners.add(entry);
    if (this.timers.length === 0) this.startTimers();
    return () => {
      this.listeners.delete(entry);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Stops the timers. */
  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private startTimers(): void {
    const quiet = (p: Promise<unknown>): void => void p.catch(() => undefined);
    this.timers.push(setInterval(() => quiet(this.refresh()), this.timing.refreshMs));
    this.timers.push(setInterval(() => quiet(this.pollAlerts()), this.timing.alertPollMs));
    for (const t of this.timers) t.unref();
  }

  private async pollAlerts(): Promise<void> {
    if (this.building) return;
    const key = await this.source.alertsKey();
    // Compared with what the overview shows, so a change between two polls is never missed.
    if (!this.snapshot || key !== this.snapshot.alerts) await this.refresh();
  }
}
