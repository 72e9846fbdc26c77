/**
 * @module services/pve/schemas
 * zod schemas of the PVE answers the operations depend on (field names per
 * shared/api/pve.md §6). Unknown fields pass through; only what we read is checked.
 */
import { z } from 'zod';

const num = z.number().optional();

/** An entry of `GET /cluster/resources`. */
export const clusterResourceSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  node: z.string().optional(),
  vmid: z.number().optional(),
  name: z.string().optional(),
  status: z.string().optional(),
  cpu: num, maxcpu: num, mem: num, maxmem: num, disk: num, maxdisk: num, uptime: num,
  template: z.number().optional(),
  tags: z.string().optional(),
  lock: z.string().optional(),
  /** The resource pool a guest is in. */
  pool: z.string().optional(),
});
/** A cluster resource. */
export type ClusterResource = z.infer<typeof clusterResourceSchema>;

/** A guest resolved to its type and node. */
export interface GuestRef {
  vmid: number;
  type: 'qemu' | 'lxc';
  node: string;
  name: string;
  status: string;
  template: boolean;
}

/** The `GuestRef` of a `/cluster/resources` entry; undefined for one that is no VM or container, or has no vmid. */
export function guestRefOf(r: ClusterResource): GuestRef | undefined {
  if (r.vmid === undefined || (r.type !== 'qemu' && r.type !== 'lxc')) return undefined;
  return { vmid: r.vmid, type: r.type, node: r.node ?? '', name: r.name ?? '', status: r.status ?? 'unknown', template: r.template === 1 };
}

/** An entry of `GET /nodes`. */
export const nodeEntrySchema = z.looseObject({
  node: z.string(),
  status: z.string(),
  cpu: num, maxcpu: num, mem: num, maxmem: num, uptime: num,
  ssl_fingerprint: z.string().optional(),
});
/** A node list entry. */
export type NodeEntry = z.infer<typeof nodeEntrySchema>;

const usage = z.looseObject({ total: z.number(), used: z.number() });

/** `GET /nodes/{node}/status`. */
export const nodeStatusSchema = z.looseObject({
  cpu: z.number(),
  cpuinfo: z.looseObject({ cpus: z.number().optional(), model: z.string().optional() }).optional(),
  memory: usage,
  rootfs: usage,
  loadavg: z.array(z.union([z.string(), z.number()])).optional(),
  pveversion: z.string().optional(),
  uptime: num,
  kversion: z.string().optional(),
});
/** A node's status. */
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

/** An entry of `GET /nodes/{node}/{type}/{vmid}/snapshot`. */
export const snapshotSchema = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  snaptime: num,
  parent: z.string().optional(),
  vmstate: z.union([z.number(), z.boolean()]).optional(),
});
/** A snapshot entry. */
export type Snapshot = z.infer<typeof snapshotSchema>;

/** An entry of `GET /nodes/{node}/storage`. */
export const storageSchema = z.looseObject({
  storage: z.string(),
  type: z.string(),
  content: z.string().optional(),
  active: num, enabled: num, shared: num, total: num, used: num, avail: num, used_fraction: num,
});
/** A storage entry. */
export type StorageEntry = z.infer<typeof storageSchema>;

/** An entry of `GET /storage` (the storage configuration); a `pbs` storage names its `datastore` and, unless the root, its `namespace`. */
export const storageConfigSchema = z.looseObject({
  storage: z.string(),
  type: z.string(),
  datastore: z.string().optional(),
  namespace: z.string().optional(),
});
/** A storage configuration entry. */
export type StorageConfigEntry = z.infer<typeof storageConfigSchema>;

/** An entry of the task lists. */
export const taskEntrySchema = z.looseObject({
  upid: z.string(),
  node: z.string().optional(),
  type: z.string().optional(),
  id: z.string().optional(),
  user: z.string().optional(),
  starttime: num,
  endtime: num,
  status: z.string().optional(),
});
/** A task list entry. */
export type TaskEntry = z.infer<typeof taskEntrySchema>;

/** `GET /nodes/{node}/tasks/{upid}/status`. */
export const taskStatusSchema = z.looseObject({ status: z.string(), exitstatus: z.string().optional() });
