/**
 * @module services/pve/sim/routes/migrate
 * Migration: `GET …/{vmid}/migrate` (the precondition check: running, the nodes a stopped
 * guest may go to and why others may not, its local disks and local resources) and
 * `POST …/{vmid}/migrate`, a `qmigrate` / `vzmigrate` task holding `lock: migrate` that
 * moves the guest (and its disks on node-local storage) to the target node.
 *
 * Refusals follow qemu-server and pve-container: a running VM needs `online`, a running
 * CT needs `restart` (`online` for containers is not implemented); in the task, a VM with
 * local devices (`hostpci0`, `usb0`, …) and a live migration of attached local disks
 * without `with-local-disks` abort with `migration aborted`, as does a disk whose storage
 * the target lacks. On node-local storage a linked clone's disk cannot move (qemu-server:
 * `can't migrate '…' as it's a clone of 'base-…'`; pve-container: `clone of 'base-…'`), nor
 * a VM template's base volume that linked clones use (`referenced by linked clone(s)`):
 * both abort in the volume scan. Storage mapping (`targetstorage`) is accepted and
 * ignored: disks keep their storage.
 */
import { bool, int, req, type RouteContext, type RouteTable } from '../context.js';
import { die } from '../errors.js';
import { withLock } from '../guest-lock.js';
import { loadConfig, type GuestType } from '../guest-lookup.js';
import { markStarted, markStopped } from '../guest-power.js';
import type { PveState, SimGuest } from '../state.js';
import { vzdumpTime } from '../task-logs.js';
import { backupDisks, sizeBytes } from '../vzdump-log.js';
import { usedBaseVolumes } from './destroy.js';

/** A disk of the guest on storage that is not shared: `[key, volid, bytes, storage]`. */
function localDisks(state: PveState, g: SimGuest): [string, string, number, string][] {
  return backupDisks(g).flatMap(([key, volid, size]) => {
    const storage = volid.split(':')[0] ?? '';
    const s = state.storages.find((x) => x.storage === storage);
    return s && !s.shared ? [[key, volid, sizeBytes(size), storage] as [string, string, number, string]] : [];
  });
}

/** Devices only this node has (`check_local_resources`): PCI and USB passthrough, serial devices. */
export function localResources(g: SimGuest): string[] {
  return Object.keys(g.config).filter((k) => /^hostpci\d+$/.test(k) || (/^usb\d+$/.test(k) && !/spice/.test(String(g.config[k]))) || (/^serial\d+$/.test(k) && String(g.config[k]) !== 'socket')).sort();
}

/** Storages of the guest's local disks that `node` lacks. */
function unavailableOn(state: PveState, g: SimGuest, node: string): string[] {
  const missing = localDisks(state, g).map((d) => d[3]).filter((id) => !state.storages.find((s) => s.storage === id)?.nodes.includes(node));
  return [...new Set(missing)];
}

function precondition(ctx: RouteContext, type: GuestType) {
  const node = req(ctx, 'node');
  const g = loadConfig(ctx.state, type, node, int(ctx, 'vmid') ?? 0);
  const others = [...ctx.state.nodes.values()].filter((n) => n.name !== node);
  const allowed = others.filter((n) => n.status === 'online' && unavailableOn(ctx.state, g, n.name).length === 0).map((n) => n.name);
  const notAllowed = Object.fromEntries(others.filter((n) => !allowed.includes(n.name)).map((n) => [n.name, { unavailable_storages: unavailableOn(ctx.state, g, n.name) }]));
  const running = g.status === 'running';
  if (type === 'lxc') return { data: { running: running ? 1 : 0, 'allowed-nodes': allowed } };
  const data: Record<string, unknown> = {
    running: running ? 1 : 0,
    local_disks: localDisks(ctx.state, g).map(([key, volid, size]) => ({ volid, size, drivename: key, cdrom: 0, is_unused: 0 })),
    local_resources: localResources(g),
    'mapped-resources': [],
    'mapped-resource-info': {},
    'has-dbus-vmstate': 1,
  };
  // qemu-server lists the nodes only for an offline migration.
  if (!running) Object.assign(data, { allowed_nodes: allowed, not_allowed_nodes: notAllowed });
  return { data };
}

function migrate(ctx: RouteContext, type: GuestType) {
  const node = req(ctx, 'node');
  const vmid = int(ctx, 'vmid') ?? 0;
  const target = req(ctx, 'target');
  const g = loadConfig(ctx.state, type, node, vmid);
  const targetNode = ctx.state.nodes.get(target);
  if (target === node) throw die('target is local node.');
  if (!targetNode) throw die(`no such cluster node '${target}'`);
  if (targetNode.status !== 'online') throw die(`target node '${target}' is not online`);
  const running = g.status === 'running';
  const online = bool(ctx, 'online');
  if (type === 'qemu' && running && !online) throw die("can't migrate running VM without --online");
  if (type === 'lxc' && running && online) throw die('lxc live migration is currently not implemented');
  if (type === 'lxc' && running && !bool(ctx, 'restart')) throw die("can't migrate running container without --online or --restart");

  const at = (): string => vzdumpTime(Math.floor(Date.now() / 1000));
  const kind = type === 'qemu' ? 'VM' : 'CT';
  const disks = localDisks(ctx.state, g);
  const lines = [`${at()} starting migration of ${kind} ${vmid} to node '${target}' (${targetNode.ip})`];
  if (type === 'lxc' && running) lines.unshift(`${at()} shutdown CT ${vmid}`);
  for (const [, volid] of disks) lines.push(`${at()} found local ${type === 'qemu' ? 'disk' : 'volume'} '${volid}' (${type === 'qemu' ? 'attached' : 'in current VM config'})`);
  const abort = (reason: string, warnings: string[] = []): string[] => [...lines, ...warnings.map((w) => `${at()} WARN: ${w}`), `${at()} ERROR: migration aborted (duration 00:00:01): ${reason}`];
  const devices = type === 'qemu' ? localResources(g) : [];
  const missing = unavailableOn(ctx.state, g, target);
  const usedBases = type === 'qemu' ? usedBaseVolumes(ctx.state, g).filter((b) => disks.some((d) => d[1] === b)) : [];
  const clone = disks.map((d) => [d[1], /^[^:]+:(base-\d+-[^/]+)\//.exec(d[1])?.[1]] as const).find(([, base]) => base !== undefined);
  let failure: string[] | undefined;
  if (devices.length > 0) failure = abort(`can't migrate VM which uses local devices: ${devices.join(', ')}`);
  else if (missing.length > 0) failure = abort(`storage '${missing[0]}' is not available on node '${target}'`);
  else if (usedBases.length > 0) failure = abort("Problem found while scanning volumes - can't migrate VM - check log", usedBases.map((b) => `can't migrate local disk '${b}': referenced by linked clone(s)`));
  else if (type === 'qemu' && running && disks.length > 0 && !bool(ctx, 'with-local-disks')) failure = abort("can't live migrate attached local disks without with-local-disks option");
  else if (clone && type === 'qemu') failure = abort(`Problem found while scanning volumes - can't migrate '${clone[0]}' as it's a clone of '${clone[1] ?? ''}'`);
  else if (clone) failure = abort("can't migrate CT - check log", [`can't migrate local volume '${clone[0]}': clone of '${clone[1] ?? ''}'`]);
  if (!failure) {
    for (const [key, volid, bytes] of disks) {
      if (type === 'qemu' && running) {
        lines.push(`${at()} ${key}: start migration to nbd:unix:/run/qemu-server/${vmid}_nbd.migrate:exportname=drive-${key}`);
        for (const pct of [25, 50, 75, 100]) lines.push(`drive-${key}: transferred ${((bytes * pct) / 100 / 1024 ** 3).toFixed(1)} GiB of ${(bytes / 1024 ** 3).toFixed(1)} GiB (${pct.toFixed(2)}%)`);
      } else {
        lines.push(`${at()} copying local disk '${volid}'`, `${at()} volume '${volid}' is '${volid}' on the target`);
      }
    }
    if (type === 'qemu' && running) lines.push(`${at()} starting online/live migration on unix:/run/qemu-server/${vmid}.migrate`, `${at()} migration status: completed`);
    if (type === 'lxc' && running) lines.push(`${at()} start container on target node`);
    lines.push(`${at()} migration finished successfully (duration 00:00:0${Math.min(9, 2 + disks.length * 3)})`);
  }
  const spec = withLock({
    node, type: type === 'qemu' ? 'qmigrate' : 'vzmigrate', id: String(vmid), user: ctx.identity.authid, lines: failure ?? lines,
    check: () => (failure ? 'migration aborted' : undefined),
    apply: () => {
      const x = ctx.state.guests.get(vmid);
      if (!x) return;
      x.node = target;
      for (const v of ctx.state.volumes) if (v.vmid === vmid && v.node === node && v.content !== 'backup') v.node = target;
      if (x.status === 'running') {
        markStopped(x);
        markStarted(x, { migrated: true });
      }
    },
  }, () => [ctx.state.guests.get(vmid)], 'migrate');
  return { data: ctx.tasks.start(spec).upid };
}

function routes(type: GuestType): RouteTable {
  return {
    [`GET /nodes/{node}/${type}/{vmid}/migrate`]: (ctx) => precondition(ctx, type),
    [`POST /nodes/{node}/${type}/{vmid}/migrate`]: (ctx) => migrate(ctx, type),
  };
}

/** The migration routes of both guest types. */
export const migrateRoutes: RouteTable = { ...routes('qemu'), ...routes('lxc') };
