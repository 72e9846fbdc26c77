/**
 * @module services/pve/sim/routes/snapshots
 * Snapshots: list (with the `current` pseudo entry), create, delete, rollback and a
 * snapshot's config. The work runs as a task that holds a config lock (`snapshot`,
 * `snapshot-delete`, `rollback`) while it runs; the snapshot appears, disappears or is
 * rolled back to when the task ends OK. Missing or duplicate snapshots, and a snapshot or
 * rollback of a template, fail the task, as PVE's `snapshot_create`/`snapshot_delete`/
 * `snapshot_rollback` (AbstractConfig) do in the worker.
 */
import { bool, int, req, str, type RouteContext, type RouteTable } from '../context.js';
import { die } from '../errors.js';
import { configDigest } from '../guest-config.js';
import { markStarted, markStopped } from '../guest-power.js';
import { findGuest, loadError, lockError, runningLocally, type GuestType } from '../guest-lookup.js';
import type { SimGuest } from '../state.js';
import { deleteSnapshotLines, rollbackLines, snapshotLines } from '../task-logs.js';
import { guestOf } from './guest-of.js';
import { snapshotConfig } from './guests.js';

interface Target { node: string; vmid: number; get(): SimGuest | undefined }

function target(ctx: RouteContext, type: GuestType): Target {
  const node = req(ctx, 'node');
  const vmid = int(ctx, 'vmid') ?? 0;
  return { node, vmid, get: () => findGuest(ctx.state, type, node, vmid) };
}

function list(ctx: RouteContext, type: GuestType) {
  const g = guestOf(ctx, type);
  const entries: Record<string, unknown>[] = [...g.snapshots]
    .sort((a, b) => a.snaptime - b.snaptime)
    .map((s) => {
      const e: Record<string, unknown> = { name: s.name, description: s.description, snaptime: s.snaptime };
      if (s.parent) e.parent = s.parent;
      if (type === 'qemu') e.vmstate = s.vmstate ? 1 : 0;
      return e;
    });
  const current: Record<string, unknown> = { name: 'current', description: 'You are here!' };
  if (type === 'qemu') {
    current.running = g.status === 'running' ? 1 : 0;
    current.digest = configDigest(g);
  }
  if (g.parent) current.parent = g.parent;
  entries.push(current);
  return { data: entries };
}

function create(ctx: RouteContext, type: GuestType) {
  const t = target(ctx, type);
  const snapname = req(ctx, 'snapname');
  if (snapname === 'current') throw die("unable to use snapshot name 'current' (reserved name)");
  if (type === 'qemu' && snapname.toLowerCase() === 'pending') throw die("unable to use snapshot name 'pending' (reserved name)");
  // pve-container's snapshot call: a snapshot-mode backup takes a snapshot of that name.
  if (type === 'lxc' && snapname === 'vzdump') throw die("unable to use snapshot name 'vzdump' (reserved name)");
  // qemu-server asks check_running (which asserts the config is here) before forking.
  const running = type === 'qemu' ? runningLocally(ctx.state, type, t.node, t.vmid) : false;
  const vmstate = type === 'qemu' && running && bool(ctx, 'vmstate');
  const g = t.get();
  return {
    data: ctx.tasks.start({
      node: t.node, type: type === 'qemu' ? 'qmsnapshot' : 'vzsnapshot', id: String(t.vmid), user: ctx.identity.authid,
      precheck: () => {
        const x = t.get();
        if (!x) return loadError(ctx.state, type, t.node, t.vmid);
        if (x.template) return "you can't take a snapshot if it's a template";
        if (x.snapshots.some((s) => s.name === snapname)) return `snapshot name '${snapname}' already used`;
        return lockError(x);
      },
      begin: () => { const x = t.get(); if (x) x.lock = 'snapshot'; },
      lines: g ? snapshotLines(g, snapname, vmstate) : [],
      apply: () => {
        const x = t.get();
        if (!x) return;
        x.snapshots.push({
          name: snapname, description: str(ctx, 'description') ?? '', snaptime: Math.floor(Date.now() / 1000),
          ...(x.parent ? { parent: x.parent } : {}), ...(vmstate ? { vmstate: true } : {}), config: { ...x.config },
        });
        x.parent = snapname;
      },
      end: () => { const x = t.get(); if (x?.lock === 'snapshot') delete x.lock; },
    }).upid,
  };
}

function remove(ctx: RouteContext, type: GuestType) {
  const t = target(ctx, type);
  const snapname = req(ctx, 'snapname');
  const g = t.get();
  return {
    data: ctx.tasks.start({
      node: t.node, type: type === 'qemu' ? 'qmdelsnapshot' : 'vzdelsnapshot', id: String(t.vmid), user: ctx.identity.authid,
      precheck: () => {
        const x = t.get();
        if (!x) return loadError(ctx.state, type, t.node, t.vmid);
        if (!x.snapshots.some((s) => s.name === snapname)) return `snapshot '${snapname}' does not exist`;
        return bool(ctx, 'force') ? undefined : lockError(x);
      },
      begin: () => { const x = t.get(); if (x) x.lock = 'snapshot-delete'; },
      lines: g ? deleteSnapshotLines(g, snapname) : [],
      apply: () => {
        const x = t.get();
        const snap = x?.snapshots.find((s) => s.name === snapname);
        if (!x || !snap) return;
        x.snapshots = x.snapshots.filter((s) => s !== snap);
        for (const s of x.snapshots) {
          if (s.parent !== snapname) continue;
          if (snap.parent) s.parent = snap.parent;
          else delete s.parent;
        }
        if (x.parent === snapname) {
          if (snap.parent) x.parent = snap.parent;
          else delete x.parent;
        }
      },
      end: () => { const x = t.get(); if (x?.lock === 'snapshot-delete') delete x.lock; },
    }).upid,
  };
}

function rollback(ctx: RouteContext, type: GuestType) {
  const t = target(ctx, type);
  const snapname = req(ctx, 'snapname');
  const g = t.get();
  return {
    data: ctx.tasks.start({
      node: t.node, type: type === 'qemu' ? 'qmrollback' : 'vzrollback', id: String(t.vmid), user: ctx.identity.authid,
      precheck: () => {
        const x = t.get();
        if (!x) return loadError(ctx.state, type, t.node, t.vmid);
        if (x.template) return "you can't rollback if vm is a template";
        if (!x.snapshots.some((s) => s.name === snapname)) return `snapshot '${snapname}' does not exist`;
        return lockError(x);
      },
      begin: () => { const x = t.get(); if (x) x.lock = 'rollback'; },
      lines: g ? rollbackLines(g) : [],
      apply: () => {
        const x = t.get();
        const snap = x?.snapshots.find((s) => s.name === snapname);
        if (!x || !snap) return;
        // The snapshot's config replaces the whole file, pending changes included.
        x.config = { ...snap.config };
        delete x.pending;
        delete x.pendingDelete;
        x.parent = snapname;
        // Rolling back stops the guest, unless the snapshot holds RAM state; `start` starts it after.
        const run = snap.vmstate === true || bool(ctx, 'start');
        if (!run) markStopped(x);
        else if (x.status !== 'running') markStarted(x);
      },
      end: () => { const x = t.get(); if (x?.lock === 'rollback') delete x.lock; },
    }).upid,
  };
}

function routes(type: GuestType): RouteTable {
  const base = `/nodes/{node}/${type}/{vmid}/snapshot`;
  return {
    [`GET ${base}`]: (ctx) => list(ctx, type),
    [`POST ${base}`]: (ctx) => create(ctx, type),
    [`DELETE ${base}/{snapname}`]: (ctx) => remove(ctx, type),
    [`POST ${base}/{snapname}/rollback`]: (ctx) => rollback(ctx, type),
    [`GET ${base}/{snapname}/config`]: (ctx) => ({
      data: snapshotConfig(guestOf(ctx, type), req(ctx, 'snapname')),
    }),
  };
}

/** The snapshot routes of both guest types. */
export const snapshotRoutes: RouteTable = { ...routes('qemu'), ...routes('lxc') };
