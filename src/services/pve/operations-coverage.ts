/**
 * @module services/pve/operations-coverage
 * `pve backup-coverage`: which guests would be lost in a disaster. Guests no enabled backup
 * job includes (`GET /cluster/backup-info/not-backed-up`, which like PVE counts disabled
 * jobs too, plus the guests whose every job is disabled, worked out from `GET /cluster/backup`),
 * guests a job includes whose newest backup is older than `services.pve.backup_stale_hours`
 * (or that have none), and the jobs themselves. A backup counts for a guest only when it is
 * its own, not one of an earlier guest with the same VMID (`backup-listing`). It also names
 * the cluster's PBS storages with the datastore and namespace each writes to (`GET /storage`),
 * so that `check` counts only the PBS groups this cluster's backups land in.
 */
import { z } from 'zod';
import { formatAge, formatTime } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { table, text, toned } from '../../core/render.js';
import { mapLimit } from '../../core/map-limit.js';
import { backupJobs, notBackedUp, type BackupJob } from './api-backup.js';
import { describeSelection, jobSelects, type JobSelection } from './backup-job-selection.js';
import { creationTime, isBackupOf, listBackups } from './backup-listing.js';
import type { PveClient } from './client.js';
import { pveClientFactory } from './factory.js';
import { guestRefOf, type GuestRef } from './schemas.js';

/** A guest in the report. */
export interface CoverageGuest {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  template: boolean;
  /** Epoch seconds of the newest backup on any backup storage; null: none. */
  newest: number | null;
  /** Where the newest backup is. */
  storage: string | null;
  /** The disabled jobs that include it, when no enabled one does (then it is not covered); else empty. */
  disabledJobs: string[];
}

/** A scheduled job in the report. */
export interface CoverageJob extends JobSelection {
  id: string;
  enabled: boolean;
  schedule: string | null;
  storage: string | null;
  /** Epoch seconds. */
  nextRun: number | null;
  comment: string | null;
}

/** A PBS storage of the cluster: where backups to it land on the PBS side. */
export interface PbsStorage {
  storage: string;
  datastore: string | null;
  /** The PBS namespace (`site-a`, `a/b`); null: the root namespace. */
  namespace: string | null;
}

/** JSON shape of `pve backup-coverage`. */
export interface Coverage {
  staleHours: number;
  /** Guests no enabled job includes (`disabledJobs` names the disabled ones that do). */
  notCovered: CoverageGuest[];
  /** Guests an enabled job includes whose newest backup is older than `staleHours`, or missing. */
  stale: CoverageGuest[];
  /** Guests covered and backed up recently. */
  fresh: number;
  jobs: CoverageJob[];
  /** The cluster's storages of type `pbs`, from the storage configuration. */
  pbsStorages: PbsStorage[];
}

const ids = (list: string | undefined): number[] => (list ?? '').split(/[,;\s]+/).filter(Boolean).map(Number);
const on = (flag: boolean | number | undefined): boolean => flag === 1 || flag === true;

/** A job as the report shows it; its guests chosen the way PVE does (pool, else vmid, else all). */
function toJob(j: BackupJob): CoverageJob {
  const guests: CoverageJob['guests'] = j.pool ? { pool: j.pool } : j.vmid ? ids(j.vmid) : on(j.all) ? 'all' : [];
  return {
    id: j.id, enabled: j.enabled === undefined || on(j.enabled), schedule: j.schedule ?? null, storage: j.storage ?? null,
    guests, exclude: ids(j.exclude), node: j.node ?? null, nextRun: j['next-run'] ?? null, comment: j.comment ?? null,
  };
}

/**
 * The newest backup of each guest, over every backup storage of every online node (shared
 * ones once). A backup counts for a guest only when it is its own (`isBackupOf`): the same
 * type and, for a VM, not older than the VM, so a reused VMID does not inherit the backups
 * of the guest that had it before. VM configs are read only for VMs with a backup.
 */
async function newestBackups(client: PveClient, guests: readonly GuestRef[], signal: AbortSignal): Promise<Map<number, { time: number; storage: string }>> {
  const backups = await listBackups(client, undefined, undefined, signal);
  const withBackups = new Set(backups.map((b) => b.vmid));
  const vms = guests.filter((g) => g.type === 'qemu' && withBackups.has(g.vmid));
  // A config that cannot be read (no VM.Audit on it) leaves that VM's backups counted by type alone.
  const created = new Map(await mapLimit(vms, 8, async (g) => [g.vmid, creationTime(await client.configOnce(g, signal).catch(() => ({})))] as const));
  const byGuest = new Map<number | null, typeof backups>();
  for (const b of backups) byGuest.set(b.vmid, [...(byGuest.get(b.vmid) ?? []), b]);
  const newest = new Map<number, { time: number; storage: string }>();
  for (const g of guests) {
    for (const b of byGuest.get(g.vmid) ?? []) {
      if (b.time === null || !isBackupOf(b, g, created.get(g.vmid))) continue;
      if ((newest.get(g.vmid)?.time ?? -1) < b.time) newest.set(g.vmid, { time: b.time, storage: b.storage });
    }
  }
  return newest;
}

/** The disabled jobs that select guest `g` when no enabled one does; empty when an enabled one does, or none is seen to. */
function onlyDisabledJobs(jobs: readonly CoverageJob[], g: GuestRef & { pool?: string | undefined }): string[] {
  const selecting = jobs.filter((j) => jobSelects(j, g));
  return selecting.length && selecting.every((j) => !j.enabled) ? selecting.map((j) => j.id) : [];
}

/** `pve backup-coverage`. */
export const pveBackupCoverage = defineOperation({
  id: 'pve.backup-coverage',
  summary: 'Guests no backup job covers, and guests whose newest backup is too old',
  description: 'A guest only disabled jobs include is not covered. A guest is stale when an enabled job includes it but its newest backup is older than services.pve.backup_stale_hours (default 26). '
    + 'Backups of an earlier guest with the same id (another type, or for a VM older than its creation) do not count.',
  input: z.object({}),
  risk: 'read',
  pages: 'notCovered',
  examples: ['pve backup-coverage', 'pve backup-coverage --json'],
  async run(ctx): Promise<Coverage> {
    const client = await ctx.client(pveClientFactory);
    const staleHours = client.settings.backup_stale_hours ?? 26;
    const [rawJobs, missing, resources, pbsConfig] = await Promise.all([
      backupJobs(client, ctx.signal), notBackedUp(client, ctx.signal), client.guests(ctx.signal), client.storageConfig('pbs', ctx.signal),
    ]);
    const pbsStorages = pbsConfig.filter((s) => s.type === 'pbs')
      .map((s): PbsStorage => ({ storage: s.storage, datastore: s.datastore ?? null, namespace: s.namespace?.replace(/^\/+|\/+$/g, '') || null }));
    const jobs = rawJobs.map(toJob);
    const guests = resources.flatMap((r) => {
      const g = guestRefOf(r);
      return g ? [{ ...g, pool: r.pool }] : [];
    });
    const newest = await newestBackups(client, guests, ctx.signal);
    const uncovered = new Set(missing.map((m) => m.vmid));
    const cutoff = Date.now() / 1000 - staleHours * 3600;
    const rows = guests.map((g): CoverageGuest => {
      const n = newest.get(g.vmid);
      return {
        vmid: g.vmid, name: g.name, type: g.type, node: g.node, template: g.template, newest: n?.time ?? null, storage: n?.storage ?? null,
        disabledJobs: uncovered.has(g.vmid) ? [] : onlyDisabledJobs(jobs, g),
      };
    }).sort((a, b) => a.vmid - b.vmid);
    const notCovered = rows.filter((g) => uncovered.has(g.vmid) || g.disabledJobs.length > 0);
    const stale = rows.filter((g) => !notCovered.includes(g) && (g.newest === null || g.newest < cutoff));
    return { staleHours, notCovered, stale, fresh: rows.length - notCovered.length - stale.length, jobs, pbsStorages };
  },
  render: (c) => {
    const guestRow = (g: CoverageGuest) => [g.vmid, g.name, g.template ? `${g.type} (tmpl)` : g.type, g.node, g.newest === null ? toned('never', 'bad') : `${formatTime(g.newest)} (${formatAge(g.newest)})`, g.storage ?? ''];
    const why = (g: CoverageGuest): string => (g.disabledJobs.length ? `only in disabled job${g.disabledJobs.length === 1 ? '' : 's'} ${g.disabledJobs.join(', ')}` : 'in no job');
    const trouble = c.notCovered.length + c.stale.length;
    return [
      text(`${c.notCovered.length} guest(s) no enabled job covers, ${c.stale.length} stale (newest backup older than ${c.staleHours} h), ${c.fresh} fresh`, trouble ? 'warn' : 'ok'),
      table(['vmid>', 'name', 'type', 'node', 'newest backup', 'storage', 'why'], c.notCovered.map((g) => [...guestRow(g), why(g)]), { title: 'Not in any enabled backup job', empty: 'every guest is in an enabled backup job' }),
      table(['vmid>', 'name', 'type', 'node', 'newest backup', 'storage'], c.stale.map(guestRow), { title: `Stale (older than ${c.staleHours} h)`, empty: 'no stale backups' }),
      table(['job', 'enabled', 'schedule', 'storage', 'guests', 'next run'], c.jobs.map((j) => [
        j.id, j.enabled ? 'yes' : toned('no', 'warn'), j.schedule ?? '', j.storage ?? '', describeSelection(j), formatTime(j.nextRun),
      ]), { title: 'Backup jobs', empty: 'no backup jobs' }),
    ];
  },
});
