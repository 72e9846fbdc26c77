/**
 * @module services/pve/api-lifecycle
 * The PVE calls of the guest lifecycle (shared/api/pve.md, schema `pve-api.json`):
 * next free id, container templates and the appliance index, template download, a node's bridges,
 * clone, container creation, config changes with `digest`, disk resize, and a guest's
 * addresses from the QEMU guest agent or the container's interfaces. Each call that
 * starts work returns its UPID; waiting is the operations' job (`runTask`).
 */
import { z } from 'zod';
import type { Params } from '../../core/http/index.js';
import type { PveClient } from './client.js';
import type { GuestRef } from './schemas.js';
import { upidOf } from './task-ids.js';

const node = (name: string): string => `/nodes/${encodeURIComponent(name)}`;

/** `GET /cluster/nextid`: the schema says integer; PVE's handler answers a numeric string. Both are read. */
export async function nextId(client: PveClient, signal?: AbortSignal): Promise<number> {
  const raw = await client.get('/cluster/nextid', z.union([z.number().int(), z.string().regex(/^\d+$/)]), undefined, signal);
  return Number(raw);
}

/** A volume of `GET /nodes/{node}/storage/{storage}/content`. */
export const volumeSchema = z.looseObject({
  volid: z.string(),
  format: z.string().optional(),
  size: z.number().optional(),
  ctime: z.number().optional(),
  vmid: z.number().optional(),
  notes: z.string().optional(),
});
/** A storage volume. */
export type Volume = z.infer<typeof volumeSchema>;

/** Volumes of one content type on a storage of a node. */
export function storageContent(client: PveClient, nodeName: string, storage: string, content: string, signal?: AbortSignal): Promise<Volume[]> {
  return client.get(`${node(nodeName)}/storage/${encodeURIComponent(storage)}/content`, z.array(volumeSchema), { content }, signal);
}

/** An entry of `GET /nodes/{node}/aplinfo` (the schema declares no fields; these are the ones read). */
export const applianceSchema = z.looseObject({
  template: z.string(),
  package: z.string().optional(),
  version: z.string().optional(),
  os: z.string().optional(),
  section: z.string().optional(),
  headline: z.string().optional(),
  description: z.string().optional(),
  type: z.string().optional(),
});
/** An appliance of the index. */
export type Appliance = z.infer<typeof applianceSchema>;

/** The appliance index of a node. */
export function appliances(client: PveClient, nodeName: string, signal?: AbortSignal): Promise<Appliance[]> {
  return client.get(`${node(nodeName)}/aplinfo`, z.array(applianceSchema), undefined, signal);
}

/** Downloads an appliance template to a storage; returns the UPID. */
export async function downloadTemplate(client: PveClient, nodeName: string, storage: string, template: string, signal?: AbortSignal): Promise<string> {
  return upidOf(await client.post(`${node(nodeName)}/aplinfo`, { storage, template }, signal));
}

/**
 * The bridges guests on a node can use: `GET /nodes/{node}/network?type=any_bridge` (Linux
 * and OVS bridges, and SDN vnets where SDN is set up).
 */
export async function nodeBridges(client: PveClient, nodeName: string, signal?: AbortSignal): Promise<string[]> {
  const ifaces = await client.get(`${node(nodeName)}/network`, z.array(z.looseObject({ iface: z.string(), type: z.string().optional() })), { type: 'any_bridge' }, signal);
  return ifaces.map((i) => i.iface).sort();
}

/** Parameters of a clone call (`name` is `hostname` for containers). */
export interface CloneParams { newid: number; name?: string; full?: boolean; target?: string; storage?: string; description?: string }

/** Clones a VM or container; returns the UPID. */
export async function cloneGuest(client: PveClient, guest: GuestRef, p: CloneParams, signal?: AbortSignal): Promise<string> {
  const form: Params = { newid: p.newid, full: p.full, target: p.target, storage: p.storage, description: p.description };
  form[guest.type === 'qemu' ? 'name' : 'hostname'] = p.name;
  return upidOf(await client.post(`${client.guestPath(guest)}/clone`, form, signal));
}

/** Parameters of `POST /nodes/{node}/lxc` for a new container (never a password). */
export interface CreateContainerParams {
  vmid: number;
  ostemplate: string;
  hostname: string;
  cores?: number;
  memory?: number;
  /** `storage:GiB`. */
  rootfs: string;
  net0: string;
  'ssh-public-keys'?: string;
  unprivileged: boolean;
}

/** Creates a container from a template; returns the UPID. */
export async function createContainer(client: PveClient, nodeName: string, p: CreateContainerParams, signal?: AbortSignal): Promise<string> {
  return upidOf(await client.post(`${node(nodeName)}/lxc`, { ...p }, signal));
}

/**
 * Changes config keys, sending the `digest` read before so a concurrent change is refused;
 * a key given as `''` is removed (`delete=tags`: PVE takes no empty tag list).
 */
export async function updateConfig(client: PveClient, guest: GuestRef, changes: Params, digest: string, signal?: AbortSignal): Promise<void> {
  const removed = Object.keys(changes).filter((key) => changes[key] === '');
  const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== ''));
  await client.put(`${client.guestPath(guest)}/config`, { ...set, ...(removed.length ? { delete: removed.join(',') } : {}), digest }, signal);
}

/** An entry of `GET …/{vmid}/pending`: a key's current value and its pending one (or a pending removal). */
const pendingEntrySchema = z.looseObject({
  key: z.string(),
  value: z.unknown().optional(),
  pending: z.unknown().optional(),
  delete: z.number().optional(),
});

/**
 * The config keys with a change that waits for the guest's next start (`GET …/pending`): a
 * running VM takes cores, and memory without memory hot-plug, only when it starts again.
 */
export async function pendingKeys(client: PveClient, guest: GuestRef, signal?: AbortSignal): Promise<string[]> {
  const entries = await client.get(`${client.guestPath(guest)}/pending`, z.array(pendingEntrySchema), undefined, signal);
  return entries.filter((e) => e.pending !== undefined || Boolean(e.delete)).map((e) => e.key).sort();
}

/** Grows a disk; returns the UPID (PVE 8+ resizes in a task), or null when an older PVE answered synchronously. */
export async function resizeDisk(client: PveClient, guest: GuestRef, disk: string, size: string, digest: string, signal?: AbortSignal): Promise<string | null> {
  const data = await client.put(`${client.guestPath(guest)}/resize`, { disk, size, digest }, signal);
  return data === null ? null : upidOf(data);
}

const agentAddress = z.looseObject({ 'ip-address': z.string(), 'ip-address-type': z.string().optional(), prefix: z.number().optional() });

/** `…/agent/network-get-interfaces`: the agent's `result`. */
export async function agentInterfaces(client: PveClient, guest: GuestRef, signal?: AbortSignal) {
  const schema = z.looseObject({
    result: z.array(z.looseObject({ name: z.string(), 'hardware-address': z.string().optional(), 'ip-addresses': z.array(agentAddress).optional() })),
  });
  return (await client.get(`${client.guestPath(guest)}/agent/network-get-interfaces`, schema, undefined, signal)).result;
}

/** `GET /nodes/{node}/lxc/{vmid}/interfaces`. */
export function containerInterfaces(client: PveClient, guest: GuestRef, signal?: AbortSignal) {
  const schema = z.array(z.looseObject({
    name: z.string(), hwaddr: z.string().optional(), 'hardware-address': z.string().optional(),
    'ip-addresses': z.array(agentAddress).optional(), inet: z.string().optional(), inet6: z.string().optional(),
  }));
  return client.get(`${client.guestPath(guest)}/interfaces`, schema, undefined, signal);
}
