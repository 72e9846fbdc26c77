/**
 * @module test/contract/pve-shapes
 * The answer shapes the PVE contract asserts, written from the fact sheet
 * (shared/api/pve.md, section noted on each) and, where the sheet is silent, from the
 * `returns` of the PVE 9.1 API schema (`pve-schema.json`). Not from the simulator: a
 * simulator that answers otherwise is what these catch. Members are loose (PVE adds
 * fields between versions); the named ones are checked.
 */
import { z } from 'zod';

const int = z.number().int();
/** PVE writes a boolean as 0/1 (Perl); JSON `true`/`false` is read too. */
const flag = z.union([z.literal(0), z.literal(1), z.boolean()]);

/** §5: the UPID decoder regex from PVE's source. */
export const UPID_RE = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;
/** §7 `pve-node`. */
export const NODE_RE = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
/** §7 `pve-storage-id`. */
const STORAGE_RE = /^[a-z][a-z0-9._-]*[a-z0-9]$/i;
/** §6.5: the content types a storage may hold. */
const CONTENT_TYPES = ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'];
/** §9: a SHA-256 fingerprint, colon-separated hex pairs. */
const FINGERPRINT_RE = /^([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}$/;

/** §6.1 `GET /version`. */
export const versionShape = z.looseObject({
  version: z.string().min(1),
  release: z.string().regex(/^\d+\.\d+$/),
  repoid: z.string().regex(/^[0-9a-fA-F]{8,64}$/),
  console: z.enum(['applet', 'vv', 'html5', 'xtermjs']).optional(),
});

/** §6.1 `GET /nodes` entry. */
export const nodeShape = z.looseObject({
  node: z.string().regex(NODE_RE),
  status: z.enum(['online', 'offline', 'unknown']),
  cpu: z.number().optional(), maxcpu: int.optional(), mem: int.optional(), maxmem: int.optional(), uptime: int.optional(),
  level: z.string().optional(),
  ssl_fingerprint: z.string().regex(FINGERPRINT_RE).optional(),
});

/** §6.1 `GET /cluster/resources` entry; the id forms per type are checked by `resourceIdProblem`. */
export const resourceShape = z.looseObject({
  id: z.string().min(1),
  type: z.enum(['node', 'storage', 'pool', 'qemu', 'lxc', 'openvz', 'sdn', 'network']),
  node: z.string().optional(),
  vmid: int.optional(),
  storage: z.string().optional(),
  status: z.string().optional(),
  template: flag.optional(),
});

/** §6.1 a guest's `/cluster/resources` entry (`type=vm`). */
export const guestResourceShape = resourceShape.extend({
  type: z.enum(['qemu', 'lxc']),
  vmid: int,
  node: z.string().regex(NODE_RE),
  status: z.enum(['running', 'stopped']),
});

/** §6.1: what is wrong with a resource's id for its type (`qemu/100`, `node/pve1`, `storage/pve1/local`), or undefined. */
export function resourceIdProblem(r: z.infer<typeof resourceShape>): string | undefined {
  const expected: Partial<Record<string, string>> = {
    qemu: `qemu/${r.vmid}`, lxc: `lxc/${r.vmid}`, node: `node/${r.node}`, storage: `storage/${r.node}/${r.storage}`,
  };
  const want = expected[r.type];
  if (r.type === 'pool') return r.id.startsWith('/pool/') ? undefined : `${r.id}: a pool id starts with /pool/`;
  return want === undefined || r.id === want ? undefined : `${r.id}: expected ${want}`;
}

const memory = z.looseObject({ total: int, used: int, free: int });

/** §6.1 `GET /nodes/{node}/status`. */
export const nodeStatusShape = z.looseObject({
  cpu: z.number().min(0).max(1),
  cpuinfo: z.looseObject({ cpus: int, model: z.string().optional(), cores: int.optional(), sockets: int.optional() }),
  memory: memory.extend({ available: int.optional() }),
  rootfs: memory.extend({ avail: int }),
  loadavg: z.array(z.string()).length(3),
  pveversion: z.string().regex(/^pve-manager\//),
  'current-kernel': z.looseObject({ sysname: z.string(), release: z.string(), version: z.string(), machine: z.string() }),
  'boot-info': z.looseObject({ mode: z.enum(['efi', 'legacy-bios']) }),
  uptime: int.optional(),
  kversion: z.string().optional(),
});

/** `GET /cluster/nextid` (schema: integer; PVE's handler answers a numeric string). */
export const nextIdShape = z.union([int.min(100).max(999_999_999), z.string().regex(/^[1-9][0-9]{2,8}$/)]);

/** §6.5 `GET /nodes/{node}/storage` entry. */
export const storageShape = z.looseObject({
  storage: z.string().regex(STORAGE_RE),
  type: z.string().min(1),
  content: z.string().refine((c) => c === '' || c.split(',').every((x) => CONTENT_TYPES.includes(x)), 'a comma list of content types'),
  active: flag.optional(), enabled: flag.optional(), shared: flag.optional(),
  total: int.optional(), used: int.optional(), avail: int.optional(), used_fraction: z.number().optional(),
});

/** §6.5 `GET /nodes/{node}/storage/{storage}/status`. */
export const storageStatusShape = z.looseObject({
  type: z.string().min(1), content: z.string(),
  active: flag.optional(), enabled: flag.optional(), shared: flag.optional(),
  total: int.optional(), used: int.optional(), avail: int.optional(),
});

/** §6.5 `GET /nodes/{node}/storage/{storage}/content` entry. */
export const volumeShape = z.looseObject({
  volid: z.string().min(1),
  format: z.string(),
  size: int,
  used: int.optional(), ctime: int.optional(), vmid: int.optional(), notes: z.string().optional(),
  protected: flag.optional(), parent: z.string().optional(), encrypted: z.string().optional(),
  verification: z.looseObject({ state: z.string(), upid: z.string().optional() }).optional(),
});

/** §6.6 a task list entry (`GET /nodes/{node}/tasks`). */
export const taskEntryShape = z.looseObject({
  upid: z.string(), node: z.string().regex(NODE_RE), pid: int, pstart: int, starttime: int,
  type: z.string().min(1), id: z.string(), user: z.string().min(1),
  endtime: int.optional(), status: z.string().optional(),
});

/** §6.6 `GET /nodes/{node}/tasks/{upid}/status` (+ `tokenid` for a token's task, §4.1). */
export const taskStatusShape = taskEntryShape.omit({ endtime: true }).extend({
  status: z.enum(['running', 'stopped']),
  exitstatus: z.string().optional(),
  tokenid: z.string().optional(),
});

/** §5 / §6.6 a task log line. */
export const logLineShape = z.looseObject({ n: int, t: z.string() });

/** §6.6 `GET /cluster/tasks` entry: the schema declares only `upid`. */
export const clusterTaskShape = z.looseObject({ upid: z.string() });

/** §6.2 `GET …/{vmid}/status/current`: the list fields plus `ha`. */
export const guestStatusShape = z.looseObject({
  vmid: int,
  status: z.enum(['running', 'stopped']),
  name: z.string().optional(),
  cpu: z.number().optional(), cpus: z.number().optional(), mem: int.optional(), maxmem: int.optional(), maxdisk: int.optional(),
  uptime: int.optional(), netin: int.optional(), netout: int.optional(), lock: z.string().optional(), qmpstatus: z.string().optional(),
  ha: z.looseObject({}),
});

/** §6.4 `GET …/{vmid}/config`: `digest` always, plus the set keys. */
export const configShape = z.looseObject({ digest: z.string().regex(/^\S+$/) });

/** §6.4 `GET …/{vmid}/pending` entry (schema: `value`/`pending` strings, `delete` 0–2). */
export const pendingShape = z.looseObject({
  key: z.string().min(1),
  value: z.unknown().optional(),
  pending: z.unknown().optional(),
  delete: int.min(0).max(2).optional(),
});

/** `GET /cluster/backup` entry (schema `returns`). */
export const backupJobShape = z.looseObject({
  id: z.string().min(1),
  schedule: z.string().optional(), storage: z.string().optional(), vmid: z.string().optional(),
  all: flag.optional(), enabled: flag.optional(), exclude: z.string().optional(), node: z.string().optional(),
  mode: z.enum(['snapshot', 'suspend', 'stop']).optional(), pool: z.string().optional(), comment: z.string().optional(),
});

/** `GET /cluster/backup-info/not-backed-up` entry (schema `returns`). */
export const notBackedUpShape = z.looseObject({ vmid: int, type: z.enum(['qemu', 'lxc']), name: z.string().optional() });

/** `GET /nodes/{node}/aplinfo` entry: the schema declares an object; `template` names it (what `pve templates` reads). */
export const applianceShape = z.looseObject({ template: z.string().min(1), type: z.string().optional(), os: z.string().optional() });

/** The problems of `value` against `shape`, as `path: message` lines (empty: it fits). */
export function shapeProblems(shape: z.ZodType, value: unknown): string[] {
  const parsed = shape.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
}

/** `shapeProblems` for every entry of a list (a non-list is one problem). */
export function listProblems(shape: z.ZodType, value: unknown): string[] {
  if (!Array.isArray(value)) return ['(top): expected a list'];
  return value.flatMap((v, i) => shapeProblems(shape, v).map((p) => `[${i}] ${p}`));
}
