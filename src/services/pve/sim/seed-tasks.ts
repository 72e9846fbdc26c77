/**
 * @module services/pve/sim/seed-tasks
 * Last week's task history of the seeded nodes: boot-time `startall` (the failed start
 * of guest 201 is why it is stopped although onboot=1), nightly backup jobs (106 failing
 * since the PBS datastore filled up), daily `apt-get update`s and the snapshots the
 * guests carry.
 */
import { guests as labGuests } from '../../../lab/inventory.js';
import { intIn } from './noise.js';
import type { SimGuest, SimNode, SimTask } from './state.js';
import { aptUpdateLines, snapshotLines, vzdumpTime } from './task-logs.js';
import { formatUpid } from './upid.js';

const HOUR = 3_600;
/** Error of the backups that hit the full PBS datastore. */
const DATASTORE_FULL = 'backup write data failed: command error: write_data upload error: pipelined request failed: No space left on device (os error 28)';
/** Why 201 did not come up at the last boot of pve2. */
export const BOOT_START_ERROR = 'start failed: QEMU exited with code 1';

interface Finished { node: SimNode; type: string; id: string; user: string; start: number; seconds: number; exitstatus: string; log: string[] }

/** The last line of a finished task's log, as PVE writes it (pve.md §5): `TASK OK`, `TASK WARNINGS: n`, `TASK ERROR: <msg>`. */
function endLine(exitstatus: string): string {
  if (exitstatus === 'OK') return 'TASK OK';
  return exitstatus.startsWith('WARNINGS: ') ? `TASK ${exitstatus}` : `TASK ERROR: ${exitstatus}`;
}

function finished(t: Finished): SimTask {
  const pid = intIn(`pid-${t.node.name}-${t.type}-${t.start}`, 1000, 4_000_000);
  // pstart: clock ticks since boot; tasks from before the last boot get a made-up one.
  const sinceBoot = t.start - t.node.bootedAt;
  const pstart = sinceBoot > 0 ? sinceBoot * 100 + intIn(`ps-${t.start}`, 0, 99) : intIn(`ps-${t.start}`, 5_000, 90_000_000);
  const upid = formatUpid({ node: t.node.name, pid, pstart, starttime: t.start, type: t.type, id: t.id, user: t.user });
  return {
    upid, node: t.node.name, pid, pstart, starttime: t.start, type: t.type, id: t.id, user: t.user,
    status: 'stopped', exitstatus: t.exitstatus, endtime: t.start + t.seconds, log: [...t.log, endLine(t.exitstatus)],
  };
}

function bootTasks(node: SimNode): SimTask[] {
  const onboot = labGuests.filter((g) => g.node === node.name && g.onboot);
  const start = node.bootedAt + 35;
  const tasks: SimTask[] = [];
  const log: string[] = [];
  onboot.forEach((g, i) => {
    const kind = g.type === 'lxc' ? 'CT' : 'VM';
    const failed = g.status === 'stopped';
    log.push(`Starting ${kind} ${g.vmid}`);
    tasks.push(finished({
      node, type: g.type === 'lxc' ? 'vzstart' : 'qmstart', id: String(g.vmid), user: 'root@pam',
      start: start + i * 4, seconds: 3, exitstatus: failed ? BOOT_START_ERROR : 'OK', log: [],
    }));
    if (failed) log.push(`${kind} ${g.vmid} start failed: ${BOOT_START_ERROR}`);
  });
  tasks.unshift(finished({ node, type: 'startall', id: '', user: 'root@pam', start, seconds: onboot.length * 4 + 2, exitstatus: 'OK', log }));
  return tasks;
}

function backupJob(node: SimNode, hoursAgo: number, now: number): SimTask {
  const members = labGuests.filter((g) => g.node === node.name && g.lastBackupHoursAgo !== undefined && g.lastBackupHoursAgo <= 100);
  const start = now - hoursAgo * HOUR - 300;
  const log = [`INFO: starting new backup job: vzdump ${members.map((g) => g.vmid).join(' ')} --mode snapshot --storage pbs --notes-template '{{guestname}}' --quiet 1 --fleecing 0`];
  let t = start + 2;
  let errors = false;
  for (const g of members) {
    const ok = hoursAgo >= (g.lastBackupHoursAgo ?? 0);
    const secs = intIn(`dur-${g.vmid}-${hoursAgo}`, 20, 140);
    log.push(`INFO: Starting Backup of VM ${g.vmid} (${g.type})`, `INFO: Backup started at ${vzdumpTime(t)}`);
    log.push(`INFO: status = ${g.status}`, `INFO: ${g.type === 'lxc' ? 'CT' : 'VM'} Name: ${g.name}`);
    if (ok) {
      log.push(`INFO: Finished Backup of VM ${g.vmid} (00:${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')})`);
      log.push(`INFO: Backup finished at ${vzdumpTime(t + secs)}`);
    } else {
      errors = true;
      log.push(`ERROR: Backup of VM ${g.vmid} failed - ${DATASTORE_FULL}`, `INFO: Failed at ${vzdumpTime(t + secs)}`);
    }
    t += secs + 1;
  }
  log.push(errors ? 'INFO: Backup job finished with errors' : 'INFO: Backup job finished successfully');
  if (!errors) log.push('INFO: notified via target `mail-to-root`');
  return finished({ node, type: 'vzdump', id: '', user: 'root@pam', start, seconds: t - start, exitstatus: errors ? 'job errors' : 'OK', log });
}

function snapshotTasks(nodes: Map<string, SimNode>, guests: Map<number, SimGuest>): SimTask[] {
  const tasks: SimTask[] = [];
  for (const g of guests.values()) {
    const node = nodes.get(g.node);
    if (!node) continue;
    for (const s of g.snapshots) {
      tasks.push(finished({
        node, type: g.type === 'lxc' ? 'vzsnapshot' : 'qmsnapshot', id: String(g.vmid), user: 'root@pam',
        start: s.snaptime, seconds: 2, exitstatus: 'OK', log: snapshotLines(g, s.name, false),
      }));
    }
  }
  return tasks;
}

/** The finished tasks of the last week (and each node's last boot), oldest first. */
export function seedTasks(now: number, nodes: Map<string, SimNode>, guests: Map<number, SimGuest>): SimTask[] {
  const tasks: SimTask[] = [];
  for (const node of nodes.values()) {
    tasks.push(...bootTasks(node));
    for (const h of [77, 53, 29, 5]) tasks.push(backupJob(node, h, now));
    for (let day = 6; day >= 0; day--) {
      const start = now - (3 + day * 24) * HOUR - intIn(`apt-${node.name}-${day}`, 0, 1800);
      tasks.push(finished({ node, type: 'aptupdate', id: '', user: 'root@pam', start, seconds: 4, exitstatus: 'OK', log: aptUpdateLines() }));
    }
  }
  tasks.push(...snapshotTasks(nodes, guests));
  return tasks.filter((t) => t.starttime <= now).sort((a, b) => a.starttime - b.starttime);
}
