/**
 * @module services/pbs/sim/seed-history
 * The task history that explains the seeded state: a backup task per snapshot, the
 * nightly verification job (which found ct/106's last good snapshot broken: one failed
 * verify), the nightly GC (the last run warned about a chunk that snapshot needs), and
 * ct/106's backups failing since (one failed backup task in the last 24 h, which is why
 * the group is stale).
 */
import { guestById, nodes } from '../../../lab/inventory.js';
import { trouble } from '../../../lab/trouble.js';
import { backupLog, gcLog, verifyLog, VERIFY_FAILED } from './logs.js';
import { backedUpGuests, backupType } from './seed-datastore.js';
import type { SimDatastore, SimSnapshot } from './state.js';
import type { TaskStore } from './tasks.js';

const HOUR = 3600;
const DAY = 86_400;
const JOB_OWNER = 'root@pam';

function nodeIp(vmid: string): string {
  const guest = guestById(Number(vmid));
  return nodes.find((n) => n.name === guest.node)?.ip ?? '10.5.0.1';
}

/** Adds the seeded task history to `tasks` and sets verify states and the last GC on `ds`. */
export function seedHistory(ds: SimDatastore, tasks: TaskStore, now: number): void {
  const stale = String(trouble.staleBackupGuest);
  const staleSnap = ds.snapshots.filter((s) => s.id === stale).at(-1);
  const oldest = Math.min(...ds.snapshots.map((s) => s.time));
  const days = Math.ceil((now - oldest) / DAY) + 1;
  if (staleSnap) ds.brokenChunk = { type: staleSnap.type, id: staleSnap.id, time: staleSnap.time };

  const events: { at: number; add: () => void }[] = [];
  for (const snap of ds.snapshots) {
    const seconds = snap.type === 'vm' ? 240 + (Number(snap.id) % 7) * 53 : 45 + (Number(snap.id) % 5) * 19;
    events.push({ at: snap.time, add: () => tasks.addFinished({
      starttime: snap.time, endtime: snap.time + seconds, workerType: 'backup', workerId: `${ds.name}:${snap.type}/${snap.id}`,
      authId: JOB_OWNER, exitstatus: 'OK', lines: backupLog(ds.name, snap, nodeIp(snap.id), false),
    }) });
  }
  // The stale group: every nightly run since its last good snapshot failed.
  const run = backedUpGuests().find((g) => String(g.vmid) === stale);
  const nightly = backedUpGuests().filter((g) => (g.lastBackupHoursAgo ?? 0) < 24).map((g) => g.lastBackupHoursAgo ?? 0);
  const runHoursAgo = Math.min(...nightly);
  if (run && staleSnap) {
    for (let t = now - runHoursAgo * HOUR - 600; t > staleSnap.time + HOUR; t -= DAY) {
      const attempt: SimSnapshot = { ...staleSnap, time: t };
      events.push({ at: t, add: () => tasks.addFinished({
        starttime: t, endtime: t + 38, workerType: 'backup', workerId: `${ds.name}:${backupType(run)}/${stale}`, authId: JOB_OWNER,
        exitstatus: 'backup ended but finished flag is not set.', lines: backupLog(ds.name, attempt, nodeIp(stale), true),
      }) });
    }
  }
  // Nightly verification job, 22 h ago and every day before: verifies what is new since the last run.
  const job = ds.verifyJob;
  for (let k = days; k >= 0; k--) {
    const at = now - 22 * HOUR - k * DAY;
    events.push({ at, add: () => {
      const checked = ds.snapshots.filter((s) => !s.verification && s.time < at);
      const failed = checked.filter((s) => s === staleSnap);
      const header = `Starting datastore verify job '${ds.name}:${job.id}'`;
      const task = tasks.addFinished({
        starttime: at, endtime: at + 60 + checked.length * 11, workerType: 'verificationjob', workerId: `${ds.name}:${job.id}`, authId: JOB_OWNER,
        exitstatus: failed.length ? VERIFY_FAILED : 'OK', lines: verifyLog(ds.name, checked, failed, header),
      });
      for (const s of checked) s.verification = { state: failed.includes(s) ? 'failed' : 'ok', upid: task.upid };
      job.lastUpid = task.upid;
    } });
  }
  // Nightly GC, 20 h ago and the six nights before; the last one warns about ct/106's missing chunk.
  for (let k = 6; k >= 0; k--) {
    const at = now - 20 * HOUR - k * DAY;
    events.push({ at, add: () => {
      const warn = k === 0 ? staleSnap : undefined;
      const task = tasks.addFinished({
        starttime: at, endtime: at + 312 + k * 7, workerType: 'garbage_collection', workerId: ds.name, authId: JOB_OWNER,
        exitstatus: warn ? 'WARNINGS: 1' : 'OK', lines: gcLog(ds, warn),
      });
      ds.gc.lastUpid = task.upid;
    } });
  }
  events.sort((a, b) => a.at - b.at).forEach((e) => e.add());
}
