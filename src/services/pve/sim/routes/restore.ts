/**
 * @module services/pve/sim/routes/restore
 * Restores: `POST /nodes/{node}/qemu` with `archive` and `POST /nodes/{node}/lxc` with
 * `restore=1` (the `ostemplate` is then the backup volume). The guest is created from the
 * config the archive holds, its disks renamed for the new VMID (on `storage` when given,
 * else where they were). Over an existing guest only with `force`, and never over a
 * protected, running or locked one. The `qmrestore` / `vzrestore` worker holds
 * `lock: create`; a new guest that fails to restore is removed again.
 */
import { backupConfig, backupGuestType, findBackup } from '../backup-volumes.js';
import { bool, int, req, str, type RouteContext, type RouteHandler, type RouteTable } from '../context.js';
import { die } from '../errors.js';
import { macOf } from '../guest-config.js';
import { isProtected } from '../guest-lock.js';
import { lockError, type GuestType } from '../guest-lookup.js';
import { markStarted } from '../guest-power.js';
import { checkPrivs } from '../permissions.js';
import type { GuestConfig, SimGuest, SimVolume } from '../state.js';
import { sizeBytes } from '../vzdump-log.js';
import { createContainer } from './create-ct.js';

/** The volume part of a disk: `local-lvm:vm-201-`, `local-lvm:base-9000-`, `local-lvm:base-9000-disk-0/vm-108-`. */
const VOLUME = /^([^:,]+):(?:base-\d+-disk-\d+\/)?(?:vm|base)-\d+-/;
const DISK_KEY = { qemu: /^(scsi|virtio|sata|ide|efidisk|tpmstate|unused)\d+$/, lxc: /^(rootfs|mp\d+)$/ } as const;

/** The backup's config for guest `vmid`: disks renamed (and moved to `storage`), MACs new when `unique`. */
function restoredConfig(config: GuestConfig, type: GuestType, vmid: number, storage: string | undefined, unique: boolean): GuestConfig {
  const out: GuestConfig = {};
  for (const [key, value] of Object.entries(config)) {
    let v = value;
    // A linked clone's disk (`base-9000-disk-0/vm-108-disk-0`) comes back as a volume of its own.
    if (DISK_KEY[type].test(key) && typeof v === 'string' && VOLUME.test(v)) {
      v = v.replace(VOLUME, (_, s: string) => `${storage ?? s}:vm-${vmid}-`);
    }
    if (unique && /^net\d+$/.test(key) && typeof v === 'string') v = v.replace(/([0-9A-F]{2}:){5}[0-9A-F]{2}/i, macOf(vmid));
    out[key] = v;
  }
  return out;
}

/** The disk volumes a restored config references. */
function diskVolumes(config: GuestConfig, type: GuestType, vmid: number, node: string, shared: (storage: string) => boolean): SimVolume[] {
  return Object.entries(config).flatMap(([key, value]) => {
    if (!DISK_KEY[type].test(key) || typeof value !== 'string' || !new RegExp(`:vm-${vmid}-`).test(value)) return [];
    const volid = value.split(',')[0] ?? '';
    const storage = volid.split(':')[0] ?? '';
    const size = sizeBytes(/size=(\d+(?:\.\d+)?[KMGT]?)/.exec(value)?.[1] ?? '0');
    return [{ storage, ...(shared(storage) ? {} : { node }), volid, content: type === 'qemu' ? 'images' : 'rootdir', format: 'raw', size, vmid }];
  });
}

function restore(ctx: RouteContext, type: GuestType) {
  const node = req(ctx, 'node');
  const vmid = int(ctx, 'vmid') ?? 0;
  const kind = type === 'qemu' ? 'VM' : 'CT';
  const emsg = `unable to restore ${kind} ${vmid} -`;
  const archive = req(ctx, type === 'qemu' ? 'archive' : 'ostemplate');
  const existing = ctx.state.guests.get(vmid);
  checkPrivs(ctx.identity, `/vms/${vmid}`, existing ? ['VM.Backup', 'VM.Allocate'] : ['VM.Allocate'], Boolean(existing));
  const v = findBackup(ctx.state, archive);
  if (!v) throw die(`volume '${archive}' does not exist`);
  if (backupGuestType(v) !== type) throw die(`${emsg} '${archive}' is not a ${type === 'qemu' ? 'VM' : 'container'} backup`);
  const config = backupConfig(v);
  if (!config) throw die(`${emsg} unable to read the configuration from '${archive}'`);
  const storage = str(ctx, 'storage');
  if (storage !== undefined) {
    const s = ctx.state.storages.find((x) => x.storage === storage);
    if (!s) throw die(`storage '${storage}' does not exist`);
    if (!s.nodes.includes(node)) throw die(`storage '${storage}' is not available on node '${node}'`);
    if (!s.content.includes(type === 'qemu' ? 'images' : 'rootdir')) throw die(`storage '${storage}' does not support ${type === 'qemu' ? 'vm images' : 'container directories'}`);
    checkPrivs(ctx.identity, `/storage/${storage}`, ['Datastore.AllocateSpace'], false);
  }
  if (existing) {
    if (!bool(ctx, 'force') || existing.node !== node || existing.type !== type) throw die(`${emsg} ${existing.type === 'qemu' ? 'VM' : 'CT'} ${vmid} already exists on node '${existing.node}'`);
    if (isProtected(existing)) throw die(`${emsg} protection mode enabled`);
    const locked = lockError(existing);
    if (locked) throw die(locked);
    if (existing.status === 'running') throw die(`${emsg} ${type === 'qemu' ? 'VM' : 'CT'} is running`);
  }
  const newConfig = restoredConfig(config, type, vmid, storage, bool(ctx, 'unique'));
  const shared = (id: string): boolean => ctx.state.storages.find((x) => x.storage === id)?.shared ?? false;
  const disks = diskVolumes(newConfig, type, vmid, node, shared);
  const guest: SimGuest = existing ?? { vmid, type, node, name: '', ip: '', status: 'stopped', template: false, config: {}, snapshots: [] };
  guest.lock = 'create';
  if (!existing) ctx.state.guests.set(vmid, guest);
  const from = archive.replace(/^[^:]+:backup\//, '');
  const lines = type === 'qemu'
    ? [`restore proxmox backup image: /usr/bin/pbs-restore --repository root@pam@10.5.0.6:main ${from} drive-scsi0.img.fidx --format raw --skip-zero`,
      "connecting to repository 'root@pam@10.5.0.6:main'", `starting to restore snapshot '${from}'`]
    : [`recovering backed-up configuration from '${archive}'`];
  for (const d of disks) lines.push(`  Logical volume "${d.volid.replace(/^[^:]+:/, '')}" created.`);
  if (type === 'qemu') lines.push('progress 50% (read 50% of the image)', 'progress 100% (read 100% of the image)', 'restore image complete', 'rescan volumes...');
  else lines.push(`restoring '${archive}' now..`, 'merging backed-up and given configuration..');
  let restored = false;
  return {
    data: ctx.tasks.start({
      node, type: type === 'qemu' ? 'qmrestore' : 'vzrestore', id: String(vmid), user: ctx.identity.authid, lines,
      apply: () => {
        ctx.state.volumes = ctx.state.volumes.filter((x) => !(x.vmid === vmid && (x.content === 'images' || x.content === 'rootdir')));
        ctx.state.volumes.push(...disks);
        guest.config = newConfig;
        guest.name = String(newConfig[type === 'qemu' ? 'name' : 'hostname'] ?? `${kind}${vmid}`);
        guest.ip = /ip=(\d+\.\d+\.\d+\.\d+)/.exec(String(newConfig[type === 'qemu' ? 'ipconfig0' : 'net0'] ?? ''))?.[1] ?? '';
        guest.template = String(newConfig.template ?? '0') === '1';
        guest.snapshots = [];
        delete guest.parent;
        if (bool(ctx, 'start') && !guest.template) markStarted(guest);
        restored = true;
      },
      end: () => {
        if (guest.lock === 'create') delete guest.lock;
        if (!restored && !existing) ctx.state.guests.delete(vmid);
      },
    }).upid,
  };
}

/** `POST /nodes/{node}/lxc`: a restore with `restore=1`, else a new container (create-ct). */
const createOrRestoreContainer: RouteHandler = (ctx) => (bool(ctx, 'restore') ? restore(ctx, 'lxc') : createContainer(ctx));

/** The restore routes (the container route also creates from templates). */
export const restoreRoutes: RouteTable = {
  'POST /nodes/{node}/qemu': (ctx) => {
    if (str(ctx, 'archive') === undefined) throw die('creating a VM from scratch is not simulated; restore a backup (archive) or clone a template');
    return restore(ctx, 'qemu');
  },
  'POST /nodes/{node}/lxc': createOrRestoreContainer,
};
