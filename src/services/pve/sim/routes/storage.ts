/**
 * @module services/pve/sim/routes/storage
 * Storage routes: the cluster's storage configuration (`GET /storage`, filter `type`), the
 * storages of a node (filters `storage`, `content`, `enabled`, `target`), one storage's
 * status, and its content (filters `content`, `vmid`; notes cut to their first line, as the
 * schema says).
 */
import { volumesOf } from '../backup-volumes.js';
import { int, req, str, type RouteContext, type RouteTable } from '../context.js';
import { die } from '../errors.js';
import { splitList } from '../formats.js';
import { checkPrivs } from '../permissions.js';
import type { SimStorage } from '../state.js';

/** Status fields of a storage on a node. */
function status(s: SimStorage, node: string): Record<string, unknown> {
  const total = s.total[node] ?? 0;
  const used = s.used[node] ?? 0;
  return {
    storage: s.storage, type: s.type, content: [...s.content].sort().join(','),
    active: 1, enabled: 1, shared: s.shared ? 1 : 0,
    total, used, avail: Math.max(0, total - used), used_fraction: total > 0 ? Number((used / total).toFixed(6)) : 0,
  };
}

/** The storage a path names, with PVE's errors when it is unknown or not on this node. */
function storageOn(ctx: RouteContext): SimStorage {
  const id = req(ctx, 'storage');
  const node = req(ctx, 'node');
  const s = ctx.state.storages.find((x) => x.storage === id);
  if (!s) throw die(`storage '${id}' does not exist`);
  if (!s.nodes.includes(node)) throw die(`storage '${id}' is not available on node '${node}'`);
  return s;
}

/**
 * A storage's entry in `GET /storage`: its configuration as pve-storage's `index` returns it
 * (the schema declares only `storage`; the handler returns the section-config properties,
 * `content` and `nodes` as comma lists, and for a `pbs` storage `datastore` and, when set,
 * `namespace`; `password` and `encryption-key` never).
 */
function configEntry(s: SimStorage): Record<string, unknown> {
  return {
    storage: s.storage, type: s.type, content: [...s.content].sort().join(','), nodes: s.nodes.join(','), digest: '0d1c2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
    ...(s.shared && s.type !== 'pbs' ? { shared: 1 } : {}),
    ...(s.type === 'pbs' ? { server: '10.5.0.6', username: 'root@pam', datastore: s.datastore ?? 'main' } : {}),
    ...(s.type === 'pbs' && s.namespace !== undefined ? { namespace: s.namespace } : {}),
  };
}

/** The storage routes. */
export const storageRoutes: RouteTable = {
  'GET /storage': (ctx) => {
    const type = str(ctx, 'type');
    return {
      data: ctx.state.storages
        .filter((s) => !type || s.type === type)
        .filter((s) => checkPrivs(ctx.identity, `/storage/${s.storage}`, ['Datastore.Audit', 'Datastore.AllocateSpace'], true, true))
        .map(configEntry),
    };
  },
  'GET /nodes/{node}/storage': (ctx) => {
    const node = req(ctx, 'node');
    const only = str(ctx, 'storage');
    const target = str(ctx, 'target');
    const content = str(ctx, 'content');
    const wanted = content === undefined ? undefined : splitList(content);
    return {
      data: ctx.state.storages
        .filter((s) => s.nodes.includes(node) && (!target || s.nodes.includes(target)))
        .filter((s) => !only || s.storage === only)
        .filter((s) => !wanted || wanted.some((c) => s.content.includes(c)))
        .filter((s) => checkPrivs(ctx.identity, `/storage/${s.storage}`, ['Datastore.Audit', 'Datastore.AllocateSpace'], true, true))
        .map((s) => status(s, node)),
    };
  },
  'GET /nodes/{node}/storage/{storage}/status': (ctx) => {
    const { storage: _id, used_fraction: _f, ...rest } = status(storageOn(ctx), req(ctx, 'node'));
    return { data: rest };
  },
  'GET /nodes/{node}/storage/{storage}/content': (ctx) => {
    const s = storageOn(ctx);
    const node = req(ctx, 'node');
    const content = str(ctx, 'content');
    const vmid = int(ctx, 'vmid');
    return {
      data: volumesOf(ctx.state, s)
        .filter((v) => s.shared || v.node === node)
        .filter((v) => !content || v.content === content)
        .filter((v) => vmid === undefined || v.vmid === vmid)
        .sort((a, b) => a.volid.localeCompare(b.volid))
        // The schema: "If they contain multiple lines, only the first one is returned here."
        .map(({ storage: _s, node: _n, config: _c, ...v }) => (v.notes === undefined ? v : { ...v, notes: v.notes.split('\n')[0] ?? '' })),
    };
  },
};
