/**
 * @module services/pve/sim/vzdump-log
 * What a vzdump worker prints for one guest, shaped after real runs to a PBS storage
 * (`creating Proxmox Backup Server archive …`, `proxmox-backup-client` output for
 * containers) or to a directory storage (`creating vzdump archive …`), with the
 * percentage lines a VM backup prints: the progress the toolkit shows while it waits.
 * Each mode logs what it does to a running guest: `snapshot` freezes its file systems
 * (guest agent) or takes a storage snapshot, `stop` shuts it down and starts it again.
 */
import { formatBytes } from '../../../core/format.js';
import { backupTimeId } from './backup-volumes.js';
import { GiB } from './guest-config.js';
import type { SimGuest, SimStorage } from './state.js';
import { vzdumpTime } from './task-logs.js';

/** The disks a backup includes: `[config key, volume id, size text]`. */
export function backupDisks(g: SimGuest): [string, string, string][] {
  const keys = Object.keys(g.config).filter((k) => (g.type === 'lxc' ? /^(rootfs|mp\d+)$/ : /^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$/).test(k));
  return keys.flatMap((k) => {
    const v = String(g.config[k]);
    if (/media=cdrom|cloudinit/.test(v)) return [];
    return [[k, v.split(',')[0] ?? v, /size=(\d+[KMGT]?)/.exec(v)?.[1] ?? '0']];
  });
}

/** Bytes of a PVE size text (`32G`, `4M`). */
export function sizeBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(text);
  if (!m) return 0;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: GiB, T: 1024 * GiB }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(m[1]) * unit);
}

/** What one vzdump run was asked to do. */
export interface VzdumpRun {
  g: SimGuest;
  storage: SimStorage;
  mode: 'snapshot' | 'suspend' | 'stop';
  /** Unix seconds the backup starts (the PBS backup time). */
  time: number;
  /** The command line the job log repeats. */
  command: string;
  /** Bytes of the guest's disks. */
  diskBytes: number;
  /** Notes being added, if any. */
  notes: boolean;
  /** The lock error when the guest is locked (the backup of it fails). */
  locked?: string;
  /** PBS's refusal of the backup (`backup timestamp is older than last backup.`): it fails. */
  refused?: string;
}

/** The log lines of one vzdump run, the job's first and last lines included. */
export function vzdumpLines(r: VzdumpRun): string[] {
  const { g } = r;
  const kind = g.type === 'qemu' ? 'vm' : 'ct';
  const lines = [`INFO: starting new backup job: ${r.command}`, `INFO: Starting Backup of VM ${g.vmid} (${g.type})`, `INFO: Backup started at ${vzdumpTime(r.time)}`];
  if (r.locked) {
    return [...lines, `ERROR: Backup of VM ${g.vmid} failed - ${r.locked}`, `INFO: Failed at ${vzdumpTime(r.time)}`, 'INFO: Backup job finished with errors'];
  }
  if (r.refused) return [...lines, `INFO: status = ${g.status}`, ...refusedLines(r, r.refused), `INFO: Failed at ${vzdumpTime(r.time)}`, 'INFO: Backup job finished with errors'];
  const mode = g.status === 'running' ? r.mode : 'stop';
  // Stop mode on a running guest: shut it down, back it up, start it again (no fs-freeze, no snapshot).
  const stopsIt = g.status === 'running' && mode === 'stop';
  lines.push(`INFO: status = ${g.status}`);
  const archive = r.storage.type === 'pbs'
    ? `INFO: creating Proxmox Backup Server archive '${kind}/${g.vmid}/${backupTimeId(r.time)}'`
    : `INFO: creating vzdump archive '/var/lib/vz/dump/vzdump-${g.type}-${g.vmid}-${backupTimeId(r.time).replace(/[-:]/g, '_').replace('T', '-').replace('Z', '')}.${g.type === 'qemu' ? 'vma' : 'tar'}.zst'`;
  const seconds = 4 + Math.round(r.diskBytes / (6 * GiB));
  if (g.type === 'qemu') {
    lines.push(`INFO: backup mode: ${mode}`, 'INFO: ionice priority: 7', `INFO: VM Name: ${g.name}`);
    for (const [key, volid, size] of backupDisks(g)) lines.push(`INFO: include disk '${key}' '${volid}' ${size}`);
    if (stopsIt) lines.push('INFO: stopping virtual guest');
    lines.push(archive);
    if (g.status !== 'running' || stopsIt) lines.push('INFO: starting kvm to execute backup task');
    else if (String(g.config.agent ?? '').startsWith('1')) lines.push("INFO: issuing guest-agent 'fs-freeze' command", "INFO: issuing guest-agent 'fs-thaw' command");
    lines.push(`INFO: started backup task '${g.vmid}-${r.time.toString(16)}'`);
    if (g.status === 'running') lines.push(stopsIt ? 'INFO: resuming VM again after 9 seconds' : 'INFO: resuming VM again');
    const total = formatBytes(r.diskBytes);
    for (const pct of [0, 25, 50, 75, 100]) {
      const done = formatBytes(Math.round((r.diskBytes * pct) / 100));
      lines.push(`INFO: ${String(pct).padStart(3)}% (${done} of ${total}) in ${Math.round((seconds * pct) / 100)}s, read: ${pct ? '5.3 GiB/s' : '0 B/s'}, write: ${pct ? '212.4 MiB/s' : '0 B/s'}`);
    }
    lines.push(`INFO: transferred ${total} in ${seconds} seconds`);
    if (g.status !== 'running') lines.push('INFO: stopping kvm after backup task');
  } else {
    lines.push(`INFO: CT Name: ${g.name}`, "INFO: including mount point rootfs ('/') in backup", `INFO: backup mode: ${mode}`, 'INFO: ionice priority: 7');
    if (stopsIt) lines.push('INFO: stopping virtual guest');
    if (mode === 'snapshot') lines.push("INFO: create storage snapshot 'vzdump'");
    lines.push(archive);
    if (r.storage.type === 'pbs') {
      lines.push(
        `INFO: Starting backup: ct/${g.vmid}/${backupTimeId(r.time)}`,
        `INFO: Client name: ${g.node}`,
        `INFO: root.pxar: had to backup ${formatBytes(Math.round(r.diskBytes * 0.01))} of ${formatBytes(Math.round(r.diskBytes * 0.4))} in ${seconds}.00 s`,
        `INFO: Duration: ${seconds}.00s`,
      );
    } else {
      lines.push(`INFO: Total bytes written: ${Math.round(r.diskBytes * 0.4)} (${formatBytes(Math.round(r.diskBytes * 0.4))}, 212 MiB/s)`);
    }
    if (mode === 'snapshot') lines.push("INFO: cleanup temporary 'vzdump' snapshot");
    if (stopsIt) lines.push('INFO: restarting vm', `INFO: guest is online again after ${seconds + 2} seconds`);
  }
  if (r.notes) lines.push('INFO: adding notes to backup');
  lines.push(
    `INFO: Finished Backup of VM ${g.vmid} (00:00:${String(seconds + 2).padStart(2, '0')})`,
    `INFO: Backup finished at ${vzdumpTime(r.time + seconds + 2)}`,
    'INFO: Backup job finished successfully',
  );
  return lines;
}

/** How a backup PBS refuses at its start fails: a container's proxmox-backup-client exits 255, a VM's QEMU backup job cannot connect. */
function refusedLines(r: VzdumpRun, error: string): string[] {
  const { g } = r;
  const snapshot = `${g.type === 'qemu' ? 'vm' : 'ct'}/${g.vmid}/${backupTimeId(r.time)}`;
  if (g.type === 'qemu') {
    return [
      `INFO: VM Name: ${g.name}`, `INFO: creating Proxmox Backup Server archive '${snapshot}'`,
      `ERROR: Backup of VM ${g.vmid} failed - VM ${g.vmid} qmp command 'backup' failed - backup connect failed: command error: ${error}`,
    ];
  }
  return [
    `INFO: CT Name: ${g.name}`, `INFO: creating Proxmox Backup Server archive '${snapshot}'`,
    `INFO: Starting backup: ${snapshot}`, `INFO: Client name: ${g.node}`, `INFO: Error: ${error}`,
    `ERROR: Backup of VM ${g.vmid} failed - command '/usr/bin/proxmox-backup-client backup --backup-type ct --backup-id ${g.vmid} --backup-time ${r.time}' failed: exit code 255`,
  ];
}
