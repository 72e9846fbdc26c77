/**
 * @module services/kuma/sim/push-checks
 * The checks of push monitors, as Kuma runs them (shared/api/uptime-kuma.md §6: a push
 * monitor goes DOWN itself when no push arrives within `interval`), worked out when the
 * state is read instead of on timers: the first check `interval` after the monitor starts
 * (add, edit, resume), then one when the last UP beat is `interval` (+1 s) old, and again
 * every interval while nothing comes; a miss is PENDING while retries are left
 * (`retryInterval` apart), else DOWN, "No heartbeat in the time window". A monitor in
 * `pushers` is pushed to every interval by a client the simulator plays (the lab's
 * Beszel hub and its heartbeat), so it stays UP.
 */
import type { BeatRow, KumaState } from './state.js';

/** Kuma's allowance for clock differences before a push counts as missed. */
const BUFFER_MS = 1000;
/** Missed checks written at most in one go (Kuma keeps far fewer in what it sends). */
const MAX_BEATS = 500;
/** What a missed push check says. */
export const NO_PUSH_MSG = 'No heartbeat in the time window';

const seconds = (value: unknown, fallback: number): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n * 1000 : fallback;
};
const beatTime = (row: BeatRow): number => Date.parse(`${row.time.replace(' ', 'T')}Z`);

/** Writes the beats of every push check due by `now`; returns them, oldest first per monitor. */
export function runDuePushChecks(state: KumaState, now = Date.now()): BeatRow[] {
  const written: BeatRow[] = [];
  for (const [id, due] of state.pushChecks) {
    const monitor = state.monitors.get(id);
    if (!monitor) {
      state.pushChecks.delete(id);
      continue;
    }
    if (!monitor.active || monitor.type !== 'push' || due > now) continue;
    const interval = seconds(monitor.interval, 60_000);
    const retryInterval = seconds(monitor.retryInterval, interval);
    const retries = Number(monitor.maxretries) || 0;
    let next = due;
    if (state.pushers.has(id)) {
      // The simulated client pushes every interval: UP beats up to now, and the check finds them.
      let last = state.last(id);
      let at = last ? beatTime(last) + interval : next;
      if ((now - at) / interval > MAX_BEATS) at = now - MAX_BEATS * interval;
      for (; at <= now; at += interval) written.push(last = state.beat(id, 1, 'OK', null, at));
      state.pushChecks.set(id, (last ? beatTime(last) : now) + interval + BUFFER_MS + 1);
      continue;
    }
    for (let count = 0; next <= now && count < MAX_BEATS * 2; count++) {
      const last = state.last(id);
      if (last?.status === 1 && next - beatTime(last) <= interval + BUFFER_MS) {
        next = Math.max(next + 1, beatTime(last) + interval + BUFFER_MS + 1);
        continue;
      }
      if (last?.status === 0 && (now - next) / interval > MAX_BEATS) next += Math.floor((now - next) / interval - MAX_BEATS) * interval;
      const pendingTail = pendingRun(state, id);
      const status = last?.status !== 0 && pendingTail < retries ? 2 : 0;
      written.push(state.beat(id, status, NO_PUSH_MSG, null, next));
      next += status === 2 ? retryInterval : interval;
    }
    state.pushChecks.set(id, next);
  }
  return written;
}

/** How many PENDING beats end the monitor's list (the retries used since it was last UP). */
function pendingRun(state: KumaState, id: number): number {
  const list = state.beats.get(id) ?? [];
  let n = 0;
  for (let i = list.length - 1; i >= 0 && list[i]?.status === 2; i--) n++;
  return n;
}
