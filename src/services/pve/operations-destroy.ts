/**
 * @module services/pve/operations-destroy
 * `pve destroy <vmid> [--purge] [--stop]`: deletes a guest and its disks. Refused, with
 * what to do, for a running guest (unless `--stop`, which hard-stops it first), a
 * protected one (`protection: 1`) and a locked one; `--purge` also takes it out of backup
 * jobs, HA and replication (`purge=1&destroy-unreferenced-disks=1`). A template that
 * linked clones still use is refused before anything is sent, naming them. The
 * confirmation shows the guest as it is now (`preview`): its type, name, node, disks and,
 * with `--stop`, that it will be stopped first; what PVE would refuse whatever the answer
 * (a protected, locked or running guest without `--stop`, a template its linked clones
 * use) is refused before anything is asked, and again by the run.
 */
import { z } from 'zod';
import { OperationError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { startDestroy } from './api-move.js';
import type { PveClient } from './client.js';
import { diskVolumes } from './disks.js';
import { pveClientFactory } from './factory.js';
import { explainLock, guestLabel, refuseIfLocked } from './guest-lock.js';
import { vmidSchema, waitSchema } from './inputs.js';
import { cloneList, linkedClones } from './linked-clones.js';
import type { GuestRef } from './schemas.js';
import { refuseProtected, taskRunBlocks } from './lifecycle-common.js';
import { runTask, type TaskRun } from './task-outcome.js';

/**
 * What PVE would refuse however the user answers: a protected or locked guest, a template
 * that linked clones use, a running guest without `--stop`. Checked by the preview, and again by the run.
 */
async function refuseDestroy(client: PveClient, guest: GuestRef, config: Record<string, unknown>, stop: boolean, signal?: AbortSignal): Promise<void> {
  const label = guestLabel(guest);
  refuseProtected(guest, config, 'remove it');
  await refuseIfLocked(client, guest, config, signal);
  const clones = await linkedClones(client, guest, config, signal);
  if (clones.length) {
    throw new OperationError(`${label} is a template that linked clones still use (${cloneList(clones)}): PVE will not remove its base disk`,
      `destroy them first, or make each a full copy (homelab pve clone <vmid> --full) and destroy the linked one`);
  }
  if (guest.status === 'running' && !stop) {
    throw new OperationError(`${label} is running on ${guest.node}: PVE will not remove a running guest`, `add --stop to hard-stop it first, or shut it down cleanly: homelab pve shutdown ${guest.vmid}`);
  }
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
    await refuseDestroy(client, guest, config, input.stop, ctx.signal);
    const disks = diskVolumes(config);
    return [
      `Destroy ${guestLabel(guest)} on ${guest.node}${input.purge ? ' and purge it from backup jobs, HA and replication' : ''}`,
      `disks: ${disks.length ? disks.join(', ') : 'none'}`,
      ...(guest.status === 'running' ? ['it is running: it will be hard-stopped first'] : []),
    ];
  },
  async run(ctx, input): Promise<DestroyOutcome> {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    const label = guestLabel(guest);
    await refuseDestroy(client, guest, await client.config(guest, ctx.signal), input.stop, ctx.signal);
    let stopped = false;
    if (guest.status === 'running') {
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
