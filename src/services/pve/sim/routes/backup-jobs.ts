/**
 * @module services/pve/sim/routes/backup-jobs
 * Scheduled backups: `GET /cluster/backup` (the jobs, with `next-run`) and
 * `GET /cluster/backup-info/not-backed-up` (guests no job includes, as
 * `PVE::VZDump::get_included_guests` decides: the members of a job's `pool`, else its
 * `vmid` list, else `all` minus `exclude`, limited to its `node`). Like PVE
 * (`PVE/API2/Cluster/BackupInfo.pm`, `get_included_vmids`), every job counts, disabled
 * ones too.
 */
import type { RouteTable } from '../context.js';
import { nextDailyRun } from '../seed-backup-jobs.js';
import type { PveState, SimBackupJob, SimGuest } from '../state.js';

/** Whether `job` selects guest `g` (whether or not the job is enabled). */
export function jobIncludes(job: SimBackupJob, g: SimGuest): boolean {
  if (job.node && job.node !== g.node) return false;
  if (job.pool) return g.pool === job.pool;
  if (job.vmid?.length) return job.vmid.includes(g.vmid);
  if (job.all) return !(job.exclude ?? []).includes(g.vmid);
  return false;
}

/** A job as `GET /cluster/backup` lists it. */
function jobEntry(job: SimBackupJob, now: number): Record<string, unknown> {
  const entry: Record<string, unknown> = { id: job.id, type: 'vzdump', schedule: job.schedule, storage: job.storage, mode: job.mode, enabled: job.enabled ? 1 : 0 };
  if (job.pool) entry.pool = job.pool;
  if (job.vmid) entry.vmid = job.vmid.join(',');
  if (job.all) entry.all = 1;
  if (job.exclude?.length) entry.exclude = job.exclude.join(',');
  if (job.node) entry.node = job.node;
  if (job.comment) entry.comment = job.comment;
  if (job['notes-template']) entry['notes-template'] = job['notes-template'];
  if (job['prune-backups']) entry['prune-backups'] = job['prune-backups'];
  const next = job.enabled ? nextDailyRun(job.schedule, now) : undefined;
  if (next !== undefined) entry['next-run'] = next;
  return entry;
}

/** Removes a guest from every job (`purge` of a destroyed guest); a job left with no guests goes too. */
export function removeFromJobs(state: PveState, vmid: number): void {
  state.backupJobs = state.backupJobs.flatMap((job) => {
    if (job.exclude?.includes(vmid)) job.exclude = job.exclude.filter((v) => v !== vmid);
    if (!job.vmid?.includes(vmid)) return [job];
    job.vmid = job.vmid.filter((v) => v !== vmid);
    return job.vmid.length > 0 ? [job] : [];
  });
}

/** The backup job routes. */
export const backupJobRoutes: RouteTable = {
  'GET /cluster/backup': (ctx) => ({ data: ctx.state.backupJobs.map((j) => jobEntry(j, Math.floor(ctx.nowMs / 1000))) }),
  'GET /cluster/backup-info/not-backed-up': (ctx) => ({
    data: [...ctx.state.guests.values()]
      .filter((g) => !ctx.state.backupJobs.some((j) => jobIncludes(j, g)))
      .sort((a, b) => a.vmid - b.vmid)
      .map((g) => ({ vmid: g.vmid, type: g.type, name: g.name })),
  }),
};
