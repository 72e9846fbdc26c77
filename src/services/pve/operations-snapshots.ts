/**
 * @module services/pve/operations-snapshots
 * Snapshots: `pve snapshots|snapshot|rollback|delsnapshot`. Changes wait on their task
 * like power actions do. What PVE refuses is refused first (exit 2): a snapshot or a
 * rollback of a template, and the reserved snapshot names `current` (and `pending` for VMs,
 * `vzdump` for containers).
 */
import { z } from 'zod';
import { freeText } from '../../core/free-text.js';
import { formatTime } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { table, toned } from '../../core/render.js';
import { UsageError } from '../../core/errors.js';
import { pveClientFactory } from './factory.js';
import { guestLabel } from './guest-lock.js';
import { guestPreview } from './guest-preview.js';
import { snapnameSchema, vmidSchema, waitSchema } from './inputs.js';
import type { GuestRef } from './schemas.js';
import { renderTaskOutcome, runGuestTask } from './task-outcome.js';

/** JSON shape of one `pve snapshots` entry. */
export interface SnapshotSummary {
  name: string;
  description: string;
  /** Epoch seconds. */
  snaptime: number | null;
  parent: string | null;
  /** Includes RAM (VMs only). */
  vmstate: boolean;
  /** The running state descends directly from this snapshot. */
  current: boolean;
}

/** `pve snapshots <vmid>`. */
export const pveSnapshots = defineOperation({
  id: 'pve.snapshots',
  summary: "List a guest's snapshots",
  args: ['vmid'],
  input: z.object({ vmid: vmidSchema }),
  risk: 'read',
  pages: true,
  examples: ['pve snapshots 200'],
  async run(ctx, input): Promise<SnapshotSummary[]> {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    const all = await client.snapshots(guest, ctx.signal);
    const parentOfCurrent = all.find((s) => s.name === 'current')?.parent ?? null;
    return all
      .filter((s) => s.name !== 'current')
      .map((s) => ({
        name: s.name,
        description: (s.description ?? '').trim(),
        snaptime: s.snaptime ?? null,
        parent: s.parent ?? null,
        vmstate: Boolean(s.vmstate),
        current: s.name === parentOfCurrent,
      }))
      .sort((a, b) => (a.snaptime ?? 0) - (b.snaptime ?? 0));
  },
  render: (snaps) => [
    table(
      ['name', 'taken', 'ram', 'description'],
      snaps.map((s) => [s.current ? toned(`${s.name} *`, 'accent') : s.name, formatTime(s.snaptime), s.vmstate ? 'yes' : '', s.description]),
      { empty: 'no snapshots' },
    ),
  ],
});

const NO_CT_VMSTATE = '--vmstate is only for VMs; containers have no RAM state to save';

/** Why PVE reserves a snapshot name for this guest type, or undefined when the name is free. */
function reservedFor(type: GuestRef['type'], name: string): string | undefined {
  if (name === 'current') return 'it names the live state';
  if (type === 'qemu' && name.toLowerCase() === 'pending') return 'it names the pending config changes';
  if (type === 'lxc' && name === 'vzdump') return 'a snapshot-mode backup of a container takes it';
  return undefined;
}

/**
 * What PVE refuses of a new snapshot, checked before sending: `--vmstate` for a container,
 * a template (`you can't take a snapshot if it's a template`), and the names it reserves
 * (`current` for the live state; `pending`, in any case, for VMs; `vzdump` for containers).
 */
function refuseSnapshot(guest: GuestRef, input: { name: string; vmstate: boolean }): void {
  if (input.vmstate && guest.type === 'lxc') throw new UsageError(NO_CT_VMSTATE);
  const reserved = reservedFor(guest.type, input.name);
  if (reserved) throw new UsageError(`snapshot name ${input.name} is reserved by PVE (${reserved})`, 'pick another name');
  if (guest.template) throw new UsageError(`${guestLabel(guest)} is a template: PVE takes no snapshots of templates`, `clone it (homelab pve clone ${guest.vmid}) and snapshot the clone`);
}

/** A rollback PVE refuses, checked before sending: a template (`you can't rollback if vm is a template`). */
function refuseRollback(guest: GuestRef): void {
  if (guest.template) throw new UsageError(`${guestLabel(guest)} is a template: PVE does not roll templates back`);
}

/** `pve snapshot <vmid> <name> [--description]`. */
export const pveSnapshot = defineOperation({
  id: 'pve.snapshot',
  summary: 'Take a snapshot of a guest',
  args: ['vmid', 'name'],
  input: z.object({
    vmid: vmidSchema,
    name: snapnameSchema,
    description: freeText(z.string().max(8192)).optional().describe('free text stored with the snapshot'),
    vmstate: z.boolean().default(false).describe('include RAM (VMs only)'),
    wait: waitSchema,
  }),
  risk: 'change',
  timeoutMs: 600_000,
  examples: ['pve snapshot 200 before_upgrade --description "before HA 2026.12"'],
  confirm: (input) => `Take snapshot ${input.name} of guest ${input.vmid}`,
  preview: (ctx, input) => guestPreview(ctx, input.vmid, (where, guest) => {
    refuseSnapshot(guest, input);
    return `Take snapshot ${input.name} of ${where}${input.vmstate ? ', with its RAM' : ''}`;
  }),
  async run(ctx, input) {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    refuseSnapshot(guest, input);
    return runGuestTask(ctx, client, guest, 'snapshot', input.wait, () =>
      client.createSnapshot(guest, input.name, input.description, input.vmstate, ctx.signal));
  },
  render: renderTaskOutcome,
});

/** `pve rollback <vmid> <name>`. */
export const pveRollback = defineOperation({
  id: 'pve.rollback',
  summary: 'Roll a guest back to a snapshot (its current state is lost)',
  args: ['vmid', 'name'],
  input: z.object({
    vmid: vmidSchema,
    name: snapnameSchema,
    start: z.boolean().default(false).describe('start the guest after the rollback'),
    wait: waitSchema,
  }),
  risk: 'danger',
  timeoutMs: 600_000,
  examples: ['pve rollback 200 ha_2026_11'],
  confirm: (input) => `Roll guest ${input.vmid} back to snapshot ${input.name}, discarding its current state`,
  preview: (ctx, input) => guestPreview(ctx, input.vmid, (where, guest) => {
    refuseRollback(guest);
    return `Roll ${where} back to snapshot ${input.name}, discarding its current state`;
  }),
  async run(ctx, input) {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    refuseRollback(guest);
    return runGuestTask(ctx, client, guest, 'rollback', input.wait, () => client.rollback(guest, input.name, input.start, ctx.signal));
  },
  render: renderTaskOutcome,
});

/** `pve delsnapshot <vmid> <name>`. */
export const pveDelsnapshot = defineOperation({
  id: 'pve.delsnapshot',
  summary: 'Delete a snapshot of a guest',
  args: ['vmid', 'name'],
  input: z.object({
    vmid: vmidSchema,
    name: snapnameSchema,
    force: z.boolean().default(false).describe('remove the snapshot from the config even if removing its disk data fails'),
    wait: waitSchema,
  }),
  risk: 'danger',
  timeoutMs: 600_000,
  examples: ['pve delsnapshot 200 ha_2026_10'],
  confirm: (input) => `Delete snapshot ${input.name} of guest ${input.vmid}`,
  preview: (ctx, input) => guestPreview(ctx, input.vmid, (where) => `Delete snapshot ${input.name} of ${where}`),
  async run(ctx, input) {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    return runGuestTask(ctx, client, guest, 'delsnapshot', input.wait, () => client.deleteSnapshot(guest, input.name, input.force, ctx.signal));
  },
  render: renderTaskOutcome,
});
