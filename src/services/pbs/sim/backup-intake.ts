/**
 * @module services/pbs/sim/backup-intake
 * The PBS side of the lab's backup link (`lab/backup-link.ts`): PVE's `pbs` storage lists
 * this datastore's snapshots, and a vzdump to it lands here as a new snapshot with the
 * `backup` task PBS logs for it, so `pbs snapshots` shows what `pve backup` just made.
 *
 * A snapshot's id is its group and its time in whole seconds. Before anything is written,
 * PBS refuses a backup the way proxmox-backup's backup protocol does (src/api2/backup/mod.rs
 * in the proxmox-backup repository), see `backupRefusal`.
 */
import type { LinkedBackupStore, NewLinkedBackup } from '../../../lab/backup-link.js';
import { backupLog } from './logs.js';
import { snapshotSize, type PbsSimState, type SimDatastore, type SimSnapshot } from './state.js';

/** PBS's error for a backup whose time is not newer than its group's last (finished, not failed-verify) snapshot. */
export const NOT_NEWER = 'backup timestamp is older than last backup.';

/** PBS's error for a backup whose snapshot (group and second) exists already. */
export const EXISTS = 'backup directory already exists.';

/** What the refusal reads of a snapshot. */
export interface SnapshotTime {
  type: string;
  id: string;
  time: number;
  verification?: { state: string };
}

/**
 * Why PBS refuses a backup of group `type/id` at `time` among `snapshots`, as
 * proxmox-backup does: the group's last finished snapshot (every snapshot here is finished)
 * is compared only when its verify state is not `failed`, and then the new time must be
 * later (else `NOT_NEWER`); a snapshot of that very second refuses it after that (`EXISTS`),
 * which is what a same-second backup after a failed-verify snapshot meets.
 */
export function backupRefusal(snapshots: readonly SnapshotTime[], b: Pick<NewLinkedBackup, 'type' | 'id' | 'time'>): string | undefined {
  const group = snapshots.filter((s) => s.type === b.type && s.id === b.id);
  const last = group.reduce<SnapshotTime | undefined>((a, s) => (!a || s.time > a.time ? s : a), undefined);
  if (last && last.verification?.state !== 'failed' && b.time <= last.time) return NOT_NEWER;
  return group.some((s) => s.time === b.time) ? EXISTS : undefined;
}

/** PBS's error for a backup into a namespace the datastore does not have. */
export const NO_NAMESPACE = 'namespace not found';

/** The link's view of datastore `ds`: the namespace the PVE storage points at (the root when it has none). */
export function backupIntake(state: PbsSimState, ds: SimDatastore): LinkedBackupStore {
  const inNs = (ns: string | undefined): SimSnapshot[] => ds.snapshots.filter((s) => (s.ns ?? '') === (ns ?? ''));
  const refusal = (b: Pick<NewLinkedBackup, 'type' | 'id' | 'time'>, ns?: string): string | undefined => {
    if (ns && !(ds.namespaces ?? []).includes(ns)) return NO_NAMESPACE;
    return backupRefusal(inNs(ns), b);
  };
  return {
    refusal,
    datastore: ds.name,
    list: (ns?: string) => inNs(ns)
      .filter((s): s is SimSnapshot & { type: 'vm' | 'ct' } => s.type === 'vm' || s.type === 'ct')
      .map((s) => ({
        type: s.type, id: s.id, time: s.time, size: snapshotSize(s), protected: s.protected,
        ...(s.comment !== undefined ? { notes: s.comment } : {}),
        ...(s.verification ? { verification: { ...s.verification } } : {}),
      })),
    add: (b: NewLinkedBackup, ns?: string) => {
      const refused = refusal(b, ns);
      if (refused) throw new Error(refused);
      const snap: SimSnapshot = {
        type: b.type, id: b.id, time: b.time, owner: b.owner, protected: b.protected ?? false,
        files: b.files.map((f) => ({ filename: f.filename, 'crypt-mode': 'none', size: f.size })),
        ...(ns ? { ns } : {}),
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
