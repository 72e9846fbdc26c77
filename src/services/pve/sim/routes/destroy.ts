/**
 * @module services/pve/sim/routes/destroy
 * `DELETE /nodes/{node}/{qemu,lxc}/{vmid}`: the call refuses a protected guest
 * (`can't remove VM 201 - protection mode enabled`), a locked one (`VM is locked (…)`,
 * unless `skiplock`) and a running one (`VM 201 is running - destroy failed`; containers
 * may be forced); the `qmdestroy` / `vzdestroy` worker removes the guest and its disk
 * volumes and, with `purge`, takes it out of the backup jobs. A template whose base
 * volume a linked clone still uses is not removed: the worker fails before destroying
 * anything (qemu-server's `base volume '…' is still in use by linked cloned`; for a
 * container, pve-storage's `base volume '…' is still in use by linked clones`).
 */
import { bool, int, req, type RouteContext, type RouteTable } from '../context.js';
import { die } from '../errors.js';
import { assertUnlocked, protectionError } from '../guest-lock.js';
import { lockError, loadConfig, type GuestType } from '../guest-lookup.js';
import type { PveState, SimGuest } from '../state.js';
import { removeFromJobs } from './backup-jobs.js';

/** The volumes of `g`'s disks that a linked clone uses as its base (`local-lvm:base-9000-disk-0`). */
export function usedBaseVolumes(state: PveState, g: SimGuest): string[] {
  if (!g.template) return [];
  const own = state.volumes.filter((v) => v.vmid === g.vmid && /^[^:]+:base-\d+-/.test(v.volid)).map((v) => v.volid);
  return own.filter((base) => state.volumes.some((v) => v.volid.startsWith(`${base}/`)));
}

/** The refusal for a template whose base volume a linked clone uses, in the words of each guest type's code. */
function baseInUseError(state: PveState, g: SimGuest): string | undefined {
  const [used] = usedBaseVolumes(state, g);
  if (used === undefined) return undefined;
  return g.type === 'qemu' ? `base volume '${used}' is still in use by linked cloned` : `base volume '${used.replace(/^[^:]+:/, '')}' is still in use by linked clones`;
}

function destroy(ctx: RouteContext, type: GuestType) {
  const node = req(ctx, 'node');
  const vmid = int(ctx, 'vmid') ?? 0;
  const g = loadConfig(ctx.state, type, node, vmid);
  const kind = type === 'qemu' ? 'VM' : 'CT';
  const protectedErr = protectionError(g);
  if (protectedErr) throw die(protectedErr);
  const skiplock = bool(ctx, 'skiplock');
  assertUnlocked(g, skiplock);
  const force = type === 'lxc' && bool(ctx, 'force');
  if (g.status === 'running' && !force) throw die(`${kind} ${vmid} is running - destroy failed`);
  const purge = bool(ctx, 'purge');
  const owned = ctx.state.volumes.filter((v) => v.vmid === vmid && v.content !== 'backup' && v.content !== 'vztmpl' && v.content !== 'iso');
  const lines = owned.map((v) => `  Logical volume "${v.volid.replace(/^[^:]+:/, '')}" successfully removed.`);
  if (force && g.status === 'running') lines.unshift(`stopping CT ${vmid}`);
  if (purge) lines.push(`purging ${kind} ${vmid} from related configurations..`);
  return {
    data: ctx.tasks.start({
      node, type: type === 'qemu' ? 'qmdestroy' : 'vzdestroy', id: String(vmid), user: ctx.identity.authid, lines,
      // The worker locks the config and checks again: a task that took the lock meanwhile wins.
      precheck: () => {
        const x = ctx.state.guests.get(vmid);
        if (!x || x.node !== node) return `Configuration file 'nodes/${node}/${type === 'qemu' ? 'qemu-server' : 'lxc'}/${vmid}.conf' does not exist`;
        return (skiplock ? undefined : lockError(x)) ?? baseInUseError(ctx.state, x);
      },
      apply: () => {
        ctx.state.guests.delete(vmid);
        ctx.state.volumes = ctx.state.volumes.filter((v) => !owned.includes(v));
        if (purge) removeFromJobs(ctx.state, vmid);
      },
    }).upid,
  };
}

/** The destroy routes of both guest types. */
export const destroyRoutes: RouteTable = {
  'DELETE /nodes/{node}/qemu/{vmid}': (ctx) => destroy(ctx, 'qemu'),
  'DELETE /nodes/{node}/lxc/{vmid}': (ctx) => destroy(ctx, 'lxc'),
};
