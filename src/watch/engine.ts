/**
 * @module watch/engine
 * The alert state machine. After each run of a check, `applyFindings` moves every
 * alert of that check: a condition seen for the first time is `pending`; once it has
 * held for the hold time it is `firing`; when it no longer holds it is `ok` again.
 * `dueNotices` then says what the owner must be told, by comparing each alert with
 * what was last announced: a firing alert not yet announced fires (once), an announced
 * one repeats only after the repeat interval, an announced one that stopped resolves.
 * While a check is muted or in maintenance nothing is announced; what changed meanwhile
 * is announced afterwards (a fire that came and went unseen is never announced). An
 * alert whose condition changed `flapThreshold` times within the window flaps: one
 * notice says so, and nothing else about it is sent until it settles. An announced alert
 * whose condition came back before its resolution could be told (a failed send, a mute) is
 * told nothing: it fires on as announced. A time a row holds that is after `now` (the clock
 * went back) counts as `now`.
 */
import type { Finding } from './check.js';
import type { AlertRow, WatchStore } from './state.js';

/** Hold, repeat and flapping settings of one check. */
export interface AlertPolicy {
  holdMs: number;
  /** 0: never repeat. */
  repeatMs: number;
  flapWindowMs: number;
  flapThreshold: number;
}

/** What the owner is told about one alert. */
export type NoticeKind = 'firing' | 'repeat' | 'resolved' | 'flapping';

/** One thing to tell the owner. */
export interface Notice {
  kind: NoticeKind;
  key: string;
  check: string;
  message: string;
  severity: Finding['severity'];
  /** When it started firing (for "resolved after 2h"). */
  firedAt: number | null;
  /** A resolution: when the condition ended (it is told as having fired from `firedAt` to then). */
  endedAt?: number;
}

/**
 * `a` with every time after `now` taken as `now`: the clock went back since it was written
 * (an NTP correction, a VM restored from a snapshot). So hold, repeat and the flap window run
 * from now, instead of waiting for the clock to catch up (docs/watch.md).
 */
function atMostNow(a: AlertRow, now: number): AlertRow {
  const clamp = (t: number): number => Math.min(t, now);
  a.since = clamp(a.since);
  if (a.firedAt !== null) a.firedAt = clamp(a.firedAt);
  if (a.lastNotified !== null) a.lastNotified = clamp(a.lastNotified);
  a.flaps = a.flaps.map(clamp);
  return a;
}

/**
 * Updates the alerts of `check` with the findings of a run at `now`. With `partial`
 * (the check failed and reported only its error finding) alerts not in `findings` are
 * left as they are, except the check's error alert.
 */
export function applyFindings(store: WatchStore, check: string, findings: readonly Finding[], now: number, policy: AlertPolicy, partial = false): void {
  const errorKey = `${check}:error`;
  store.transaction(() => {
    const existing = new Map(store.alerts(check).map((a) => [a.key, atMostNow(a, now)]));
    for (const f of findings) {
      let a = existing.get(f.key);
      if (!a) {
        a = { key: f.key, check, message: f.message, severity: f.severity, present: true, state: 'pending', since: now, firedAt: null, notified: false, lastNotified: null, flaps: [now], flapping: false };
      } else {
        if (!a.present) {
          a.flaps.push(now);
          a.present = true;
        }
        if (a.state === 'ok') {
          a.state = 'pending';
          a.since = now;
        }
        a.message = f.message;
        a.severity = f.severity;
      }
      if (a.state === 'pending' && now - a.since >= policy.holdMs) {
        a.state = 'firing';
        a.since = now;
        // Back before its resolution was told: to the owner it never stopped firing (since the time told).
        a.firedAt = a.notified && a.firedAt !== null ? a.firedAt : now;
        store.addEvent({ time: now, check, key: a.key, kind: 'fired', message: a.message });
      }
      existing.delete(f.key);
      save(store, a, now, policy);
    }
    for (const a of existing.values()) {
      if (partial && a.key !== errorKey) continue;
      if (a.present) {
        a.flaps.push(now);
        a.present = false;
      }
      if (a.state === 'firing') store.addEvent({ time: now, check, key: a.key, kind: 'resolved', message: a.message });
      if (a.state !== 'ok') {
        a.state = 'ok';
        a.since = now;
      }
      save(store, a, now, policy);
    }
  });
}

function save(store: WatchStore, a: AlertRow, now: number, policy: AlertPolicy): void {
  a.flaps = a.flaps.filter((t) => now - t < policy.flapWindowMs);
  if (a.flapping && a.flaps.length < policy.flapThreshold) a.flapping = false;
  if (a.state === 'ok' && !a.notified && !a.flapping && a.flaps.length === 0) store.deleteAlert(a.key);
  else store.saveAlert(a);
}

/** Whether an alert flaps now. */
export function isFlapping(a: AlertRow, now: number, policy: AlertPolicy): boolean {
  return a.flaps.filter((t) => now - t < policy.flapWindowMs).length >= policy.flapThreshold;
}

/** What the owner must be told about `check` now; nothing while `silenced`. */
export function dueNotices(store: WatchStore, check: string, now: number, policy: AlertPolicy, silenced: boolean): Notice[] {
  if (silenced) return [];
  const notices: Notice[] = [];
  for (const a of store.alerts(check).map((row) => atMostNow(row, now))) {
    const notice = (kind: NoticeKind): Notice => ({ kind, key: a.key, check, message: a.message, severity: a.severity, firedAt: a.firedAt, ...(kind === 'resolved' ? { endedAt: a.since } : {}) });
    if (isFlapping(a, now, policy)) {
      if (!a.flapping) notices.push(notice('flapping'));
      continue;
    }
    if (a.state === 'firing' && !a.notified) notices.push(notice('firing'));
    else if (a.state === 'firing' && policy.repeatMs > 0 && a.lastNotified !== null && now - a.lastNotified >= policy.repeatMs) notices.push(notice('repeat'));
    // Only once it is over: pending again before its resolution was told, nothing differs from what was told.
    else if (a.state === 'ok' && a.notified) notices.push(notice('resolved'));
  }
  return notices;
}

/** Records that `notices` reached the owner at `now`, dropping the claims of `run` (watch/claims) on them. */
export function markSent(store: WatchStore, notices: readonly Notice[], now: number, policy: AlertPolicy, run?: string): void {
  store.transaction(() => {
    if (run !== undefined) store.claims.release(notices.map((n) => n.key), run);
    const byKey = new Map(store.alerts().map((a) => [a.key, atMostNow(a, now)]));
    for (const n of notices) {
      const a = byKey.get(n.key);
      if (!a) continue;
      if (n.kind === 'flapping') a.flapping = true;
      else {
        a.notified = n.kind !== 'resolved';
        a.lastNotified = now;
      }
      store.addEvent({ time: now, check: n.check, key: n.key, kind: n.kind === 'flapping' ? 'flapping' : 'notified', message: `${n.kind}: ${n.message}` });
      save(store, a, now, policy);
    }
  });
}
