/**
 * @module services/pbs/sim/verify-state
 * Verify runs started over the API (`POST /admin/datastore/{store}/verify`): the whole
 * store (`verify`), one group (`verify_group`) or one snapshot (`verify_snapshot`).
 * Snapshots already verified are skipped unless `ignore-verified` is off or the last
 * verify is older than `outdated-after` days. A snapshot that needs the missing chunk
 * fails; `knobs.failNext.verify` makes the next run find a bad chunk in the first
 * snapshot it checks. Failures end the task with PBS's `verification failed` error.
 */
import { VERIFY_FAILED, verifyLog } from './logs.js';
import { PbsHttpError } from './route.js';
import type { PbsSimState, SimDatastore, SimSnapshot } from './state.js';
import type { SimTask } from './tasks.js';

/** The narrowing parameters of a verify call. */
export interface VerifyParams {
  /** The namespace (default the root); a store-wide run also takes those below it, `max-depth` levels (default all). */
  ns?: string;
  'max-depth'?: number;
  'backup-type'?: string;
  'backup-id'?: string;
  'backup-time'?: number;
  'ignore-verified'?: boolean;
  'outdated-after'?: number;
}

function scope(ds: SimDatastore, p: VerifyParams): { workerType: string; workerId: string; snaps: SimSnapshot[] } {
  const ns = p.ns ?? '';
  const nsPath = ns ? `ns/${ns.split('/').join('/ns/')}/` : '';
  const level = (x: string): number => (x ? x.split('/').length : 0);
  const inNs = ds.snapshots.filter((s) => (s.ns ?? '') === ns);
  const below = ds.snapshots.filter((s) => {
    const sns = s.ns ?? '';
    return (ns === '' || sns === ns || sns.startsWith(`${ns}/`)) && level(sns) - level(ns) <= (p['max-depth'] ?? 7);
  });
  const type = p['backup-type'];
  const id = p['backup-id'];
  const time = p['backup-time'];
  if (type && id && time !== undefined) {
    const snaps = inNs.filter((s) => s.type === type && s.id === id && s.time === time);
    if (!snaps.length) throw new PbsHttpError(400, `no such snapshot ${type}/${id}/${new Date(time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
    return { workerType: 'verify_snapshot', workerId: `${ds.name}:${nsPath}${type}/${id}/${time.toString(16).toUpperCase().padStart(8, '0')}`, snaps };
  }
  if (type && id && time === undefined) {
    return { workerType: 'verify_group', workerId: `${ds.name}:${nsPath}${type}/${id}`, snaps: inNs.filter((s) => s.type === type && s.id === id) };
  }
  if (!type && !id && time === undefined) return { workerType: 'verify', workerId: ns ? `${ds.name}:${nsPath.slice(0, -1)}` : ds.name, snaps: below };
  throw new PbsHttpError(400, 'parameters do not specify a backup group or snapshot');
}

function needsVerify(s: SimSnapshot, p: VerifyParams, nowSec: number, state: PbsSimState): boolean {
  if (p['ignore-verified'] === false || !s.verification) return true;
  const outdated = p['outdated-after'];
  if (outdated === undefined) return false;
  const last = state.tasks.tasks.find((t) => t.upid === s.verification?.upid);
  return !last || (nowSec - last.starttime) / 86_400 > outdated;
}

/** Starts a verify task on `ds`; returns it. */
export function startVerify(state: PbsSimState, ds: SimDatastore, p: VerifyParams, authId: string): SimTask {
  const { workerType, workerId, snaps } = scope(ds, p);
  const injected = state.knobs.failNext.verify === true;
  delete state.knobs.failNext.verify;
  const b = ds.brokenChunk;
  return state.tasks.start(workerType, workerId, authId, state.knobs.taskDurationMs, [`starting verification on store ${ds.name}`], (task) => {
    const checked = snaps.filter((s) => ds.snapshots.includes(s) && needsVerify(s, p, task.starttime, state));
    const failed = checked.filter((s) => b && s.type === b.type && s.id === b.id && s.time === b.time);
    const extra = injected ? (checked.find((s) => !failed.includes(s)) ?? snaps[snaps.length - 1]) : undefined;
    if (extra && !failed.includes(extra)) failed.push(extra);
    const all = extra && !checked.includes(extra) ? [...checked, extra] : checked;
    for (const s of all) s.verification = { state: failed.includes(s) ? 'failed' : 'ok', upid: task.upid };
    const lines = verifyLog(ds.name, all, failed, '').slice(1).filter((l) => !l.startsWith('verify datastore') || workerType === 'verify');
    return { exitstatus: failed.length ? VERIFY_FAILED : 'OK', lines };
  });
}
