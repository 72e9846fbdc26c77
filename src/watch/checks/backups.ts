/**
 * @module watch/checks/backups
 * Backups, from `pbs status`: a group whose last backup is older than PBS's threshold
 * (`services.pbs.stale_hours`), a last snapshot that failed verification, a failed
 * garbage collection, a datastore nearly full, and tasks that failed in the last 24 h
 * (such an alert resolves when the failure is a day old).
 */
import { z } from 'zod';
import { formatDuration } from '../../core/format.js';
import { withNamespace } from '../../services/pbs/health.js';
import { defineCheck, type Finding } from '../check.js';

const statusSchema = z.object({
  staleHours: z.number(),
  datastores: z.array(z.object({ store: z.string(), usedFraction: z.number().nullable(), gc: z.object({ state: z.string().nullable(), ok: z.boolean().nullable() }).loose() }).loose()),
  groups: z.array(z.object({ store: z.string(), ns: z.string().optional(), group: z.string(), name: z.string().nullable(), ageHours: z.number(), ageSeconds: z.number().optional(), verify: z.string(), stale: z.boolean() }).loose()),
  failedTasks: z.array(z.object({ type: z.string(), id: z.string().nullable(), status: z.string() }).loose()),
}).loose();

/** `backups`: stale groups, failed verify, GC and tasks, full datastores. */
export const backupsCheck = defineCheck({
  name: 'backups',
  summary: 'A backup group is stale, a backup, verify or GC task failed, a datastore is nearly full',
  operations: ['pbs.status'],
  services: ['pbs'],
  schedule: '*/30 * * * *',
  holdMs: 0,
  options: z.object({
    /** Datastore usage (0..1) that alerts. */
    datastore_full: z.number().gt(0).max(1).default(0.9),
  }),
  async evaluate(runner, options): Promise<Finding[]> {
    const s = statusSchema.parse(await runner.run('pbs.status'));
    const out: Finding[] = [];
    for (const g of s.groups) {
      // A namespace is part of the group's name (`ns/pve/ct/106`); the root's stays `ct/106`, so its keys (and mutes) are unchanged.
      const group = withNamespace(g.ns ?? '', g.group);
      const label = g.name ? `${group} (${g.name})` : group;
      if (g.stale) out.push({ key: `backups:${g.store}/${group}`, message: `${label} on ${g.store}: last backup ${formatDuration(g.ageSeconds ?? g.ageHours * 3600)} ago (over ${s.staleHours} h)`, severity: 'critical' });
      if (g.verify === 'failed') out.push({ key: `backups:verify:${g.store}/${group}`, message: `${label} on ${g.store}: last snapshot failed verification`, severity: 'critical' });
    }
    for (const d of s.datastores) {
      if (d.gc.ok === false) out.push({ key: `backups:gc:${d.store}`, message: `garbage collection on ${d.store} failed: ${d.gc.state ?? 'error'}`, severity: 'warning' });
      if (d.usedFraction !== null && d.usedFraction >= options.datastore_full) {
        out.push({ key: `backups:full:${d.store}`, message: `datastore ${d.store} is ${Math.round(d.usedFraction * 100)}% full`, severity: 'critical' });
      }
    }
    const tasks = new Map<string, { count: number; status: string }>();
    for (const t of s.failedTasks) {
      const what = `${t.type}${t.id ? ` ${t.id}` : ''}`;
      tasks.set(what, { count: (tasks.get(what)?.count ?? 0) + 1, status: t.status });
    }
    for (const [what, t] of tasks) {
      out.push({ key: `backups:task:${what}`, message: `task ${what} failed${t.count > 1 ? ` ${t.count} times` : ''} in the last 24 h: ${t.status}`, severity: 'warning' });
    }
    return out;
  },
});
