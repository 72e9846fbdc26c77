/**
 * @module services/pve/api-move
 * The PVE calls that move or remove a guest (schema `pve-api.json`): the migration
 * precondition check (`GET …/{vmid}/migrate`), the migration itself and destroying a
 * guest (`DELETE …/{vmid}`, with `purge` and `destroy-unreferenced-disks`).
 */
import { z } from 'zod';
import type { Params } from '../../core/http/index.js';
import type { PveClient } from './client.js';
import type { GuestRef } from './schemas.js';
import { upidOf } from './task-ids.js';

const strings = z.array(z.string()).optional();

/** `GET …/migrate`: qemu-server spells the node lists with `_`, pve-container with `-`. */
export const migratePreconditionSchema = z.looseObject({
  running: z.union([z.boolean(), z.number()]).optional(),
  allowed_nodes: strings,
  'allowed-nodes': strings,
  not_allowed_nodes: z.record(z.string(), z.looseObject({ unavailable_storages: strings, 'unavailable-resources': strings })).optional(),
  local_disks: z.array(z.looseObject({ volid: z.string(), size: z.number().optional(), drivename: z.string().optional(), cdrom: z.union([z.boolean(), z.number()]).optional() })).optional(),
  local_resources: strings,
});
/** The precondition check's answer. */
export type MigratePrecondition = z.infer<typeof migratePreconditionSchema>;

/** What PVE says about moving `guest` to `target`. */
export function migratePrecondition(client: PveClient, guest: GuestRef, target: string, signal?: AbortSignal): Promise<MigratePrecondition> {
  return client.get(`${client.guestPath(guest)}/migrate`, migratePreconditionSchema, { target }, signal);
}

/** What a migration asks for. */
export interface MigrateParams {
  target: string;
  /** VMs: live migration. */
  online?: boolean;
  /** Containers: shut down, move, start again. */
  restart?: boolean;
  /** VMs: copy attached local disks during a live migration. */
  withLocalDisks?: boolean;
}

/** `POST …/{vmid}/migrate`; returns the UPID. */
export async function startMigrate(client: PveClient, guest: GuestRef, p: MigrateParams, signal?: AbortSignal): Promise<string> {
  const form: Params = guest.type === 'qemu'
    ? { target: p.target, online: p.online || undefined, 'with-local-disks': p.withLocalDisks || undefined }
    : { target: p.target, restart: p.restart || undefined };
  return upidOf(await client.post(`${client.guestPath(guest)}/migrate`, form, signal));
}

/** `DELETE …/{vmid}` (PVE takes the options in the query string); returns the UPID. */
export async function startDestroy(client: PveClient, guest: GuestRef, purge: boolean, signal?: AbortSignal): Promise<string> {
  const query: Params = purge ? { purge: true, 'destroy-unreferenced-disks': true } : {};
  return upidOf(await client.delete(client.guestPath(guest), query, signal));
}
