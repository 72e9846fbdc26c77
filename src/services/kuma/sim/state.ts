/**
 * @module services/kuma/sim/state
 * What the simulated Uptime Kuma knows: monitors (stored fields plus `id` and `active`),
 * their heartbeats as raw DB rows (snake_case, `important` as 0/1, UTC times without a
 * zone), the certificate each HTTPS target presents, and what the next check of each
 * monitor reports. Seeded from the lab inventory: one HTTP monitor per app, a ping monitor
 * per node, one push monitor, one monitor of a name no proxy host serves (`trouble.orphanMonitor`);
 * the stopped guest's app is down, certificate days come from
 * `certDays`. The simulator does not probe anything: a new or resumed monitor gets one
 * check right away that reports its seeded health (UP for new ones); push monitors are
 * checked as Kuma does, worked out when read (push-checks.ts).
 */
import { createHash } from 'node:crypto';
import { fqdn, guestById, guests, nodes } from '../../../lab/inventory.js';
import { trouble } from '../../../lab/trouble.js';
import { defaultMonitor } from './fields.js';

/** A heartbeat row as the server stores it. */
export interface BeatRow {
  id: number;
  monitor_id: number;
  status: 0 | 1 | 2 | 3;
  msg: string;
  time: string;
  ping: number | null;
  important: 0 | 1;
  duration: number;
  down_count: number;
  retries?: number;
  end_time?: string | null;
}

/** A UTC time as Kuma stores it: `YYYY-MM-DD HH:mm:ss.SSS`, no zone designator. */
export function kumaTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The simulator's whole state. */
export class KumaState {
  readonly monitors = new Map<number, Record<string, unknown>>();
  readonly beats = new Map<number, BeatRow[]>();
  /** What the next check of a monitor reports. */
  readonly health = new Map<number, { status: 0 | 1; msg: string }>();
  /** Days left on the certificate of HTTPS monitors. */
  readonly certDays = new Map<number, number>();
  /** When each push monitor's next check is due (ms; see push-checks.ts): set when it starts. */
  readonly pushChecks = new Map<number, number>();
  /** Push monitors a client the simulator plays pushes to every interval (they stay UP). */
  readonly pushers = new Set<number>();
  private nextMonitorId = 1;
  private nextBeatId = 1;

  constructor(readonly v2: boolean) {}

  /** Adds a monitor; returns its id. */
  insert(fields: Record<string, unknown>, active: boolean): number {
    const id = this.nextMonitorId++;
    this.monitors.set(id, { ...fields, id, active });
    this.beats.set(id, []);
    return id;
  }

  /** Records a heartbeat; `important` is set when the status changed. */
  beat(id: number, status: 0 | 1 | 2 | 3, msg: string, ping: number | null, at = Date.now()): BeatRow {
    const list = this.beats.get(id) ?? [];
    const previous = list[list.length - 1];
    const row: BeatRow = {
      id: this.nextBeatId++, monitor_id: id, status, msg, time: kumaTime(at), ping,
      important: !previous || previous.status !== status ? 1 : 0, duration: previous ? Math.round((at - Date.parse(`${previous.time}Z`)) / 1000) : 0,
      down_count: status === 0 ? (previous?.status === 0 ? previous.down_count + 1 : 1) : 0,
      ...(this.v2 ? { retries: 0, end_time: null } : {}),
    };
    list.push(row);
    if (list.length > 500) list.shift();
    this.beats.set(id, list);
    return row;
  }

  /**
   * Runs one check of a monitor now (after add, edit or resume) and returns the beat; a push
   * monitor has none now: its checks start (`startChecks`), the first one `interval` later.
   */
  check(id: number): BeatRow | undefined {
    const monitor = this.monitors.get(id);
    if (monitor?.type === 'push') this.startChecks(id);
    if (!monitor || monitor.type === 'push') return undefined;
    const health = this.health.get(id) ?? { status: 1, msg: monitor.type === 'http' || monitor.type === 'keyword' ? '200 - OK' : '' };
    return this.beat(id, health.status, health.msg, health.status === 1 ? pingFor(monitor, id, 0) : null);
  }

  /** Starts a push monitor's checks as of `at`: the first is due `interval` later (tests start them in the past). */
  startChecks(id: number, at = Date.now()): void {
    const interval = Number(this.monitors.get(id)?.interval);
    this.pushChecks.set(id, at + (Number.isFinite(interval) && interval > 0 ? interval : 60) * 1000);
  }

  /** The last heartbeat of a monitor. */
  last(id: number): BeatRow | undefined {
    const list = this.beats.get(id);
    return list?.[list.length - 1];
  }

  /** Average ping of the UP beats in the last 24 h (2.x: 2 decimals, 1.23: integer), null without any. */
  avgPing(id: number): number | null {
    const since = Date.now() - 86_400_000;
    const pings = (this.beats.get(id) ?? []).filter((b) => b.status === 1 && b.ping !== null && Date.parse(`${b.time}Z`) >= since).map((b) => b.ping as number);
    if (!pings.length) return null;
    const avg = pings.reduce((a, b) => a + b, 0) / pings.length;
    return this.v2 ? Math.round(avg * 100) / 100 : Math.round(avg);
  }

  /** Share of UP beats within the last `hours` (1 when there are none). */
  uptime(id: number, hours: number): number {
    const since = Date.now() - hours * 3_600_000;
    const list = (this.beats.get(id) ?? []).filter((b) => Date.parse(`${b.time}Z`) >= since);
    return list.length ? list.filter((b) => b.status === 1).length / list.length : 1;
  }
}

function pingFor(monitor: Record<string, unknown>, id: number, i: number): number {
  if (monitor.type === 'ping') return Math.round((0.3 + ((id * 7 + i * 3) % 9) / 10) * 1000) / 1000;
  return 28 + ((id * 13 + i * 7) % 45);
}

/** A push token as the UI makes them (32 characters), deterministic per seed. */
export function pushTokenFor(seed: string): string {
  return createHash('sha256').update(seed).digest('base64url').replace(/[-_]/g, 'x').slice(0, 32);
}

/** Fills the state with the lab's monitors and a day of history. */
export function seedState(state: KumaState, now: number): void {
  const stopped = guestById(trouble.stoppedGuest);
  /** Beats oldest first: runs of [count, status, msg], the last one ending just now. */
  const history = (id: number, ...runs: [number, 0 | 1, string][]): void => {
    const monitor = state.monitors.get(id) ?? {};
    const step = Number(monitor.interval) * 1000;
    let i = runs.reduce((n, [count]) => n + count, 0);
    for (const [count, status, msg] of runs) {
      for (let k = 0; k < count; k++) {
        i--;
        state.beat(id, status, msg, status === 1 && monitor.type !== 'push' ? pingFor(monitor, id, i) : null, now - i * step - 10_000);
      }
      state.health.set(id, { status, msg });
    }
  };
  for (const node of nodes) {
    const id = state.insert(defaultMonitor(state.v2, { type: 'ping', name: node.name, hostname: node.ip, description: `Proxmox node ${node.name}` }), true);
    history(id, [30, 1, '']);
  }
  for (const guest of guests) {
    if (!guest.app || guest.template) continue;
    const https = guest.app.certDays !== undefined;
    const url = `${https ? 'https' : 'http'}://${fqdn(guest.app.host)}`;
    const id = state.insert(defaultMonitor(state.v2, { name: guest.name, url, description: guest.description, expiryNotification: https }), true);
    if (https) state.certDays.set(id, guest.app.certDays as number);
    if (guest.vmid === stopped.vmid) {
      history(id, [30, 0, 'Request failed with status code 502']);
    } else {
      history(id, [30, 1, '200 - OK']);
    }
  }
  // A monitor left over when its proxy host was removed (the name still answers elsewhere).
  const orphan = trouble.orphanMonitor;
  const left = state.insert(defaultMonitor(state.v2, { name: orphan.name, url: `https://${fqdn(orphan.host)}`, description: 'Grafana dashboards' }), true);
  history(left, [30, 1, '200 - OK']);
  const push = state.insert(defaultMonitor(state.v2, { type: 'push', name: 'beszel-heartbeat', interval: 120, retryInterval: 120, pushToken: pushTokenFor('beszel-heartbeat'), description: 'Beszel hub outbound heartbeat' }), true);
  history(push, [30, 1, 'OK']);
  // Beszel's hub pushes to it (in the lab it runs): it stays UP, while a push monitor nobody pushes to goes DOWN.
  state.pushers.add(push);
  state.check(push);
}
