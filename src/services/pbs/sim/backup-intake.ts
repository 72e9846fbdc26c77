/**
 * @module services/pbs/sim/backup-intake
 * The PBS side of the lab's backup link (`lab/backup-link.ts`): PVE's `pbs` storage lists
 * this datastore's snapshots, and a vzdump to it lands here as a new snapshot with the
 * `backup` task PBS logs for it, so `pbs snapshots` shows what `pve backup` just made.
 *
 * A snapshot's id is its group and its time in whole seconds, so PBS takes a new backup
 * only when its time is newer than the group's last snapshot: proxmox-backup's backup
 * protocol refuses any other with `backup timestamp is older than last backup.` (a second
 * backup of a guest within the same second as the last one) before anything is written.
 */
import type { LinkedBackupStore, NewLinkedBackup } from '../../../lab/backup-link.js';
import { backupLog } from './logs.js';
import { snapshotSize, type PbsSimState, type SimDatastore, type SimSnapshot } from './state.js';

/** PBS's error for a backup whose time is not newer than its group's last snapshot. */
export const NOT_NEWER = 'backup timestamp is older than last backup.';

/** The link's view of datastore `ds`. */
export function backupIntake(state: PbsSimState, ds: SimDatastore): LinkedBackupStore {
  const refusal = (b: Pick<NewLinkedBackup, 'type' | 'id' | 'time'>): string | undefined =>
    ds.snapshots.some((s) => s.type === b.type && s.id === b.id && s.time >= b.time) ? NOT_NEWER : undefined;
  return {
    refusal,
    datastore: ds.name,
    list: () => ds.snapshots
      .filter((s): s is SimSnapshot & { type: 'vm' | 'ct' } => s.type === 'vm' || s.type === 'ct')
      .map((s) => ({
        type: s.type, id: s.id, time: s.time, size: snapshotSize(s), protected: s.protected,
        ...(s.comment !== undefined ? { notes: s.comment } : {}),
        ...(s.verification ? { verification: { ...s.verification } } : {}),
      })),
    add: (b: NewLinkedBackup) => {
      const refused = refusal(b);
      if (refused) throw new Error(refused);
      const snap: SimSnapshot = {
        type: b.type, id: b.id, time: b.time, owner: b.owner, protected: b.protected ?? false,
        files: b.files.map((f) => ({ filename: f.filename, 'crypt-mode': 'none', size: f.size })),
        ...(b.notes !== undefined ? { comment: b.notes } : {}),
      };
      ds.snapshots.push(snap);
      ds.used = Math.min(ds.total, ds.used + Math.round(snapshotSize(snap) * 0.03));
      state.tasks.addFinished({
        starttime: b.time, endtime: b.time + b.seconds, workerType: 'backup', workerId: `${ds.name}:${b.type}/${b.id}`,
        authId: b.owner, exitstatus: 'OK', lines: backupLog(ds.name, snap, b.fromIp, false),
      });
    },
  };
}
