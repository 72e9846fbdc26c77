/**
 * @module services/pve/sim/routes/tasks
 * Task routes: the node's task list (filters `start`, `limit`, `since`, `until`, `vmid`,
 * `typefilter`, `userfilter`, `statusfilter`, `errors`, `source`; top-level `total`),
 * a task's status and log (`start`, `limit`, `total`), stopping a task, and
 * `GET /cluster/tasks`. Token tasks show `user` and `tokenid` split, as PVE does.
 */
import { bool, int, req, str, type RouteContext, type RouteTable } from '../context.js';
import { paramError } from '../errors.js';
import { splitList } from '../formats.js';
import { checkPrivs } from '../permissions.js';
import type { SimTask } from '../state.js';
import { parseUpid } from '../upid.js';

/** A task as list and status answers show it. */
export function taskEntry(t: SimTask): Record<string, unknown> {
  const bang = t.user.indexOf('!');
  const entry: Record<string, unknown> = {
    upid: t.upid, node: t.node, pid: t.pid, pstart: t.pstart, starttime: t.starttime, type: t.type, id: t.id,
    user: bang >= 0 ? t.user.slice(0, bang) : t.user,
  };
  if (bang >= 0) entry.tokenid = t.user.slice(bang + 1);
  return entry;
}

/** PVE's status type of a finished task (`upid_normalize_status_type`). */
function statusType(exitstatus: string | undefined): string {
  if (!exitstatus || exitstatus === 'unexpected status') return 'unknown';
  if (exitstatus === 'OK') return 'ok';
  if (/^WARNINGS: \d+$/.test(exitstatus)) return 'warning';
  return 'error';
}

/** Whether the caller may see tasks of other users on `node` (owners always see theirs). */
function mayAudit(ctx: RouteContext, node: string, t: SimTask): boolean {
  return t.user === ctx.identity.authid || checkPrivs(ctx.identity, `/nodes/${node}`, ['Sys.Audit'], false, true);
}

function nodeTasks(ctx: RouteContext) {
  const node = req(ctx, 'node');
  const source = str(ctx, 'source') ?? 'archive';
  const userfilter = str(ctx, 'userfilter')?.toLowerCase();
  const typefilter = str(ctx, 'typefilter');
  const vmid = str(ctx, 'vmid');
  const since = int(ctx, 'since');
  const until = int(ctx, 'until');
  const statusfilter = str(ctx, 'statusfilter');
  const wanted = statusfilter === undefined ? undefined : new Set(splitList(statusfilter).map((s) => s.toLowerCase()));
  const errorsOnly = bool(ctx, 'errors');
  const matches = ctx.state.tasks
    .filter((t) => t.node === node)
    .filter((t) => (source === 'all' ? true : source === 'active' ? t.status === 'running' : t.status === 'stopped'))
    .filter((t) => mayAudit(ctx, node, t))
    .filter((t) => !userfilter || t.user.toLowerCase().includes(userfilter))
    .filter((t) => !typefilter || t.type === typefilter)
    .filter((t) => !vmid || t.id === vmid)
    .filter((t) => (since === undefined || t.starttime >= since) && (until === undefined || t.starttime <= until))
    .filter((t) => t.status === 'running' || !wanted || wanted.has(statusType(t.exitstatus)))
    .filter((t) => t.status === 'running' || !errorsOnly || t.exitstatus !== 'OK')
    .sort((a, b) => (a.status === b.status ? b.starttime - a.starttime : a.status === 'running' ? -1 : 1));
  const start = int(ctx, 'start') ?? 0;
  const limit = int(ctx, 'limit') ?? 50;
  const page = matches.slice(start, start + Math.max(0, limit)).map((t) => {
    const e = taskEntry(t);
    if (t.status === 'stopped') {
      e.endtime = t.endtime;
      e.status = t.exitstatus;
    }
    return e;
  });
  return { data: page, total: matches.length };
}

/** The task a `{upid}` path names on this node, with PVE's 400s for bad or unknown UPIDs. */
function findTask(ctx: RouteContext, ownerPriv: 'Sys.Audit' | 'Sys.Modify'): SimTask {
  const upid = req(ctx, 'upid');
  const node = req(ctx, 'node');
  if (!parseUpid(upid)) throw paramError({ upid: 'unable to parse worker upid' });
  // Task logs live on the node that ran the task: asking another node finds nothing.
  const task = ctx.state.tasks.find((t) => t.upid === upid && t.node === node);
  if (!task) throw paramError({ upid: 'no such task' });
  if (task.user !== ctx.identity.authid) checkPrivs(ctx.identity, `/nodes/${node}`, [ownerPriv], false);
  return task;
}

function taskLog(ctx: RouteContext) {
  const upid = req(ctx, 'upid');
  if (!parseUpid(upid)) throw paramError({ upid: 'unable to parse worker upid' });
  const task = ctx.state.tasks.find((t) => t.upid === upid && t.node === req(ctx, 'node'));
  if (task && task.user !== ctx.identity.authid) checkPrivs(ctx.identity, `/nodes/${task.node}`, ['Sys.Audit'], false);
  // PVE's dump_logfile: an unreadable file is one line, an empty log is "no content".
  const lines = !task ? ['unable to open file - No such file or directory'] : task.log.length > 0 ? task.log : ['no content'];
  if (bool(ctx, 'download') && task) return { text: task.log.map((l) => `${l}\n`).join('') };
  const start = int(ctx, 'start') ?? 0;
  const limit = int(ctx, 'limit') || 50;
  const page = lines.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
  return { data: page, total: lines.length };
}

/** The task routes. */
export const taskRoutes: RouteTable = {
  'GET /nodes/{node}/tasks': nodeTasks,
  'GET /nodes/{node}/tasks/{upid}': () => ({ data: [{ name: 'log' }, { name: 'status' }] }),
  'GET /nodes/{node}/tasks/{upid}/status': (ctx) => {
    const t = findTask(ctx, 'Sys.Audit');
    const e = taskEntry(t);
    e.status = t.status;
    if (t.status === 'stopped') e.exitstatus = t.exitstatus;
    return { data: e };
  },
  'GET /nodes/{node}/tasks/{upid}/log': taskLog,
  'DELETE /nodes/{node}/tasks/{upid}': (ctx) => {
    const t = findTask(ctx, 'Sys.Modify');
    if (t.status === 'running') ctx.tasks.stop(t.upid);
    return { data: null };
  },
  'GET /cluster/tasks': (ctx) => ({
    data: [...ctx.state.tasks]
      .filter((t) => mayAudit(ctx, t.node, t))
      .sort((a, b) => b.starttime - a.starttime)
      .slice(0, 50)
      .map((t) => {
        const e = taskEntry(t);
        e.saved = t.status === 'stopped' ? '1' : '0';
        if (t.status === 'stopped') {
          e.endtime = t.endtime;
          e.status = t.exitstatus;
        }
        return e;
      }),
  }),
};
