/**
 * @module services/pve/disks
 * The volumes a guest config's drives and mount points use, read from the config alone:
 * the config keys that hold them, the storage of a volume id, the volumes PVE counts on
 * a storage (CD-ROM images too), and the disk volumes a destroy or a restore replaces.
 */

/** Config keys of a guest's drives and mount points, its `unused` disks included. */
const DRIVE_KEY = /^(scsi|virtio|sata|ide|efidisk|tpmstate|unused|mp)\d+$|^rootfs$/;

/** The volume of a drive value (`local-lvm:vm-200-disk-0` of `local-lvm:vm-200-disk-0,size=32G`). */
const volumeOf = (value: string): string => value.split(',')[0] as string;

/** The drive entries of a config with a string value (`unused`: also the unused disks). */
function drives(config: Record<string, unknown>, unused: boolean): [string, string][] {
  return Object.entries(config)
    .filter((e): e is [string, string] => DRIVE_KEY.test(e[0]) && typeof e[1] === 'string')
    .filter(([k]) => unused || !k.startsWith('unused'));
}

/** The storage of a volume id (`local-lvm` of `local-lvm:vm-200-disk-0`). */
export const storageOf = (volid: string): string => volid.split(':')[0] as string;

/**
 * The storage volumes of a config's drives and mount points, as PVE counts them on a storage:
 * CD-ROM images included; not `unused` disks, `none`, `cdrom` or bind mounts.
 */
export function driveVolumes(config: Record<string, unknown>): string[] {
  return drives(config, false).map(([, v]) => volumeOf(v)).filter((volid) => volid.includes(':'));
}

/** The disk volumes of a config, `unused` ones included (not CD-ROMs): what a destroy removes, a restore replaces. */
export function diskVolumes(config: Record<string, unknown>): string[] {
  return drives(config, true).filter(([, v]) => !/media=cdrom/.test(v)).map(([, v]) => volumeOf(v));
}
