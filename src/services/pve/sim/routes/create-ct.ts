/**
 * @module services/pve/sim/routes/create-ct
 * `GET /cluster/nextid` (the lowest free id from 100, or a 400 when the one asked for
 * is taken) and `POST /nodes/{node}/lxc` creating a container from a `vztmpl` volume:
 * the call checks the id, the template volume and the root disk's storage, writes the
 * config at once with `lock: create`, and the `vzcreate` worker allocates the disk,
 * unpacks the template and installs `ssh-public-keys`. A restore (`restore=1`) is not
 * handled here (see the restore routes).
 */
import { bool, int, req, str, type RouteContext, type RouteHandler, type RouteTable } from '../context.js';
import { die, paramError } from '../errors.js';
import { GiB, macOf } from '../guest-config.js';
import { propertyParts } from '../guest-net.js';
import type { GuestConfig, SimGuest } from '../state.js';

/** The id a guest of this kind is named by in messages. */
const kindOf = (g: SimGuest): string => (g.type === 'qemu' ? 'VM' : 'CT');

/** `check_vmid_unused`: 500 when the id is taken. */
export function assertVmidUnused(ctx: RouteContext, vmid: number): void {
  const g = ctx.state.guests.get(vmid);
  if (g) throw die(`${kindOf(g)} ${vmid} already exists on node '${g.node}'`);
}

/** The root disk `storage:size` (GiB) of a create call. */
function rootDisk(ctx: RouteContext, node: string): { storage: string; sizeGiB: number } {
  const rootfs = str(ctx, 'rootfs') ?? `${str(ctx, 'storage') ?? 'local'}:4`;
  const volume = rootfs.split(',')[0] ?? '';
  const m = /^([a-z][a-z0-9._-]*):(\d+(?:\.\d+)?)$/i.exec(volume);
  if (!m) throw die(`unable to parse rootfs volume '${volume}'`);
  const storage = m[1] as string;
  const s = ctx.state.storages.find((x) => x.storage === storage);
  if (!s) throw die(`storage '${storage}' does not exist`);
  if (!s.nodes.includes(node)) throw die(`storage '${storage}' is not available on node '${node}'`);
  if (!s.content.includes('rootdir')) throw die(`storage '${storage}' does not support container directories`);
  return { storage, sizeGiB: Number(m[2]) };
}

/** `POST /nodes/{node}/lxc` without `restore`: a new container from a template. */
export const createContainer: RouteHandler = (ctx) => {
  const node = req(ctx, 'node');
  const vmid = int(ctx, 'vmid') ?? 0;
  if (bool(ctx, 'restore')) throw die('restoring a container is not simulated by this route');
  assertVmidUnused(ctx, vmid);
  const ostemplate = req(ctx, 'ostemplate');
  const tmpl = ctx.state.volumes.find((v) => v.volid === ostemplate && v.content === 'vztmpl' && (v.node === undefined || v.node === node));
  if (!tmpl) throw die(`volume '${ostemplate}' does not exist`);
  const disk = rootDisk(ctx, node);
  const hostname = str(ctx, 'hostname') ?? `CT${vmid}`;
  const net0 = str(ctx, 'net0');
  const ostype = /alpine/.test(ostemplate) ? 'alpine' : /ubuntu/.test(ostemplate) ? 'ubuntu' : 'debian';
  const unprivileged = ctx.params.unprivileged === undefined ? true : bool(ctx, 'unprivileged');
  const volid = `${disk.storage}:vm-${vmid}-disk-0`;
  const guest: SimGuest = { vmid, type: 'lxc', node, name: hostname, ip: '', status: 'stopped', template: false, config: {}, snapshots: [], lock: 'create' };
  ctx.state.guests.set(vmid, guest);
  let created = false;
  const file = ostemplate.replace(/^[^:]+:vztmpl\//, '');
  return {
    data: ctx.tasks.start({
      node, type: 'vzcreate', id: String(vmid), user: ctx.identity.authid,
      lines: [
        `  Logical volume "vm-${vmid}-disk-0" created.`,
        `Creating filesystem with ${disk.sizeGiB * 262_144} 4k blocks and ${disk.sizeGiB * 65_536} inodes`,
        `extracting archive '/var/lib/vz/template/cache/${file}'`,
        `Total bytes read: ${tmpl.size * 4} (${Math.round((tmpl.size * 4) / 1024 ** 2)}MiB, 230MiB/s)`,
        'Detected container architecture: amd64',
        "Creating SSH host key 'ssh_host_ed25519_key' - this may take some time ...",
      ],
      apply: () => {
        const config: GuestConfig = {
          arch: 'amd64', cores: int(ctx, 'cores') ?? 1, hostname, memory: int(ctx, 'memory') ?? 512, swap: int(ctx, 'swap') ?? 512,
          ostype, rootfs: `${volid},size=${disk.sizeGiB}G`,
        };
        if (net0) {
          const parts = propertyParts(net0);
          config.net0 = parts.hwaddr ? net0 : `${net0},hwaddr=${macOf(vmid)}`;
        }
        if (unprivileged) { config.unprivileged = 1; config.features = 'nesting=1'; }
        for (const key of ['onboot', 'description', 'tags', 'nameserver', 'searchdomain'] as const) {
          const v = str(ctx, key);
          if (v !== undefined) config[key] = v;
        }
        guest.config = config;
        const keys = str(ctx, 'ssh-public-keys');
        if (keys) guest.authorizedKeys = keys;
        ctx.state.volumes.push({ storage: disk.storage, node, volid, content: 'rootdir', format: 'raw', size: disk.sizeGiB * GiB, vmid });
        created = true;
      },
      end: () => {
        if (!created) ctx.state.guests.delete(vmid);
        else delete guest.lock;
      },
    }).upid,
  };
};

/** The create routes. */
export const createRoutes: RouteTable = {
  'GET /cluster/nextid': (ctx) => {
    const wanted = int(ctx, 'vmid');
    if (wanted !== undefined) {
      if (ctx.state.guests.has(wanted)) throw paramError({ vmid: `VM ${wanted} already exists` });
      return { data: wanted };
    }
    let id = 100;
    while (ctx.state.guests.has(id)) id++;
    return { data: id };
  },
  'POST /nodes/{node}/lxc': createContainer,
};
