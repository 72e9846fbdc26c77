/**
 * @module watch/state
 * Alert state in SQLite (`$HOMELAB_DATA_HOME/watch.sqlite`), so a restart neither loses
 * nor repeats alerts: one row per alert key (whether the condition holds, pending or
 * firing since when, whether the owner was told, recent state changes for flapping),
 * mutes and the maintenance window, an event log for the daily digest, and the last
 * run of each check (with a digest check's findings), and the claims of runs sending
 * notices now (so two processes never send the same one). Read-modify-write
 * transactions are IMMEDIATE: a second process waits for the first (busy timeout)
 * instead of failing with "database is locked"; past the busy timeout, or on a file it may
 * not write, a method fails with one line naming the file (watch/state-file). `openForReading`
 * opens it read-only, for `watch status` and `watch digest`. The tables are in watch/state-schema,
 * the claims' rows in watch/claim-rows, a run's row is read in watch/run-row; a damaged file
 * is moved aside (watch/state-file).
 */
import { join } from 'node:path';
import type { SqliteDatabase } from '../audit/sqlite.js';
import type { Finding } from './check.js';
import { claimHolds, ClaimRows } from './claim-rows.js';
import { toRun, type CheckRun, type RawRun } from './run-row.js';
import { openStateDatabase, readStateDatabase, stateFileError } from './state-file.js';
import { COLUMNS, SCHEMA } from './state-schema.js';

/** The watch database file in the data directory. */
export function watchFile(dataDir: string): string {
  return join(dataDir, 'watch.sqlite');
}

/** Where an alert is in its life. */
export type AlertState = 'pending' | 'firing' | 'ok';

/** One alert row. Times are epoch milliseconds. */
export interface AlertRow {
  key: string;
  check: string;
  message: string;
  severity: Finding['severity'];
  /** The condition held at the last run. */
  present: boolean;
  state: AlertState;
  /** When the current state began (pending: when first seen). */
  since: number;
  firedAt: number | null;
  /** The owner was told it fires (and not yet that it resolved). */
  notified: boolean;
  lastNotified: number | null;
  /** When the condition appeared or disappeared, within the flap window. */
  flaps: number[];
  /** The owner was told it flaps. */
  flapping: boolean;
}

/** What happened to an alert, for the digest and `watch status`. */
export type EventKind = 'fired' | 'resolved' | 'notified' | 'suppressed' | 'flapping';

/** One event. */
export interface WatchEvent {
  time: number;
  check: string;
  key: string;
  kind: EventKind;
  message: string;
}

/** The last run of a check (watch/run-row reads it from its row). */
export type { CheckRun } from './run-row.js';

/** The target of the maintenance window in the mutes table. */
export const MAINTENANCE = '*';

interface RawAlert {
  key: string; check_name: string; message: string; severity: string; present: number; state: string; since: number;
  fired_at: number | null; notified: number; last_notified: number | null; flaps: string; flapping: number;
}

/** Reads and writes the watch database. */
export class WatchStore {
  /** The claims of runs sending notices now (watch/claims). */
  readonly claims: ClaimRows;

  private constructor(
    private readonly db: SqliteDatabase,
    /** The database file, as messages about its rows name it. */
    private readonly file: string,
  ) {
    this.claims = new ClaimRows(db);
  }

  /**
   * Opens (creating) the watch database of a data directory. A damaged file is moved
   * aside and a fresh one created; `warn` (default: stderr) gets one line saying so.
   */
  static async open(dataDir: string, options: { warn?: (line: string) => void } = {}): Promise<WatchStore> {
    const file = watchFile(dataDir);
    return new WatchStore(await openStateDatabase(file, SCHEMA, COLUMNS, warnOf(options)), file);
  }

  /**
   * Opens the watch database of a data directory to read it (`watch status`, `watch digest`):
   * read-only when it is complete, so a read-only file or folder, or a write lock another
   * process holds, does not stop it (watch/state-file). The reads then leave expired mutes
   * and old events where they are (a writer drops them).
   */
  static async openForReading(dataDir: string, options: { warn?: (line: string) => void } = {}): Promise<WatchStore> {
    const file = watchFile(dataDir);
    return new WatchStore(await readStateDatabase(file, SCHEMA, COLUMNS, warnOf(options)), file);
  }

  /** `fn`, a failure to use the file (read-only, busy, full disk) told as one line naming it (watch/state-file). */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw stateFileError(this.file, err);
    }
  }

  /** Runs `fn` in one IMMEDIATE transaction (it holds the write lock from the start; nested: a savepoint). */
  transaction<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn).immediate());
  }

  /** Every alert row of a check (all checks when omitted). */
  alerts(check?: string): AlertRow[] {
    const rows = this.guard(() => (check
      ? this.db.prepare('SELECT * FROM alerts WHERE check_name = ? ORDER BY key').all(check)
      : this.db.prepare('SELECT * FROM alerts ORDER BY check_name, key').all()) as RawAlert[]);
    return rows.map(toAlert);
  }

  /** Inserts or replaces an alert row. */
  saveAlert(a: AlertRow): void {
    this.guard(() => this.db
      .prepare(`INSERT OR REPLACE INTO alerts (key, check_name, message, severity, present, state, since, fired_at, notified, last_notified, flaps, flapping)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(a.key, a.check, a.message, a.severity, a.present ? 1 : 0, a.state, a.since, a.firedAt, a.notified ? 1 : 0, a.lastNotified, JSON.stringify(a.flaps), a.flapping ? 1 : 0));
  }

  /**
   * Removes an alert row, unless a run is sending a notice about it. A claim its run left
   * when it died (or hung) holds nothing (watch/claim-rows): it is dropped with the row.
   */
  deleteAlert(key: string): void {
    this.transaction(() => {
      const claim = this.claims.on(key);
      if (claim && claimHolds(claim, Date.now())) return;
      if (claim) this.claims.drop([claim]);
      this.db.prepare('DELETE FROM alerts WHERE key = ?').run(key);
    });
  }

  /** Mutes a check (or `*`, the maintenance window) until `until`. */
  setMute(target: string, until: number, setBy: string, now: number): void {
    this.guard(() => this.db.prepare('INSERT OR REPLACE INTO mutes (target, until, set_by, set_at) VALUES (?, ?, ?, ?)').run(target, until, setBy, now));
  }

  /** Lifts a mute; whether there was one. */
  clearMute(target: string): boolean {
    return this.guard(() => this.db.prepare('DELETE FROM mutes WHERE target = ?').run(target).changes > 0);
  }

  /**
   * Mutes in force at `now`. One set at a time after `now` (the clock went back since) is
   * taken as set now: it lasts as long as it was set for, from now (docs/watch.md). A
   * store that may write keeps that, and drops expired mutes.
   */
  mutes(now: number): { target: string; until: number; setBy: string; setAt: number }[] {
    return this.guard(() => {
      if (!this.db.readonly) {
        this.db.transaction(() => {
          this.db.prepare('UPDATE mutes SET until = until - (set_at - ?), set_at = ? WHERE set_at > ?').run(now, now, now);
          this.db.prepare('DELETE FROM mutes WHERE until <= ?').run(now);
        }).immediate();
      }
      const rows = this.db.prepare('SELECT * FROM mutes ORDER BY target').all() as { target: string; until: number; set_by: string; set_at: number }[];
      return rows
        .map((r) => ({ target: r.target, until: r.until - Math.max(0, r.set_at - now), setBy: r.set_by, setAt: Math.min(r.set_at, now) }))
        .filter((m) => m.until > now);
    });
  }

  /** Appends an event. */
  addEvent(e: WatchEvent): void {
    this.guard(() => this.db.prepare('INSERT INTO events (time, check_name, key, kind, message) VALUES (?, ?, ?, ?, ?)').run(e.time, e.check, e.key, e.kind, e.message));
  }

  /** Events since `sinceMs`, oldest first; a store that may write drops those older than 30 days. */
  events(sinceMs: number, now: number): WatchEvent[] {
    return this.guard(() => {
      if (!this.db.readonly) this.db.prepare('DELETE FROM events WHERE time < ?').run(now - 30 * 86_400_000);
      const rows = this.db.prepare('SELECT time, check_name, key, kind, message FROM events WHERE time >= ? ORDER BY id').all(sinceMs) as { time: number; check_name: string; key: string; kind: string; message: string }[];
      return rows.map((r) => ({ time: r.time, check: r.check_name, key: r.key, kind: r.kind as EventKind, message: r.message }));
    });
  }

  /** Records a check's run. */
  saveRun(run: CheckRun): void {
    this.guard(() => this.db
      .prepare('INSERT OR REPLACE INTO runs (check_name, time, outcome, detail, findings) VALUES (?, ?, ?, ?, ?)')
      .run(run.check, run.time, run.outcome, run.detail, JSON.stringify(run.findings)));
  }

  /** The last run of every check; a damaged row reads as a failed run that says so (watch/run-row). */
  runs(): CheckRun[] {
    const rows = this.guard(() => this.db.prepare('SELECT check_name, time, outcome, detail, findings FROM runs ORDER BY check_name').all() as RawRun[]);
    return rows.map((r) => toRun(r, this.file));
  }

  /** A small value (the last digest's time). */
  meta(key: string): string | undefined {
    return this.guard(() => (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value);
  }

  /** Sets a small value. */
  setMeta(key: string, value: string): void {
    this.guard(() => this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value));
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}

/** The warning line's sink: the caller's, else stderr. */
function warnOf(options: { warn?: (line: string) => void }): (line: string) => void {
  return options.warn ?? ((line: string) => void process.stderr.write(`homelab: warning: ${line}\n`));
}

function toAlert(r: RawAlert): AlertRow {
  let flaps: number[] = [];
  try {
    flaps = (JSON.parse(r.flaps) as unknown[]).filter((n): n is number => typeof n === 'number');
  } catch {
    flaps = [];
  }
  return {
    key: r.key, check: r.check_name, message: r.message, severity: r.severity === 'critical' ? 'critical' : 'warning',
    present: r.present === 1, state: r.state as AlertState, since: r.since, firedAt: r.fired_at,
    notified: r.notified === 1, lastNotified: r.last_notified, flaps, flapping: r.flapping === 1,
  };
}
