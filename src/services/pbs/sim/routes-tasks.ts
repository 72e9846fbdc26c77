/**
 * @module services/pbs/sim/routes-tasks
 * The task endpoints (pbs.md §6.7): the filtered list (newest first, top-level `total`
 * counted the way PBS does: one more than shown when a full page came back), status
 * (`type`/`id` instead of the list's `worker_type`/`worker_id`; an unknown but valid
 * UPID reads as stopped with `unknown`), the log as `{n,t}` lines, and abort.
 */
import { parseAuthId } from './auth.js';
import { compact, hasPriv, PbsHttpError, type Route, type RouteContext } from './route.js';
import { type SimTask, statusClass } from './tasks.js';
import { parseUpid } from './upid.js';

function canSee(ctx: RouteContext, task: { authId: string }): boolean {
  return hasPriv(ctx, 'Sys.Audit') || task.authId === ctx.caller?.authId;
}

function listItem(t: SimTask): Record<string, unknown> {
  return compact({
    upid: t.upid, node: t.node, pid: t.pid, pstart: t.pstart, starttime: t.starttime,
    worker_type: t.workerType, worker_id: t.workerId, user: t.authId, endtime: t.endtime, status: t.exitstatus,
  });
}

function matches(t: SimTask, p: Record<string, unknown>): boolean {
  const cls = statusClass(t);
  if (p.running === true && cls !== 'running') return false;
  if (p.errors === true && cls === 'ok') return false;
  if (typeof p.since === 'number' && t.starttime < p.since) return false;
  if (typeof p.until === 'number' && t.starttime > p.until) return false;
  if (typeof p.typefilter === 'string' && !t.workerType.includes(p.typefilter)) return false;
  if (typeof p.userfilter === 'string' && !t.authId.includes(p.userfilter)) return false;
  if (typeof p.store === 'string' && t.workerId !== p.store && !t.workerId?.startsWith(`${p.store}:`)) return false;
  if (Array.isArray(p.statusfilter) && cls !== 'running' && !p.statusfilter.includes(cls)) return false;
  return true;
}

function taskOf(ctx: RouteContext): SimTask {
  const upid = String(ctx.params.upid);
  const task = ctx.state.tasks.get(upid);
  if (task && !canSee(ctx, task)) throw new PbsHttpError(403, 'permission check failed');
  if (!task) throw new PbsHttpError(400, `open file '/var/log/proxmox-backup/tasks/${upid.split(':')[4]?.slice(-2) ?? '00'}/${upid}' failed - No such file or directory (os error 2)`);
  return task;
}

/** The task routes. */
export const taskRoutes: Route[] = [
  {
    method: 'GET', path: '/nodes/{node}/tasks',
    handle: (ctx) => {
      ctx.state.tasks.settle();
      const p = ctx.params;
      const start = typeof p.start === 'number' ? p.start : 0;
      const limit = typeof p.limit === 'number' ? p.limit : 50;
      const all = ctx.state.tasks.tasks
        .filter((t) => canSee(ctx, t) && matches(t, p))
        .sort((a, b) => Number(b.exitstatus === undefined) - Number(a.exitstatus === undefined) || b.starttime - a.starttime);
      const page = (limit === 0 ? all.slice(start) : all.slice(start, start + limit)).map(listItem);
      const total = start + page.length + (limit > 0 && page.length >= limit ? 1 : 0);
      return { data: page, extra: { total } };
    },
  },
  {
    method: 'GET', path: '/nodes/{node}/tasks/{upid}/status',
    handle: (ctx) => {
      const upid = String(ctx.params.upid);
      const task = ctx.state.tasks.get(upid);
      if (task && !canSee(ctx, task)) throw new PbsHttpError(403, 'permission check failed');
      const parts = task ?? (() => {
        const p = parseUpid(upid);
        return p && { ...p, upid, exitstatus: 'unknown', endtime: undefined };
      })();
      if (!parts) throw new PbsHttpError(400, 'unable to parse UPID');
      const { userid, token } = parseAuthId(parts.authId);
      return {
        data: compact({
          upid, node: parts.node, pid: parts.pid, pstart: parts.pstart, starttime: parts.starttime,
          type: parts.workerType, id: parts.workerId, user: userid, tokenid: token,
          status: parts.exitstatus === undefined ? 'running' : 'stopped', exitstatus: parts.exitstatus, endtime: parts.endtime,
        }),
      };
    },
  },
  {
    method: 'GET', path: '/nodes/{node}/tasks/{upid}/log',
    handle: (ctx) => {
      const task = taskOf(ctx);
      const start = typeof ctx.params.start === 'number' ? ctx.params.start : 0;
      const limit = typeof ctx.params.limit === 'number' ? ctx.params.limit : 50;
      const lines = task.log.map((t, i) => ({ n: i + 1, t })).slice(start);
      const data = limit === 0 ? lines : lines.slice(0, limit);
      const extra: Record<string, unknown> = { total: task.log.length };
      if (ctx.params['test-status'] === true) extra.active = task.exitstatus === undefined;
      return { data, extra };
    },
  },
  {
    method: 'DELETE', path: '/nodes/{node}/tasks/{upid}',
    handle: (ctx) => {
      const task = taskOf(ctx);
      if (task.exitstatus === undefined) ctx.state.tasks.end(task, { exitstatus: 'abort requested - aborting task', lines: ['received abort request ...'] });
      return { data: null };
    },
  },
];
