/**
 * @module services/kuma/pushed-state
 * What Uptime Kuma pushes over the socket after login, kept current: the monitor map
 * (`monitorList` replaces it; 2.x `updateMonitorIntoList` merges, `deleteMonitorFromList`
 * removes), the heartbeat lists and live beats, and the server version from `info`.
 * `waitFor` lets a caller wait until a condition on this state holds; `list` and `settle`
 * wait for the monitor list (after login, after a change of the session's own), asking
 * for it once more when it does not come.
 */
import type { Socket } from 'socket.io-client';
import { beatFromLive, beatFromRow, monitorSchema, type Beat, type Monitor } from './monitor.js';

/** The pushed state of one session. */
export class PushedState {
  readonly monitors = new Map<number, Monitor>();
  readonly heartbeats = new Map<number, Beat[]>();
  /** Server version from the `info` push after login (undefined until then). */
  version: string | undefined;
  /** Whether a `monitorList` arrived since the last login. */
  listSeen = false;
  private readonly waiters = new Set<() => void>();

  /** Registers the push handlers on a socket. */
  attach(s: Socket): void {
    s.on('monitorList', (list: unknown) => {
      this.monitors.clear();
      this.merge(list);
      this.listSeen = true;
      this.notify();
    });
    s.on('updateMonitorIntoList', (list: unknown) => { this.merge(list); this.notify(); });
    s.on('deleteMonitorFromList', (id: unknown) => { this.monitors.delete(Number(id)); this.notify(); });
    s.on('heartbeatList', (id: unknown, rows: unknown) => {
      // The server sends the latest 100 beats of a monitor after every login: replace, never append.
      const beats = Array.isArray(rows) ? rows.map(beatFromRow).filter((b): b is Beat => b !== undefined) : [];
      this.heartbeats.set(Number(id), beats);
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

  private merge(list: unknown): void {
    if (!list || typeof list !== 'object') return;
    for (const raw of Object.values(list as Record<string, unknown>)) {
      const parsed = monitorSchema.safeParse(raw);
      if (parsed.success) this.monitors.set(parsed.data.id, parsed.data);
    }
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * The monitor map once a `monitorList` arrived since the last login; when none came
   * within `ms`, `ask()` requests it and it is waited for once more. Undefined: still none.
   */
  async list(ms: number, ask: () => Promise<unknown>): Promise<Map<number, Monitor> | undefined> {
    const seen = (): boolean => this.listSeen;
    if (await this.waitFor(seen, ms)) return this.monitors;
    await ask();
    return (await this.waitFor(seen, ms)) ? this.monitors : undefined;
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

  /** Resolves true once `done()` holds (re-checked on every push), or with `done()` after `ms`. */
  waitFor(done: () => boolean, ms: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        if (done()) finish(true);
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
