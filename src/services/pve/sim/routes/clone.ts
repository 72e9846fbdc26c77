/**
 * @module services/pve/sim/routes/clone
 * `POST /nodes/{node}/{qemu,lxc}/{vmid}/clone`, as qemu-server and pve-container do it:
 * the call checks the source (exists here, not locked), the new id (free), `full`
 * (default: linked for a template, full otherwise; `storage` only for full clones) and
 * `target` (a node of the cluster; a VM only when every source disk and `storage` are on
 * shared storage, as qemu-server's `check_storage_access_clone`; a container only when the
 * storage its copies go to is shared: `storage` when given, else each volume's own, as
 * pve-container counts them), and refuses a full clone of a running container
 * (pve-container copies one only from a snapshot) and of a running VM with a TPM state disk
 * (qemu-server's `$load_and_check`: `cannot clone TPM state while VM is running`), then
 * writes the new guest's config at once with `lock: clone` (`create` for containers;
 * the source container is locked `disk` meanwhile). The worker copies the disks and, on
 * success, the clone is a stopped guest with the source's config; on failure it is gone.
 */
import { bool, int, req, str, type RouteContext, type RouteTable } from '../context.js';
import { cloneConfig, cloneDisks, cloneLines, cloneVolumes } from '../clone-config.js';
import { die } from '../errors.js';
import { assertUnlocked } from '../guest-lock.js';
import { loadConfig, type GuestType } from '../guest-lookup.js';
import type { SimGuest } from '../state.js';

function clone(ctx: RouteContext, type: GuestType) {
  const node = req(ctx, 'node');
  const src = loadConfig(ctx.state, type, node, int(ctx, 'vmid') ?? 0);
  const newid = int(ctx, 'newid') ?? 0;
  const kind = type === 'qemu' ? 'VM' : 'CT';
  const existing = ctx.state.guests.get(newid);
  if (existing) throw die(`${existing.type === 'qemu' ? 'VM' : 'CT'} ${newid} already exists on node '${existing.node}'`);
  assertUnlocked(src);
  const full = ctx.params.full === undefined ? !src.template : bool(ctx, 'full');
  const storage = str(ctx, 'storage');
  if (storage !== undefined && !full) throw die("parameter 'storage' not allowed for linked clones");
  if (!full && !src.template) {
    const first = cloneDisks(src, newid, true)[0];
    throw die(`linked clone feature is not supported for drive '${first?.key ?? 'scsi0'}'`);
  }
  if (storage !== undefined) {
    const s = ctx.state.storages.find((x) => x.storage === storage);
    if (!s) throw die(`storage '${storage}' does not exist`);
    const content = type === 'qemu' ? 'images' : 'rootdir';
    if (!s.content.includes(content)) throw die(`storage '${storage}' does not support content-type '${content}'`);
  }
  // pve-container copies a running container's volumes only from a snapshot (qemu-server mirrors running disks).
  if (type === 'lxc' && full && src.status === 'running' && str(ctx, 'snapname') === undefined) throw die('Cannot do full clones on a running container without snapshots');
  const target = str(ctx, 'target');
  if (target !== undefined && !ctx.state.nodes.has(target)) throw die(`no such cluster node '${target}'`);
  const disks = cloneDisks(src, newid, full, storage);
  if (target !== undefined && target !== node) {
    const shared = (id: string | undefined): boolean => ctx.state.storages.find((s) => s.storage === id)?.shared === true;
    if (type === 'qemu' && storage !== undefined && !shared(storage)) throw die(`can't clone to non-shared storage '${storage}'`);
    // qemu-server looks at the source's volumes; pve-container at the storage each copy goes to (`storage` when given).
    const local = disks.find((d) => !shared((type === 'lxc' ? d.to : d.from).split(':')[0]));
    if (local) throw die(`can't clone ${kind} to node '${target}' (${kind} uses local storage)`);
  }
  // qemu-server refuses it in the call, before the worker: a running VM's TPM state is copied only from a snapshot.
  if (type === 'qemu' && full && src.status === 'running' && str(ctx, 'snapname') === undefined && disks.some((d) => d.key === 'tpmstate0')) {
    throw die('cannot clone TPM state while VM is running');
  }
  const name = str(ctx, type === 'qemu' ? 'name' : 'hostname') ?? `Copy-of-${kind}-${src.name}`;
  // The new config exists (locked) from the call on: its id is taken and it shows in the resources.
  const placeholder: SimGuest = {
    vmid: newid, type, node, name: '', ip: '', status: 'stopped', template: false, config: {}, snapshots: [],
    lock: type === 'qemu' ? 'clone' : 'create',
  };
  ctx.state.guests.set(newid, placeholder);
  let cloned = false;
  return {
    data: ctx.tasks.start({
      node, type: type === 'qemu' ? 'qmclone' : 'vzclone', id: String(src.vmid), user: ctx.identity.authid,
      begin: () => { if (type === 'lxc') src.lock = 'disk'; },
      lines: cloneLines(disks, full),
      apply: () => {
        const at = target ?? node;
        placeholder.config = cloneConfig(src, newid, disks, name, str(ctx, 'description'));
        placeholder.name = name;
        placeholder.node = at;
        ctx.state.volumes.push(...cloneVolumes(disks, at, newid, type));
        cloned = true;
      },
      end: () => {
        if (type === 'lxc' && src.lock === 'disk') delete src.lock;
        if (!cloned) { ctx.state.guests.delete(newid); return; }
        delete placeholder.lock;
      },
    }).upid,
  };
}

/** The clone routes of both guest types. */
export const cloneRoutes: RouteTable = {
  'POST /nodes/{node}/qemu/{vmid}/clone': (ctx) => clone(ctx, 'qemu'),
  'POST /nodes/{node}/lxc/{vmid}/clone': (ctx) => clone(ctx, 'lxc'),
};
