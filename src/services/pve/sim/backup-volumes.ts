/**
 * @module services/pve/sim/backup-volumes
 * Backup volumes: what a storage holds (for the `pbs` storage in the lab, the PBS
 * simulator's datastore through the backup link, in the storage's `namespace`), finding
 * one by volid, the guest config its archive holds, and writing a new one (vzdump).
 */
import { guests as labGuests } from '../../../lab/inventory.js';
import { backupRefusal } from '../../pbs/sim/backup-intake.js';
import { buildConfig } from './guest-config.js';
import type { GuestConfig, PveState, SimGuest, SimStorage, SimVolume } from './state.js';

/** `2026-12-04T21:50:01Z`, the time part of a PBS backup volid. */
export function backupTimeId(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026_12_04-21_50_01`, the time part of a vzdump file name. */
function fileTime(epoch: number): string {
  return backupTimeId(epoch).replace(/-/g, '_').replace('T', '-').replace(/:/g, '_').replace('Z', '');
}

/** Whether the lab's PBS datastore stands behind this storage. */
function linked(state: PveState, s: SimStorage): boolean {
  return s.type === 'pbs' && state.backupLink?.store !== undefined;
}

/** The volumes of storage `s` (all nodes): for a linked PBS storage, the datastore's snapshots. */
export function volumesOf(state: PveState, s: SimStorage): SimVolume[] {
  const store = linked(state, s) ? state.backupLink?.store : undefined;
  if (!store) return state.volumes.filter((v) => v.storage === s.storage);
  return store.list(s.namespace).map((b): SimVolume => {
    const volid = `${s.storage}:backup/${b.type}/${b.id}/${backupTimeId(b.time)}`;
    const own = state.volumes.find((v) => v.volid === volid);
    return {
      storage: s.storage, volid, content: 'backup', format: `pbs-${b.type}`, subtype: b.type === 'vm' ? 'qemu' : 'lxc',
      size: b.size, ctime: b.time, vmid: Number(b.id), protected: b.protected,
      ...(b.notes !== undefined ? { notes: b.notes } : {}),
      ...(b.verification ? { verification: b.verification } : {}),
      ...(own?.config ? { config: own.config } : {}),
    };
  });
}

/** The backup volume `volid` names, if its storage has it. */
export function findBackup(state: PveState, volid: string): SimVolume | undefined {
  const storage = state.storages.find((s) => volid.startsWith(`${s.storage}:`));
  return storage ? volumesOf(state, storage).find((v) => v.volid === volid && v.content === 'backup') : undefined;
}

/** The guest type a backup volume holds. */
export function backupGuestType(v: SimVolume): 'qemu' | 'lxc' {
  if (v.subtype === 'qemu' || v.subtype === 'lxc') return v.subtype;
  return /pbs-vm|vzdump-qemu|\.vma/.test(`${v.format} ${v.volid}`) ? 'qemu' : 'lxc';
}

/**
 * The config the archive holds: recorded when the simulator wrote it; for seeded
 * backups, the guest's config as the inventory describes it.
 */
export function backupConfig(v: SimVolume): GuestConfig | undefined {
  if (v.config) return { ...v.config };
  const g = labGuests.find((x) => x.vmid === v.vmid);
  return g ? buildConfig(g, Math.floor((v.ctime ?? 0) - 86_400 * 200)) : undefined;
}

/** What vzdump writes for `g` at `time` on storage `s`: the new volume (not yet stored). */
export function newBackupVolume(s: SimStorage, g: SimGuest, time: number, size: number, notes: string | undefined): SimVolume {
  const kind = g.type === 'qemu' ? 'vm' : 'ct';
  const pbs = s.type === 'pbs';
  const volid = pbs
    ? `${s.storage}:backup/${kind}/${g.vmid}/${backupTimeId(time)}`
    : `${s.storage}:backup/vzdump-${g.type}-${g.vmid}-${fileTime(time)}.${g.type === 'qemu' ? 'vma' : 'tar'}.zst`;
  return {
    storage: s.storage, volid, content: 'backup', format: pbs ? `pbs-${kind}` : `${g.type === 'qemu' ? 'vma' : 'tar'}.zst`,
    subtype: g.type, size, ctime: time, vmid: g.vmid, config: { ...g.config },
    ...(pbs ? {} : { node: g.node }),
    ...(notes !== undefined && notes !== '' ? { notes } : {}),
  };
}

/** The archives of a backup of `g` (PBS file names and sizes). */
export function backupFiles(g: SimGuest, size: number): { filename: string; size: number }[] {
  if (g.type === 'qemu') {
    return [
      { filename: 'qemu-server.conf.blob', size: 480 },
      { filename: 'drive-scsi0.img.fidx', size },
      { filename: 'index.json.blob', size: 561 },
      { filename: 'client.log.blob', size: 1_904 },
    ];
  }
  return [
    { filename: 'pct.conf.blob', size: 352 },
    { filename: 'catalog.pcat1.didx', size: 812_000 },
    { filename: 'root.pxar.didx', size },
    { filename: 'index.json.blob', size: 653 },
    { filename: 'client.log.blob', size: 2_260 },
  ];
}

/**
 * Why the PBS behind storage `s` refuses a backup of `g` at `time` (the lab's datastore
 * decides for a linked storage; else this storage's own volumes, by the same rule,
 * `backupRefusal`). Undefined for other storage types.
 */
export function pbsRefusal(state: PveState, s: SimStorage, g: SimGuest, time: number): string | undefined {
  if (s.type !== 'pbs') return undefined;
  const type = g.type === 'qemu' ? 'vm' : 'ct';
  const store = linked(state, s) ? state.backupLink?.store : undefined;
  if (store) return store.refusal({ type, id: String(g.vmid), time }, s.namespace);
  const snapshots = volumesOf(state, s).filter((v) => v.vmid === g.vmid && backupGuestType(v) === g.type)
    .map((v) => ({ type, id: String(g.vmid), time: v.ctime ?? 0, verification: v.verification }));
  return backupRefusal(snapshots, { type, id: String(g.vmid), time });
}

/** Stores a volume vzdump wrote: in the lab's PBS datastore for a linked PBS storage, and in the state. */
export function storeBackup(state: PveState, s: SimStorage, v: SimVolume, g: SimGuest, seconds: number): void {
  state.volumes.push(v);
  const store = linked(state, s) ? state.backupLink?.store : undefined;
  if (!store) return;
  const node = state.nodes.get(g.node);
  store.add({
    type: g.type === 'qemu' ? 'vm' : 'ct', id: String(g.vmid), time: v.ctime ?? 0, files: backupFiles(g, v.size),
    fromIp: node?.ip ?? '10.5.0.1', owner: 'root@pam', seconds, ...(v.notes !== undefined ? { notes: v.notes } : {}),
  }, s.namespace);
}
