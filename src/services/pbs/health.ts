/**
 * @module services/pbs/health
 * The judgement behind `pbs status` ("are my backups OK?"), as pure functions over
 * what the API returned: per datastore usage, estimated full date and the last GC;
 * per backup group the last snapshot's age and verify state (stale past the
 * threshold); failed tasks of the last 24 h; and the list of problems that follows.
 */
import { formatDuration, formatPercent, formatTime } from '../../core/format.js';
import { isTaskOk } from '../proxmox/tasks.js';
import type { SnapshotEntry, TaskEntry, UsageEntry } from './schemas.js';

/** The last GC of a datastore. */
export interface GcHealth {
  /** `OK`, `WARNINGS: n`, the error text, or null when GC never ran (or is running now). */
  state: string | null;
  ok: boolean | null;
  running: boolean;
  upid: string | null;
  endtime: number | null;
  durationSeconds: number | null;
  nextRun: number | null;
  removedBytes: number | null;
  pendingBytes: number | null;
}

/** One datastore in `pbs status`. */
export interface DatastoreHealth {
  store: string;
  total: number | null;
  used: number | null;
  avail: number | null;
  /** 0..1. */
  usedFraction: number | null;
  /** Unix time PBS expects the store to be full; null when usage is flat, falling or unknown. */
  estimatedFull: number | null;
  /** Set when PBS could not read the store's usage. */
  error: string | null;
  gc: GcHealth;
}

/** One backup group in `pbs status`. */
export interface GroupHealth {
  store: string;
  /** Its namespace (`pve`, `a/b`); `''`: the root. */
  ns: string;
  /** `vm/101`, `ct/106`, `host/name`. */
  group: string;
  /** The last snapshot's comment (vzdump's default notes: the guest name). */
  name: string | null;
  /** Unix time of the last snapshot. */
  lastBackup: number;
  /** Age of the last snapshot in hours, to a tenth (for scripts; display uses `ageSeconds`). */
  ageHours: number;
  /** Age of the last snapshot in whole seconds. */
  ageSeconds: number;
  snapshots: number;
  /** Verify state of the last snapshot. */
  verify: 'ok' | 'failed' | 'none';
  /** Snapshots of the group whose last verify failed. */
  failedVerifies: number;
  stale: boolean;
}

/** A task that failed. */
export interface FailedTask {
  upid: string;
  type: string;
  id: string | null;
  user: string | null;
  starttime: number;
  endtime: number | null;
  status: string;
}

/** One line of the answer; `bad` makes the answer "not OK", `warn` does not. */
export interface Problem {
  level: 'warn' | 'bad';
  text: string;
}

/** A group or snapshot as PBS prints it with its namespace: `ct/106` in the root, `ns/pve/ct/106` in namespace `pve`. */
export function withNamespace(ns: string, path: string): string {
  return ns ? `${ns.split('/').map((level) => `ns/${level}`).join('/')}/${path}` : path;
}

/** Groups of the snapshots of one store (every namespace; `ns` absent: the root), judged against `staleHours`. */
export function groupHealth(store: string, snapshots: (SnapshotEntry & { ns?: string })[], staleHours: number, nowSec: number): GroupHealth[] {
  const byGroup = new Map<string, { ns: string; group: string; snaps: SnapshotEntry[] }>();
  for (const s of snapshots) {
    const ns = s.ns ?? '';
    const group = `${s['backup-type']}/${s['backup-id']}`;
    const key = withNamespace(ns, group);
    const entry = byGroup.get(key) ?? { ns, group, snaps: [] };
    entry.snaps.push(s);
    byGroup.set(key, entry);
  }
  return [...byGroup.values()].map(({ ns, group, snaps }): GroupHealth => {
    const last = snaps.reduce((a, b) => (b['backup-time'] > a['backup-time'] ? b : a));
    const ageSeconds = Math.max(0, Math.floor(nowSec - last['backup-time']));
    const ageHours = Math.round((ageSeconds / 3600) * 10) / 10;
    const state = last.verification?.state;
    return {
      store, ns, group, name: last.comment?.trim() || null, lastBackup: last['backup-time'], ageHours, ageSeconds, snapshots: snaps.length,
      verify: state === 'ok' ? 'ok' : state === 'failed' ? 'failed' : 'none',
      failedVerifies: snaps.filter((s) => s.verification?.state === 'failed').length,
      stale: ageSeconds > staleHours * 3600,
    };
  }).sort((a, b) => a.ns.localeCompare(b.ns) || a.group.localeCompare(b.group, 'en', { numeric: true }));
}

/** A datastore's usage entry and GC, as reported. */
export function datastoreHealth(usage: UsageEntry, gc: GcHealth, nowSec: number): DatastoreHealth {
  const total = usage.total ?? null;
  const used = usage.used ?? null;
  const full = usage['estimated-full-date'];
  return {
    store: usage.store, total, used, avail: usage.avail ?? null,
    usedFraction: total && used !== null ? used / total : null,
    estimatedFull: full && full > nowSec ? full : null,
    error: usage.error ?? null, gc,
  };
}

/** Failed tasks among `tasks` (errors, not warnings; running ones are not failed). */
export function failedTasks(tasks: TaskEntry[]): FailedTask[] {
  return tasks
    .filter((t) => t.status !== undefined && !isTaskOk(t.status))
    .map((t) => ({ upid: t.upid, type: t.worker_type, id: t.worker_id ?? null, user: t.user ?? null, starttime: t.starttime, endtime: t.endtime ?? null, status: t.status as string }));
}

function label(g: GroupHealth): string {
  const path = withNamespace(g.ns, g.group);
  return g.name ? `${path} (${g.name})` : path;
}

/** The problems, worst first. */
export function problems(stores: DatastoreHealth[], groups: GroupHealth[], failed: FailedTask[], staleHours: number, nowSec: number): Problem[] {
  const out: Problem[] = [];
  for (const ds of stores) {
    if (ds.error) out.push({ level: 'bad', text: `datastore ${ds.store}: ${ds.error}` });
    if (ds.usedFraction !== null && ds.usedFraction >= 0.9) out.push({ level: 'bad', text: `datastore ${ds.store} is ${formatPercent(ds.usedFraction, 0)} full` });
    if (ds.estimatedFull !== null && ds.estimatedFull - nowSec < 30 * 86_400) {
      const days = Math.max(0, Math.round((ds.estimatedFull - nowSec) / 86_400));
      out.push({ level: days < 7 ? 'bad' : 'warn', text: `datastore ${ds.store} will be full in about ${days} days (${formatTime(ds.estimatedFull).slice(0, 10)})` });
    }
    if (ds.gc.state && ds.gc.ok === false) out.push({ level: 'bad', text: `GC on ${ds.store} failed: ${ds.gc.state}` });
    else if (ds.gc.state?.startsWith('WARNINGS')) out.push({ level: 'warn', text: `GC on ${ds.store} ended with ${ds.gc.state}` });
  }
  for (const g of groups) {
    if (g.stale) out.push({ level: 'bad', text: `${label(g)}: last backup ${formatDuration(g.ageSeconds)} ago (over ${staleHours} h)` });
    if (g.verify === 'failed') out.push({ level: 'bad', text: `${label(g)}: last snapshot failed verification` });
    else if (g.failedVerifies > 0) out.push({ level: 'warn', text: `${label(g)}: ${g.failedVerifies} older snapshot(s) failed verification` });
  }
  for (const t of failed) {
    out.push({ level: 'bad', text: `${t.type}${t.id ? ` ${t.id}` : ''} failed ${formatDuration(nowSec - t.starttime)} ago: ${t.status}` });
  }
  return out.sort((a, b) => Number(a.level === 'warn') - Number(b.level === 'warn'));
}
