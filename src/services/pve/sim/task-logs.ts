/**
 * @module services/pve/sim/task-logs
 * What the workers of the simulated tasks print: the log lines of snapshots, rollbacks,
 * `apt-get update` and backup jobs, shaped after the real ones.
 */
import type { SimGuest } from './state.js';

/** The disk volumes of a guest that a snapshot touches: `[config key, volume id]`. */
function disks(guest: SimGuest): [string, string][] {
  const keys = guest.type === 'lxc' ? ['rootfs'] : ['efidisk0', 'scsi0', 'tpmstate0'];
  return keys.flatMap((k) => {
    const v = guest.config[k];
    return typeof v === 'string' ? [[k, v.split(',')[0] ?? v] as [string, string]] : [];
  });
}

const lvName = (volid: string): string => volid.replace(/^[^:]+:/, '');

/** Lines of `qmsnapshot` / `vzsnapshot`. */
export function snapshotLines(guest: SimGuest, snapname: string, vmstate: boolean): string[] {
  const lines: string[] = [];
  if (vmstate) lines.push(`saving VM state and RAM using storage 'local-lvm'`, 'completed saving the VM state in 3s, saved 1.21 GiB');
  for (const [key, volid] of disks(guest)) {
    lines.push(`snapshotting '${guest.type === 'qemu' ? `drive-${key}` : key}' (${volid})`);
    lines.push(`  Logical volume "snap_${lvName(volid)}_${snapname}" created.`);
  }
  return lines;
}

/** Lines of `qmdelsnapshot` / `vzdelsnapshot`. */
export function deleteSnapshotLines(guest: SimGuest, snapname: string): string[] {
  return disks(guest).map(([, volid]) => `  Logical volume "snap_${lvName(volid)}_${snapname}" successfully removed.`);
}

/** Lines of `qmrollback` / `vzrollback`. */
export function rollbackLines(guest: SimGuest): string[] {
  return disks(guest).flatMap(([, volid]) => [
    `  Logical volume "${lvName(volid)}" successfully removed.`,
    `  Logical volume "${lvName(volid)}" created.`,
  ]);
}

/** Lines of `aptupdate` (the daily `pveupdate` and `POST apt/update`). */
export function aptUpdateLines(): string[] {
  return [
    'starting apt-get update',
    'Hit:1 http://deb.debian.org/debian trixie InRelease',
    'Get:2 http://deb.debian.org/debian trixie-updates InRelease [47.3 kB]',
    'Get:3 http://security.debian.org/debian-security trixie-security InRelease [43.4 kB]',
    'Hit:4 http://download.proxmox.com/debian/pve trixie InRelease',
    'Fetched 90.7 kB in 1s (88.2 kB/s)',
    'Reading package lists...',
  ];
}

/** Local date-time as vzdump prints it. */
export function vzdumpTime(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}
