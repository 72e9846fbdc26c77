/**
 * @module services/pbs/sim/routes-datastore
 * Datastores and their contents (pbs.md §6.2–6.3): the store list, status, usage with
 * history and estimated full date, namespaces, backup groups and snapshots. List endpoints
 * filter silently to what the caller may audit, as PBS does. Groups and snapshots are those
 * of one namespace (`ns`, default the root), without recursion, as in PBS
 * (`list_snapshots_blocking`, `list_groups`); the namespace list walks down from `parent`
 * (default the root, itself included) `max-depth` levels (default 7).
 */
import { estimatedFullDate } from './seed-datastore.js';
import { gcCountersWithUpid } from './gc-state.js';
import { compact, hasPriv, lookupStore, PbsHttpError, type Route, type RouteContext } from './route.js';
import { type SimDatastore, type SimSnapshot, snapshotSize } from './state.js';

const READ = ['Datastore.Audit', 'Datastore.Backup'] as const;

function visibleStores(ctx: RouteContext): SimDatastore[] {
  return hasPriv(ctx, 'Datastore.Audit') || hasPriv(ctx, 'Datastore.Backup') ? [...ctx.state.datastores.values()] : [];
}

function counts(ds: SimDatastore): Record<string, { groups: number; snapshots: number }> {
  const out: Record<string, { groups: number; snapshots: number }> = {};
  for (const type of ['ct', 'host', 'vm'] as const) {
    const snaps = ds.snapshots.filter((s) => s.type === type);
    out[type] = { groups: new Set(snaps.map((s) => s.id)).size, snapshots: snaps.length };
  }
  return out;
}

/** The snapshots of namespace `ns` (the root when undefined). */
function inNamespace(ds: SimDatastore, ns: unknown): SimSnapshot[] {
  const want = typeof ns === 'string' ? ns : '';
  return ds.snapshots.filter((s) => (s.ns ?? '') === want);
}

/** `parent` and the namespaces below it, at most `depth` levels down. */
function namespacesUnder(ds: SimDatastore, parent: string, depth: number): string[] {
  const level = (ns: string): number => (ns ? ns.split('/').length : 0);
  const below = (ns: string): boolean => parent === '' || ns.startsWith(`${parent}/`);
  if (parent && !(ds.namespaces ?? []).includes(parent)) throw new PbsHttpError(400, `namespace '${parent}' does not exist`);
  return [parent, ...(ds.namespaces ?? []).filter((ns) => below(ns) && level(ns) > level(parent) && level(ns) - level(parent) <= depth).sort()];
}

function groupsOf(snapshots: readonly SimSnapshot[]): Map<string, SimSnapshot[]> {
  const groups = new Map<string, SimSnapshot[]>();
  for (const s of [...snapshots].sort((a, b) => a.time - b.time)) {
    const key = `${s.type}/${s.id}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return groups;
}

/** The datastore routes. */
export const datastoreRoutes: Route[] = [
  {
    method: 'GET', path: '/admin/datastore',
    handle: (ctx) => ({ data: visibleStores(ctx).map((ds) => ({ store: ds.name, comment: ds.comment, 'mount-status': 'nonremovable', 'backend-type': 'filesystem' })) }),
  },
  {
    method: 'GET', path: '/admin/datastore/{store}/status', anyPriv: READ,
    handle: (ctx) => {
      const ds = lookupStore(ctx);
      const base = { total: ds.total, used: ds.used, avail: ds.total - ds.used, 'backend-type': 'filesystem' };
      if (ctx.params.verbose !== true) return { data: base };
      return { data: { ...base, counts: counts(ds), 'gc-status': gcCountersWithUpid(ctx.state, ds) } };
    },
  },
  {
    method: 'GET', path: '/status/datastore-usage',
    handle: (ctx) => ({
      data: visibleStores(ctx).map((ds) => compact({
        store: ds.name, total: ds.total, used: ds.used, avail: ds.total - ds.used,
        history: ds.history, 'history-start': ds.historyStart, 'history-delta': ds.historyDelta,
        'estimated-full-date': estimatedFullDate(ds), 'gc-status': gcCountersWithUpid(ctx.state, ds),
        'mount-status': 'nonremovable', 'backend-type': 'filesystem',
      })),
    }),
  },
  {
    method: 'GET', path: '/admin/datastore/{store}/namespace', anyPriv: [...READ, 'Datastore.Modify'],
    handle: (ctx) => {
      const ds = lookupStore(ctx);
      const parent = typeof ctx.params.parent === 'string' ? ctx.params.parent : '';
      const depth = typeof ctx.params['max-depth'] === 'number' ? ctx.params['max-depth'] : 7;
      return { data: namespacesUnder(ds, parent, depth).map((ns) => ({ ns })) };
    },
  },
  {
    method: 'GET', path: '/admin/datastore/{store}/groups', anyPriv: READ,
    handle: (ctx) => {
      const ds = lookupStore(ctx);
      const data = [...groupsOf(inNamespace(ds, ctx.params.ns)).values()].map((snaps) => {
        const last = snaps[snaps.length - 1] as SimSnapshot;
        return { 'backup-type': last.type, 'backup-id': last.id, 'last-backup': last.time, 'backup-count': snaps.length, files: last.files.map((f) => f.filename), owner: last.owner };
      });
      return { data };
    },
  },
  {
    method: 'GET', path: '/admin/datastore/{store}/snapshots', anyPriv: READ,
    handle: (ctx) => {
      const ds = lookupStore(ctx);
      const { 'backup-type': type, 'backup-id': id } = ctx.params;
      const data = inNamespace(ds, ctx.params.ns)
        .filter((s) => (type === undefined || s.type === type) && (id === undefined || s.id === id))
        .map((s) => compact({
          'backup-type': s.type, 'backup-id': s.id, 'backup-time': s.time, files: s.files, size: snapshotSize(s),
          owner: s.owner, comment: s.comment, protected: s.protected, verification: s.verification,
        }));
      return { data };
    },
  },
];
