/**
 * @module surfaces/web/lab-feeds
 * The overview feeds of a dashboard that serves several labs: one `OverviewFeed` per lab
 * (context) that someone looks at, made on first use and kept, so each lab's overview
 * is built from that lab's services and watch state and each event stream follows its
 * own lab. `stopAll` stops every feed's timers when the server closes.
 */
import type { Lab } from '../../core/lab-set.js';
import type { OverviewFeed } from './overview-feed.js';

/** The feeds by lab name. */
export class LabFeeds {
  private readonly feeds = new Map<string, OverviewFeed>();

  /** `make` builds the feed of a lab the first time it is asked for. */
  constructor(private readonly make: (lab: Lab) => OverviewFeed) {}

  /** The feed of `lab` (made now if nobody looked at it yet). */
  get(lab: Lab): OverviewFeed {
    let feed = this.feeds.get(lab.name);
    if (!feed) {
      feed = this.make(lab);
      this.feeds.set(lab.name, feed);
    }
    return feed;
  }

  /** The labs that have a feed (tests, logs). */
  names(): string[] {
    return [...this.feeds.keys()];
  }

  /** Stops every feed's timers. */
  stopAll(): void {
    for (const feed of this.feeds.values()) feed.stop();
  }
}
