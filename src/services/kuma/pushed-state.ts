/**
 * @module services/kuma/pushed-state
 * What Uptime Kuma pushes over the socket after login, kept current: the monitor map
 * (`monitorList` replaces it; 2.x `updateMonitorIntoList` merges, `deleteMonitorFromList`
 * removes), the heartbeat lists and live beats, and the server version from `info`.
 * `waitFor` lets a caller wait until a condition on this state holds; `list` and `settle`
 * wait for the monitor list (after login, after a change of the session's own), asking
 * for it once more when it does not come.
 *
 * A push that does not fit is never dropped silently (a monitor missing from the map would
 * defeat the duplicate-name guard of `kuma add`, and `kuma delete` would not find it): a
 * monitor list with any entry that does not fit, or one that is not a map at all, makes
 * `list` fail with an UnexpectedAnswerError naming the first bad key, until a list that fits
 * comes. A heartbeat list that does not fit is that monitor's alone: `beatsOf` (one
 * monitor's beats, `kuma show`) fails the same way, while `readBeats` (many monitors,
 * `kuma list` and all that reads it) gives the error in that monitor's place, so one bad
 * list never hides the others (nor shows as no heartbeat at all). A failure of the whole
 * session (`fail`: a message over the size cap) wakes every wait and is thrown by all.
 */
import type { Socket } from 'socket.io-client';
import type { z } from 'zod';
import { serverText, UnexpectedAnswerError } from '../../core/http/index.js';
import { beatFromLive, beatRowSchema, beatFromRow, monitorSchema, type Beat, type Monitor } from './monitor.js';

/** The pushed state of one session. */
export class PushedState {
  readonly monitors = new Map<number, Monitor>();
  readonly heartbeats = new Map<number, Beat[]>();
  /** Server version from the `info` push after login (undefined until then). */
  version: string | undefined;
  /** Whether a `monitorList` arrived since the last login. */
  listSeen = false;
  /** Why the monitor map cannot be trusted (the last list push had an entry that does not fit). */
  private listProblem: UnexpectedAnswerError | undefined;
  /** Per monitor, why its heartbeat list cannot be read. */
  private readonly beatProblems = new Map<number, UnexpectedAnswerError>();
  /** A failure of the whole session (`fail`), thrown by every wait. */
  failure: Error | undefined;
  private readonly waiters = new Set<() => void>();

  /** Registers the push handlers on a socket. */
  attach(s: Socket): void {
    s.on('monitorList', (list: unknown) => {
      this.monitors.clear();
      this.listProblem = undefined;
      this.failure = undefined;
      this.merge(list, 'monitorList');
      this.listSeen = true;
      this.notify();
    });
    s.on('updateMonitorIntoList', (list: unknown) => { this.merge(list, 'updateMonitorIntoList'); this.notify(); });
    s.on('deleteMonitorFromList', (id: unknown) => { this.monitors.delete(Number(id)); this.notify(); });
    s.on('heartbeatList', (id: unknown, rows: unknown) => {
      // The server sends the latest 100 beats of a monitor after every login: replace, never append.
      const problem = firstMisfit(`heartbeatList of monitor ${printable(id)}`, rows, beatRowSchema, true);
      if (problem) this.beatProblems.set(Number(id), problem);
      else this.beatProblems.delete(Number(id));
      this.heartbeats.set(Number(id), problem ? [] : (rows as unknown[]).map(beatFromRow).filter((b): b is Beat => b !== undefined));
      this.notify();
    });
    s.on('heartbeat', (raw: unknown) => {
      const beat = beatFromLive(raw);
      if (beat) this.heartbeats.set(beat.monitorId, [...(this.heartbeats.get(beat.monitorId) ?? []), beat]);
      this.notify();
    });
    s.on('info', (info: { version?: unknown }) => {
      if (typeof info?.version === 'string') this.version = info.version;
      // `serverVersion()` may already be waiting: 1.23 sends `info` a few ms after `monitorList`.
      this.notify();
    });
  }

  /** Merges a pushed map of monitors; the first entry that does not fit (or a push that is no map) makes the map untrusted. */
  private merge(list: unknown, event: string): void {
    const problem = firstMisfit(event, list, monitorSchema, false);
    if (problem) {
      this.listProblem ??= problem;
      return;
    }
    for (const raw of Object.values(list as Record<string, unknown>)) {
      const parsed = monitorSchema.safeParse(raw);
      if (parsed.success) this.monitors.set(parsed.data.id, parsed.data);
    }
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Fails the session's waits with `err` (a message over the size cap dropped the connection); cleared by the next monitor list. */
  fail(err: Error): void {
    this.failure = err;
    this.notify();
  }

  /** The heartbeat lists of `ids`; throws when one of them did not fit, or the session failed. */
  beatsOf(ids: readonly number[]): Map<number, Beat[]> {
    if (this.failure) throw this.failure;
    for (const id of ids) {
      const problem = this.beatProblems.get(id);
      if (problem) throw problem;
    }
    return this.heartbeats;
  }

  /**
   * The heartbeat list of each of `ids` that arrived, or in the place of one that did not
   * fit, why; throws only when the session failed.
   */
  readBeats(ids: readonly number[]): Map<number, Beat[] | UnexpectedAnswerError> {
    if (this.failure) throw this.failure;
    const read = new Map<number, Beat[] | UnexpectedAnswerError>();
    for (const id of ids) {
      const got = this.beatProblems.get(id) ?? this.heartbeats.get(id);
      if (got) read.set(id, got);
    }
    return read;
  }

  /**
   * The monitor map once a `monitorList` arrived since the last login; when none came
   * within `ms`, `ask()` requests it and it is waited for once more. Undefined: still none.
   */
  async list(ms: number, ask: () => Promise<unknown>): Promise<Map<number, Monitor> | undefined> {
    const seen = (): boolean => this.listSeen;
    if (await this.waitFor(seen, ms)) return this.trusted();
    if (this.failure) throw this.failure;
    await ask();
    return (await this.waitFor(seen, ms)) ? this.trusted() : undefined;
  }

  /** The monitor map, unless a push left it untrusted or the session failed. */
  private trusted(): Map<number, Monitor> {
    if (this.failure) throw this.failure;
    if (this.listProblem) throw this.listProblem;
    return this.monitors;
  }

  /**
   * Waits up to `ms` until the monitor map `shows` a change; when it does not, `ask()`s
   * for the list (its failure ignored) and waits up to `ms` once more. Never fails.
   */
  async settle(shows: (monitors: ReadonlyMap<number, Monitor>) => boolean, ms: number, ask: () => Promise<unknown>): Promise<void> {
    if (await this.waitFor(() => shows(this.monitors), ms)) return;
    await ask().catch(() => undefined);
    await this.waitFor(() => shows(this.monitors), ms);
  }

  /** Resolves true once `done()` holds (re-checked on every push), or with `done()` after `ms`; at once when the session failed (`fail`). */
  waitFor(done: () => boolean, ms: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    if (this.failure) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (): void => {
        if (done()) finish(true);
        else if (this.failure) finish(false);
      };
      const timer = setTimeout(() => finish(done()), ms);
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(value);
      };
      this.waiters.add(wake);
    });
  }
}

/** A key or id as the server sent it, fit for a message (serverText's cleaning, cut shorter). */
function printable(key: unknown): string {
  return serverText(String(key), 40);
}

/** What a value that should be a list or a map is instead (`null`, `a string`). */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

/**
 * The error of a push whose entries do not all fit `schema` (the first bad key named), or
 * that is not a list (`array`) or a map keyed by monitor id; undefined when it fits.
 */
function firstMisfit(event: string, value: unknown, schema: z.ZodType, array: boolean): UnexpectedAnswerError | undefined {
  const shaped = array ? Array.isArray(value) : typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!shaped) return new UnexpectedAnswerError('kuma', 200, `${event}: ${kindOf(value)} instead of ${array ? 'a list of heartbeats' : 'a map of monitors by id'}`);
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const parsed = schema.safeParse(entry);
    if (parsed.success) continue;
    const issue = parsed.error.issues[0];
    const at = [key, ...(issue?.path ?? [])].map(printable).join('.');
    return new UnexpectedAnswerError('kuma', 200, `${event}: ${at}: ${issue?.message ?? 'invalid'}`);
  }
  return undefined;
}
