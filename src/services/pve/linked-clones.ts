/**
 * @module services/pve/linked-clones
 * The guests whose disks are linked clones of a template's base volumes, read from the
 * storages those volumes are on (as PVE checks before it removes or moves a template),
 * and how a list of them reads.
 */
import { storageContent } from './api-lifecycle.js';
import type { PveClient } from './client.js';
import { diskVolumes, storageOf } from './disks.js';
import type { GuestRef } from './schemas.js';

/** A guest that uses a template's base volume. */
export interface LinkedClone { vmid: number; name: string }

/**
 * The guests whose disks are linked clones of a template's base volumes
 * (`local-lvm:base-9000-disk-0/vm-108-disk-0`): while one exists PVE will not remove the
 * template (nor migrate a base volume on node-local storage). Read from the storages the
 * base volumes are on, as PVE checks it; `only`: just the base volumes it accepts.
 */
export async function linkedClones(client: PveClient, guest: GuestRef, config: Record<string, unknown>, signal?: AbortSignal, only: (base: string) => boolean = () => true): Promise<LinkedClone[]> {
  if (!guest.template) return [];
  const bases = diskVolumes(config).filter((v) => /^[^:/]+:base-\d+-[^/]+$/.test(v) && only(v));
  if (bases.length === 0) return [];
  const storages = [...new Set(bases.map(storageOf))];
  const content = guest.type === 'qemu' ? 'images' : 'rootdir';
  const [volumes, guests] = await Promise.all([
    Promise.all(storages.map((s) => storageContent(client, guest.node, s, content, signal))).then((lists) => lists.flat()),
    client.guests(signal),
  ]);
  const ids = new Set(volumes.filter((v) => bases.some((b) => v.volid.startsWith(`${b}/`)))
    .map((v) => v.vmid ?? Number(/\/(?:vm|base)-(\d+)-/.exec(v.volid)?.[1] ?? 0)).filter((id) => id > 0 && id !== guest.vmid));
  return [...ids].sort((a, b) => a - b).map((vmid) => ({ vmid, name: guests.find((g) => g.vmid === vmid)?.name ?? '' }));
}

/** `108 (web1), 340` */
export function cloneList(clones: LinkedClone[]): string {
  return clones.map((c) => `${c.vmid}${c.name ? ` (${c.name})` : ''}`).join(', ');
}
