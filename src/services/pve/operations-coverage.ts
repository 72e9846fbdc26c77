/**
 * @module services/pve/operations-coverage
 * `pve backup-coverage`: which guests would be lost in a disaster. Guests no backup job
 * includes (`GET /cluster/backup-info/not-backed-up`), guests a job includes whose
 * newest backup is older than `services.pve.backup_stale_hours` (or that have none), and
 * the jobs themselves (`GET /cluster/backup`).
 */
import { z } from 'zod';
import { formatAge, formatTime } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { table, text, toned } from '../../core/render.js';
import { backupContent, backupJobs, backupStorages, notBackedUp, type BackupJob } from './api-backup.js';
import type { PveClient } from './client.js';
import { pveClientFactory } from './factory.js';

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
}

/** A scheduled job in the report. */
export interface CoverageJob {
  id: string;
  enabled: boolean;
  schedule: string | null;
  storage: string | null;
  /** `all`, or the listed VMIDs. */
  guests: 'all' | number[];
  exclude: number[];
  node: string | null;
  /** Epoch seconds. */
  nextRun: number | null;
  comment: string | null;
}

/** JSON shape of `pve backup-coverage`. */
export interface Coverage {
  staleHours: number;
  /** Guests no enabled job includes. */
  notCovered: CoverageGuest[];
  /** Guests a job includes whose newest backup is older than `staleHours`, or missing. */
  stale: CoverageGuest[];
  /** Guests covered and backed up recently. */
  fresh: number;
  jobs: CoverageJob[];
}

const ids = (list: string | undefined): number[] => (list ?? '').split(/[,;\s]+/).filter(Boolean).map(Number);

function toJob(j: BackupJob): CoverageJob {
  return {
    id: j.id, enabled: j.enabled === undefined || j.enabled === 1 || j.enabled === true, schedule: j.schedule ?? null, storage: j.storage ?? null,
    guests: j.all === 1 || j.all === true ? 'all' : ids(j.vmid), exclude: ids(j.exclude), node: j.node ?? null,
    nextRun: j['next-run'] ?? null, comment: j.comment ?? null,
  };
}

/** The newest backup of every guest, over every backup storage of every online node (shared ones once). */
async function newestBackups(client: PveClient, signal: AbortSignal): Promise<Map<number, { time: number; storage: string }>> {
  const nodes = (await client.nodes(signal)).filter((n) => n.status === 'online').map((n) => n.node).sort();
  const asked = new Set<string>();
  const lists = await Promise.all(nodes.map(async (node) => {
    const storages = (await backupStorages(client, node, signal)).filter((s) => {
      const key = s.shared === 1 ? s.storage : `${node}/${s.storage}`;
      if (asked.has(key)) return false;
      asked.add(key);
      return true;
    });
    return Promise.all(storages.map(async (s) => (await backupContent(client, node, s.storage, undefined, signal)).map((v) => ({ v, storage: s.storage }))));
  }));
  const newest = new Map<number, { time: number; storage: string }>();
  for (const { v, storage } of lists.flat(2)) {
    if (v.vmid === undefined || v.ctime === undefined) continue;
    if ((newest.get(v.vmid)?.time ?? -1) < v.ctime) newest.set(v.vmid, { time: v.ctime, storage });
  }
  return newest;
}

/** `pve backup-coverage`. */
export const pveBackupCoverage = defineOperation({
  id: 'pve.backup-coverage',
  summary: 'Guests no backup job covers, and guests whose newest backup is too old',
  description: 'A guest is stale when a job includes it but its newest backup is older than services.pve.backup_stale_hours (default 26).',
  input: z.object({}),
  risk: 'read',
  examples: ['pve backup-coverage', 'pve backup-coverage --json'],
  async run(ctx): Promise<Coverage> {
    const client = await ctx.client(pveClientFactory);
    const staleHours = client.settings.backup_stale_hours ?? 26;
    const [jobs, missing, guests, newest] = await Promise.all([backupJobs(client, ctx.signal), notBackedUp(client, ctx.signal), client.guests(ctx.signal), newestBackups(client, ctx.signal)]);
    const uncovered = new Set(missing.map((m) => m.vmid));
    const cutoff = Date.now() / 1000 - staleHours * 3600;
    const rows = guests.filter((g) => g.vmid !== undefined).map((g): CoverageGuest => {
      const n = newest.get(g.vmid as number);
      return {
        vmid: g.vmid as number, name: g.name ?? '', type: g.type === 'lxc' ? 'lxc' : 'qemu', node: g.node ?? '', template: g.template === 1,
        newest: n?.time ?? null, storage: n?.storage ?? null,
      };
    }).sort((a, b) => a.vmid - b.vmid);
    const notCovered = rows.filter((g) => uncovered.has(g.vmid));
    const stale = rows.filter((g) => !uncovered.has(g.vmid) && (g.newest === null || g.newest < cutoff));
    return { staleHours, notCovered, stale, fresh: rows.length - notCovered.length - stale.length, jobs: jobs.map(toJob) };
  },
  render: (c) => {
    const guestRow = (g: CoverageGuest) => [g.vmid, g.name, g.template ? `${g.type} (tmpl)` : g.type, g.node, g.newest === null ? toned('never', 'bad') : `${formatTime(g.newest)} (${formatAge(g.newest)})`, g.storage ?? ''];
    const trouble = c.notCovered.length + c.stale.length;
    return [
      text(`${c.notCovered.length} guest(s) no job covers, ${c.stale.length} stale (newest backup older than ${c.staleHours} h), ${c.fresh} fresh`, trouble ? 'warn' : 'ok'),
      table(['vmid>', 'name', 'type', 'node', 'newest backup', 'storage'], c.notCovered.map(guestRow), { title: 'Not in any backup job', empty: 'every guest is in a backup job' }),
      table(['vmid>', 'name', 'type', 'node', 'newest backup', 'storage'], c.stale.map(guestRow), { title: `Stale (older than ${c.staleHours} h)`, empty: 'no stale backups' }),
      table(['job', 'enabled', 'schedule', 'storage', 'guests', 'next run'], c.jobs.map((j) => [
        j.id, j.enabled ? 'yes' : toned('no', 'warn'), j.schedule ?? '', j.storage ?? '',
        j.guests === 'all' ? `all${j.exclude.length ? ` but ${j.exclude.join(',')}` : ''}` : j.guests.join(','), formatTime(j.nextRun),
      ]), { title: 'Backup jobs', empty: 'no backup jobs' }),
    ];
  },
});
