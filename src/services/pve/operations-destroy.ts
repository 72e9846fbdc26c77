/**
 * @module services/pve/operations-destroy
 * `pve destroy <vmid> [--purge] [--stop]`: deletes a guest and its disks. Refused, with
 * what to do, for a running guest (unless `--stop`, which hard-stops it first), a
 * protected one (`protection: 1`) and a locked one; `--purge` also takes it out of backup
 * jobs, HA and replication (`purge=1&destroy-unreferenced-disks=1`). A template that
 * linked clones still use is refused before anything is sent, naming them. The
 * confirmation shows the guest as it is now (`preview`): its type, name, node, disks,
 * whether it runs, and its linked clones; a protected or locked guest is refused before
 * anything is asked.
 */
import { z } from 'zod';
import { OperationError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { storageContent } from './api-lifecycle.js';
import { startDestroy } from './api-move.js';
import type { PveClient } from './client.js';
import { pveClientFactory } from './factory.js';
import { explainLock, guestLabel, refuseIfLocked } from './guest-lock.js';
import { vmidSchema, waitSchema } from './inputs.js';
import type { GuestRef } from './schemas.js';
import { refuseProtected, taskRunBlocks } from './lifecycle-common.js';
import { runTask, type TaskRun } from './task-outcome.js';

const DISK = /^(scsi|virtio|sata|ide|efidisk|tpmstate|unused|mp)\d+$|^rootfs$/;

/** The disk volumes of a guest config (not CD-ROMs). */
function diskVolumes(config: Record<string, unknown>): string[] {
  return Object.entries(config)
    .filter(([k, v]) => DISK.test(k) && typeof v === 'string' && !/media=cdrom/.test(v))
    .map(([, v]) => String(v).split(',')[0] as string);
}

/**
 * The guests whose disks are linked clones of a template's base volumes
 * (`local-lvm:base-9000-disk-0/vm-108-disk-0`): while one exists PVE will not remove the
 * template. Read from the storages the base volumes are on, as PVE checks it.
 */
export async function linkedClones(client: PveClient, guest: GuestRef, config: Record<string, unknown>, signal?: AbortSignal): Promise<{ vmid: number; name: string }[]> {
  if (!guest.template) return [];
  const bases = diskVolumes(config).filter((v) => /^[^:/]+:base-\d+-[^/]+$/.test(v));
  if (bases.length === 0) return [];
  const storages = [...new Set(bases.map((b) => b.split(':')[0] as string))];
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
function cloneList(clones: { vmid: number; name: string }[]): string {
  return clones.map((c) => `${c.vmid}${c.name ? ` (${c.name})` : ''}`).join(', ');
}

/** JSON shape of `pve destroy`. */
export interface DestroyOutcome extends TaskRun {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  /** Also removed from backup jobs, HA and replication. */
  purged: boolean;
  /** It was running and was stopped first (`--stop`). */
  stopped: boolean;
}

/** `pve destroy <vmid>`. */
export const pveDestroy = defineOperation({
  id: 'pve.destroy',
  summary: 'Delete a guest and its disks (--purge: also from backup jobs, HA, replication)',
  args: ['vmid'],
  input: z.object({
    vmid: vmidSchema,
    purge: z.boolean().default(false).describe('also remove it from backup jobs, HA and replication, and unreferenced disks'),
    stop: z.boolean().default(false).describe('stop it first if it is running (a hard stop)'),
    wait: waitSchema,
  }),
  risk: 'danger',
  timeoutMs: 600_000,
  examples: ['pve destroy 9001', 'pve destroy 201 --purge --stop'],
  confirm: (input) => `Destroy guest ${input.vmid} and its disks${input.stop ? ', stopping it first' : ''}${input.purge ? ', and purge it from backup jobs, HA and replication' : ''}`,
  async preview(ctx, input) {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    const config = await client.config(guest, ctx.signal);
    // What PVE would refuse whatever the answer is refused before asking.
    refuseProtected(guest, config, 'remove it');
    await refuseIfLocked(client, guest, config, ctx.signal);
    const disks = diskVolumes(config);
    const running = guest.status !== 'running' ? [] : [input.stop ? 'it is running: it will be hard-stopped first' : 'it is running: PVE will refuse unless --stop'];
    const clones = await linkedClones(client, guest, config, ctx.signal);
    return [
      `Destroy ${guestLabel(guest)} on ${guest.node}${input.purge ? ' and purge it from backup jobs, HA and replication' : ''}`,
      `disks: ${disks.length ? disks.join(', ') : 'none'}`,
      ...running,
      ...(clones.length ? [`linked clones use its base disk: ${cloneList(clones)}: PVE will refuse until they are gone`] : []),
    ];
  },
  async run(ctx, input): Promise<DestroyOutcome> {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    const label = guestLabel(guest);
    const config = await client.config(guest, ctx.signal);
    refuseProtected(guest, config, 'remove it');
    await refuseIfLocked(client, guest, config, ctx.signal);
    const clones = await linkedClones(client, guest, config, ctx.signal);
    if (clones.length) {
      throw new OperationError(`${label} is a template that linked clones still use (${cloneList(clones)}): PVE will not remove its base disk`,
        `destroy them first, or make each a full copy (homelab pve clone <vmid> --full) and destroy the linked one`);
    }
    let stopped = false;
    if (guest.status === 'running') {
      if (!input.stop) throw new OperationError(`${label} is running on ${guest.node}: PVE will not remove a running guest`, `add --stop to hard-stop it first, or shut it down cleanly: homelab pve shutdown ${guest.vmid}`);
      // The destroy needs the guest stopped: this wait happens even with --no-wait.
      await explainLock(client, guest, () => runTask(ctx, client, `stop of ${label}`, true, () => client.power(guest, 'stop', ctx.signal)), ctx.signal);
      stopped = true;
    }
    const run = await explainLock(client, guest, () => runTask(ctx, client, `destroy of ${label}`, input.wait, () => startDestroy(client, guest, input.purge, ctx.signal)), ctx.signal);
    return { vmid: guest.vmid, name: guest.name, type: guest.type, node: guest.node, purged: input.purge, stopped, ...run };
  },
  render: (o) => {
    const notes = [o.stopped ? 'stopped first' : '', o.purged ? 'purged from backup jobs, HA and replication' : ''].filter(Boolean);
    return taskRunBlocks(`destroy of ${guestLabel(o)} on ${o.node}${notes.length ? ` (${notes.join('; ')})` : ''}`, o);
  },
});
