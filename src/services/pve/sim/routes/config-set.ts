/**
 * @module services/pve/sim/routes/config-set
 * Changing a guest: `PUT /nodes/{node}/{qemu,lxc}/{vmid}/config` (synchronous; `digest`
 * checked first, then the lock; `delete` removes keys; a running VM keeps what it cannot
 * hot-plug pending until its next start, see `pending.ts`) and
 * `PUT …/{vmid}/resize` (a `resize` task; grows only: `shrinking disks is not supported`;
 * a growth larger than the storage's free space fails in the task, as `lvextend` does).
 */
import { bool, req, str, type RouteContext, type RouteTable } from '../context.js';
import { die } from '../errors.js';
import { GiB } from '../guest-config.js';
import { assertDigest, assertUnlocked } from '../guest-lock.js';
import type { GuestType } from '../guest-lookup.js';
import { guestOf } from './guest-of.js';
import { splitList } from '../formats.js';
import { applyPending, deleteKey, setKey } from '../pending.js';
import { endpoints } from '../schema.js';

/** Parameters of a config PUT that are not config keys. */
const CONTROL = new Set(['node', 'vmid', 'digest', 'delete', 'skiplock', 'revert', 'force', 'background_delay']);

/** The schema type of a config key (families like `net[n]` included). */
function keyType(type: GuestType, key: string): string | undefined {
  const e = endpoints.find((x) => x.method === 'PUT' && x.path === `/nodes/{node}/${type}/{vmid}/config`);
  return (e?.parameters[key] ?? e?.parameters[`${key.replace(/\d+$/, '')}[n]`])?.type;
}

function setConfig(ctx: RouteContext, type: GuestType) {
  const g = guestOf(ctx, type);
  assertDigest(g, str(ctx, 'digest'));
  assertUnlocked(g, type === 'qemu' && bool(ctx, 'skiplock'));
  // A stopped VM takes its pending changes with the next change.
  if (g.status !== 'running') applyPending(g);
  for (const key of splitList(str(ctx, 'delete') ?? '')) deleteKey(g, key);
  for (const key of Object.keys(ctx.params)) {
    if (CONTROL.has(key)) continue;
    const value = str(ctx, key) ?? '';
    const t = keyType(type, key);
    setKey(g, key, t === 'integer' || t === 'boolean' ? Number(value) : value);
    if (key === (type === 'qemu' ? 'name' : 'hostname')) g.name = value;
  }
  return { data: null };
}

const UNIT: Record<string, number> = { K: 1024, M: 1024 ** 2, G: GiB, T: 1024 * GiB };

/** A size as PVE prints it in configs (`42G`, `10752M`). */
function formatSize(bytes: number): string {
  for (const [u, f] of [['T', UNIT.T], ['G', UNIT.G], ['M', UNIT.M], ['K', UNIT.K]] as const) {
    if (f !== undefined && bytes % f === 0) return `${bytes / f}${u}`;
  }
  return String(bytes);
}

/** LVM's extent size. */
const EXTENT = 4 * 1024 ** 2;

/** Extents a growth of `bytes` needs and the storage has free, when it has too few (its status: total − used). */
function noSpace(ctx: RouteContext, node: string, volid: string, bytes: number): { needed: number; free: number } | undefined {
  const s = ctx.state.storages.find((x) => x.storage === volid.split(':')[0]);
  if (!s) return undefined;
  const free = Math.max(0, (s.total[node] ?? 0) - (s.used[node] ?? 0));
  return bytes > free ? { needed: Math.ceil(bytes / EXTENT), free: Math.floor(free / EXTENT) } : undefined;
}

function resize(ctx: RouteContext, type: GuestType) {
  const g = guestOf(ctx, type);
  assertDigest(g, str(ctx, 'digest'));
  assertUnlocked(g, type === 'qemu' && bool(ctx, 'skiplock'));
  const disk = req(ctx, 'disk');
  const value = g.config[disk];
  if (typeof value !== 'string') throw die(`disk '${disk}' does not exist`);
  if (/(^|,)media=cdrom(,|$)/.test(value)) throw die("you can't resize a cdrom");
  const current = /(?:^|,)size=(\d+)([KMGT])(?:,|$)/.exec(value);
  const size = current ? Number(current[1]) * (UNIT[current[2] as string] ?? 1) : 0;
  const m = /^(\+)?(\d+(?:\.\d+)?)([KMGT])?$/.exec(req(ctx, 'size')) as RegExpExecArray;
  const amount = Math.floor(Number(m[2]) * (m[3] ? UNIT[m[3]] ?? 1 : 1));
  const wanted = m[1] ? size + amount : amount;
  if (wanted < size) throw die('shrinking disks is not supported');
  const volid = value.split(',')[0] ?? '';
  const lv = volid.replace(/^[^:]+:(?:[^/]+\/)?/, '');
  const gib = (b: number): string => (b / GiB).toFixed(2);
  const short = noSpace(ctx, g.node, volid, wanted - size);
  return {
    data: ctx.tasks.start({
      node: g.node, type: 'resize', id: String(g.vmid), user: ctx.identity.authid,
      lines: short ? [`  Insufficient free space: ${short.needed} extents needed, but only ${short.free} available`] : [
        `  Size of logical volume pve/${lv} changed from ${gib(size)} GiB (${size / EXTENT} extents) to ${gib(wanted)} GiB (${Math.ceil(wanted / EXTENT)} extents).`,
        `  Logical volume pve/${lv} successfully resized.`,
      ],
      // lvextend refuses to grow past the free space the storage reports.
      check: () => (short ? `command '/sbin/lvextend -L${Math.ceil(wanted / 1024)}k pve/${lv}' failed: exit code 5` : undefined),
      apply: () => {
        const now = g.config[disk];
        if (typeof now !== 'string') return;
        g.config[disk] = /(^|,)size=/.test(now) ? now.replace(/size=[^,]+/, `size=${formatSize(wanted)}`) : `${now},size=${formatSize(wanted)}`;
        const vol = ctx.state.volumes.find((v) => v.volid === volid);
        if (vol) vol.size = wanted;
      },
    }).upid,
  };
}

/** The config-changing routes of both guest types. */
export const configSetRoutes: RouteTable = {
  'PUT /nodes/{node}/qemu/{vmid}/config': (ctx) => setConfig(ctx, 'qemu'),
  'PUT /nodes/{node}/lxc/{vmid}/config': (ctx) => setConfig(ctx, 'lxc'),
  'PUT /nodes/{node}/qemu/{vmid}/resize': (ctx) => resize(ctx, 'qemu'),
  'PUT /nodes/{node}/lxc/{vmid}/resize': (ctx) => resize(ctx, 'lxc'),
};
