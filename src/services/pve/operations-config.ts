/**
 * @module services/pve/operations-config
 * Changing a guest's shape: `pve set` (name, cores, memory, onboot, tags — `''` removes
 * them —, description, protection; only the keys that differ from the config are sent,
 * nothing when none does, with the `digest` read, so a concurrent change is refused rather
 * than overwritten; what a running VM takes only at its next start, read from PVE's
 * pending list, is said so) and `pve resize` (grow a disk; its confirmation shows the
 * disk's size now and after; a disk the guest lacks, the EFI or TPM state disk, a size
 * that would shrink it or change nothing, and a locked guest are refused before anything
 * is asked — PVE cannot shrink a disk without losing data).
 */
import { z } from 'zod';
import { freeText } from '../../core/free-text.js';
import { UsageError } from '../../core/errors.js';
import { formatBytes } from '../../core/format.js';
import type { Params } from '../../core/http/index.js';
import { defineOperation } from '../../core/operation.js';
import { fields, table, text, type Block } from '../../core/render.js';
import { pendingKeys, resizeDisk } from './api-lifecycle.js';
import { pveClientFactory } from './factory.js';
import { explainLock, guestLabel, refuseIfLocked } from './guest-lock.js';
import { vmidSchema, waitSchema } from './inputs.js';
import { diskKeySchema, guestNameSchema, MAX_DISK_BYTES, sizeSchema, tagsSchema } from './inputs-lifecycle.js';
import { taskRunBlocks } from './lifecycle-common.js';
import { applyConfig, digestError, isDigestRefusal } from './lifecycle-steps.js';
import type { GuestRef } from './schemas.js';
import { runTask, type TaskRun } from './task-outcome.js';

/** JSON shape of `pve set`. */
export interface SetOutcome {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  /** Config key → `{from, to}` (from is null when the key was not set); only keys that changed. */
  changes: Record<string, { from: string | number | null; to: string | number }>;
  /** Keys given that already had the wanted value (not sent). */
  unchanged: string[];
  /** Keys given that take effect at the guest's next start (a running VM keeps them pending: cores, memory without hot-plug). */
  pending: string[];
}

/** `pve set <vmid> [...]`. */
export const pveSet = defineOperation({
  id: 'pve.set',
  summary: "Change a guest's name, cores, memory, onboot, tags, description or protection",
  args: ['vmid'],
  input: z.object({
    vmid: vmidSchema,
    name: guestNameSchema.optional().describe('new name (host name for containers)'),
    cores: z.number({ error: 'cores must be an integer from 1 to 8192' }).int().min(1).max(8192).optional().describe('CPU cores'),
    memory: z.number({ error: 'memory must be an integer of MiB from 16 to 4194304' }).int().min(16).max(4_194_304).optional().describe('memory in MiB'),
    onboot: z.boolean().optional().describe('start at node boot (--no-onboot: do not)'),
    tags: tagsSchema.optional(),
    description: freeText(z.string().max(8192, 'description must be at most 8192 characters')).optional().describe('notes shown in the summary'),
    protection: z.boolean().optional().describe('protect from removal (--no-protection lifts it)'),
  }),
  risk: 'change',
  needsOneOf: ['name', 'cores', 'memory', 'onboot', 'tags', 'description', 'protection'],
  examples: ['pve set 201 --memory 12288 --cores 6', 'pve set 200 --protection', 'pve set 202 --no-onboot --tags desktop,test'],
  confirm: (i) => `Change the config of guest ${i.vmid}`,
  async run(ctx, input): Promise<SetOutcome> {
    const wanted: Params = {};
    if (input.cores !== undefined) wanted.cores = input.cores;
    if (input.memory !== undefined) wanted.memory = input.memory;
    if (input.onboot !== undefined) wanted.onboot = input.onboot ? 1 : 0;
    if (input.tags !== undefined) wanted.tags = input.tags.split(/[,;]/).join(';');
    if (input.description !== undefined) wanted.description = input.description;
    if (input.protection !== undefined) wanted.protection = input.protection ? 1 : 0;
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    if (input.name !== undefined) wanted[guest.type === 'qemu' ? 'name' : 'hostname'] = input.name;
    const { before, changed } = await applyConfig(ctx, client, guest, wanted);
    const changes: SetOutcome['changes'] = {};
    for (const [key, to] of Object.entries(changed)) {
      const from = before[key];
      changes[key] = { from: typeof from === 'string' || typeof from === 'number' ? from : null, to: to as string | number };
    }
    const unchanged = Object.keys(wanted).filter((key) => !(key in changed));
    const name = changed.name ?? changed.hostname ?? guest.name;
    // The config read shows pending values: PVE's pending list says which wait for a restart.
    const pending = (await pendingKeys(client, guest, ctx.signal)).filter((key) => key in wanted);
    return { vmid: guest.vmid, name: String(name), type: guest.type, node: guest.node, changes, unchanged, pending };
  },
  render: (r) => {
    const later = r.pending.length ? [text(`takes effect at the next restart: ${r.pending.join(', ')}`, 'warn')] : [];
    if (Object.keys(r.changes).length === 0) return [text(`nothing to change: ${guestLabel(r)} already has ${r.unchanged.join(', ')} as given`, 'ok'), ...later];
    return [
      text(`changed ${guestLabel(r)} on ${r.node}${r.unchanged.length ? ` (already as given: ${r.unchanged.join(', ')})` : ''}`, 'ok'),
      table(['key', 'was', 'now'], Object.entries(r.changes).map(([k, c]) => [k, c.from === null ? '-' : String(c.from), c.to === '' ? '(removed)' : String(c.to)])),
      ...later,
    ];
  },
});

const UNIT: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Bytes of a `size=32G` in a disk's property string (0 when absent). */
export function diskSize(value: string): number {
  const m = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT])?(?:,|$)/.exec(value);
  return m ? Math.round(Number(m[1]) * (m[2] ? UNIT[m[2]] ?? 1 : 1)) : 0;
}

/** Bytes a resize size (`+10G`, `50G`) asks for, given the current size. */
export function wantedSize(size: string, current: number): number {
  const m = /^(\+)?(\d+(?:\.\d+)?)([KMGT])$/.exec(size) as RegExpExecArray;
  const amount = Math.floor(Number(m[2]) * (UNIT[m[3] as string] ?? 1));
  return m[1] ? current + amount : amount;
}

/**
 * The disk to grow, its size now and after: checked before anything is asked or sent. The
 * EFI vars and TPM state disks are refused: PVE sizes them for the firmware and the TPM
 * (4 MiB), and neither uses more room; the hint names the disks that can grow.
 */
function checkResize(guest: GuestRef, config: Record<string, unknown>, disk: string, size: string): { from: number; to: number } {
  const label = guestLabel(guest);
  const value = config[disk];
  const disks = (): string => Object.keys(config).filter((k) => /^(scsi|virtio|sata|ide)\d+$|^rootfs$|^mp\d+$/.test(k) && !/media=cdrom/.test(String(config[k]))).join(', ') || 'none';
  if (typeof value === 'string' && /^(efidisk|tpmstate)\d+$/.test(disk)) {
    throw new UsageError(`${disk} of ${label} is its ${disk.startsWith('efi') ? 'EFI vars' : 'TPM state'} disk: PVE sizes it itself and the ${disk.startsWith('efi') ? 'firmware' : 'TPM'} would not use more room`, `grow one of its disks: ${disks()}`);
  }
  if (typeof value !== 'string') throw new UsageError(`${label} has no disk ${disk}`, `its disks: ${disks()}`);
  if (/(^|,)media=cdrom(,|$)/.test(value)) throw new UsageError(`${disk} of ${label} is a CD-ROM drive, not a disk`);
  const from = diskSize(value);
  const to = wantedSize(size, from);
  if (to < from) {
    throw new UsageError(
      `${disk} of ${label} is ${formatBytes(from)}; ${size} would shrink it, and disks are only grown`,
      `PVE cannot shrink a disk without losing the data at its end: give a larger size, or +N to grow by N`,
    );
  }
  if (to === from) throw new UsageError(`${disk} of ${label} is already ${formatBytes(from)}: ${size} would not change it`, 'give a larger size, or +N to grow by N');
  if (to > MAX_DISK_BYTES) {
    throw new UsageError(`${disk} of ${label} is ${formatBytes(from)}; ${size} would make it ${formatBytes(to)}, and a disk is at most 64 TiB`);
  }
  return { from, to };
}

/** JSON shape of `pve resize`. */
export interface ResizeOutcome extends Omit<TaskRun, 'upid'> {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  disk: string;
  /** Bytes before and after. */
  from: number;
  to: number;
  /** Null when PVE resized without a task. */
  upid: string | null;
}

/** `pve resize <vmid> <disk> <size>`. */
export const pveResize = defineOperation({
  id: 'pve.resize',
  summary: 'Grow a disk of a guest (+10G, or a larger absolute size; never shrinks)',
  args: ['vmid', 'disk', 'size'],
  input: z.object({ vmid: vmidSchema, disk: diskKeySchema, size: sizeSchema, wait: waitSchema }),
  risk: 'change',
  timeoutMs: 600_000,
  examples: ['pve resize 201 scsi0 +20G', 'pve resize 107 rootfs 32G'],
  confirm: (i) => `Grow disk ${i.disk} of guest ${i.vmid} ${i.size.startsWith('+') ? `by ${i.size.slice(1)}` : `to ${i.size}`}`,
  async preview(ctx, input) {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    const config = await client.config(guest, ctx.signal);
    const { from, to } = checkResize(guest, config, input.disk, input.size);
    await refuseIfLocked(client, guest, config, ctx.signal);
    return `Grow disk ${input.disk} of ${guestLabel(guest)} on ${guest.node} from ${formatBytes(from)} to ${formatBytes(to)}`;
  },
  async run(ctx, input): Promise<ResizeOutcome> {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    const config = await client.config(guest, ctx.signal);
    const { from, to } = checkResize(guest, config, input.disk, input.size);
    await refuseIfLocked(client, guest, config, ctx.signal);
    const digest = typeof config.digest === 'string' ? config.digest : '';
    const label = `resize of ${input.disk} of ${guestLabel(guest)}`;
    const base = { vmid: guest.vmid, name: guest.name, type: guest.type, node: guest.node, disk: input.disk, from, to };
    try {
      const upid = await explainLock(client, guest, () => resizeDisk(client, guest, input.disk, input.size, digest, ctx.signal), ctx.signal);
      // An older PVE resizes synchronously and answers null: done, nothing to wait for.
      if (upid === null) return { ...base, upid: null, waited: true, exitstatus: 'OK', durationMs: null };
      const run = await explainLock(client, guest, () => runTask(ctx, client, label, input.wait, () => Promise.resolve(upid)), ctx.signal);
      return { ...base, ...run };
    } catch (err) {
      if (isDigestRefusal(err)) throw digestError(guest);
      throw err;
    }
  },
  render: (r) => {
    const blocks: Block[] = r.upid ? taskRunBlocks(`resize of ${r.disk} of ${guestLabel(r)}`, { ...r, upid: r.upid }) : [text(`resized ${r.disk} of ${guestLabel(r)}`, 'ok')];
    blocks.push(fields([['size', `${formatBytes(r.from)} → ${formatBytes(r.to)}`]]));
    return blocks;
  },
});
