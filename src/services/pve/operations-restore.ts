/**
 * @module services/pve/operations-restore
 * `pve restore <volid> [<vmid>] [--storage S] [--force] [--start]`: a backup becomes a
 * guest again. Without a VMID it becomes a new guest (the next free id); over an existing
 * guest only with `--force`, and never over a running, protected or locked one. Before
 * sending, it reads the config the archive holds and, when overwriting, says what will be
 * replaced (the guest's name, node and disks), in the progress line and the result, and
 * in the confirmation (`preview`), read before asking.
 */
import { z } from 'zod';
import { OperationError, UsageError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { fields } from '../../core/render.js';
import { backupContent, extractConfig, startRestore } from './api-backup.js';
import { nextId } from './api-lifecycle.js';
import { parseBackupVolid } from './backup-entries.js';
import { pveClientFactory } from './factory.js';
import { explainLock, guestLabel, refuseIfLocked } from './guest-lock.js';
import { vmidSchema, waitSchema } from './inputs.js';
import { storageIdSchema } from './inputs-lifecycle.js';
import { pickNode, taskRunBlocks } from './lifecycle-common.js';
import type { GuestRef } from './schemas.js';
import { LONG_TASK_MS, runTask, type TaskRun } from './task-outcome.js';

/** A backup volume id: `pbs:backup/vm/201/2026-12-04T02:00:00Z` or `local:backup/vzdump-lxc-100-….tar.zst`. */
export const backupVolidSchema = z
  .string()
  .max(255, 'volid must be at most 255 characters')
  .refine((v) => parseBackupVolid(v) !== undefined, 'volid must be a backup volume like pbs:backup/vm/201/2026-12-04T02:00:00Z (homelab pve backups <vmid> lists them)')
  .describe('backup volume id (pve backups lists them)');

/** What a forced restore replaces. */
export interface Overwritten {
  vmid: number;
  name: string;
  node: string;
  /** Disk volumes of the guest now, replaced by the backup's. */
  disks: string[];
}

/** JSON shape of `pve restore`. */
export interface RestoreOutcome extends TaskRun {
  volid: string;
  vmid: number;
  type: 'qemu' | 'lxc';
  node: string;
  /** The guest's name in the backup. */
  name: string;
  /** The guest that was replaced (`--force`), or null for a new guest. */
  overwritten: Overwritten | null;
}

const DISK = /^(scsi|virtio|sata|ide|efidisk|tpmstate|unused|mp)\d+$|^rootfs$/;

function disksOf(config: Record<string, unknown>): string[] {
  return Object.entries(config)
    .filter(([k, v]) => DISK.test(k) && typeof v === 'string' && !/media=cdrom/.test(v))
    .map(([, v]) => String(v).split(',')[0] as string);
}

/** `pve restore <volid> [<vmid>]`. */
export const pveRestore = defineOperation({
  id: 'pve.restore',
  summary: 'Restore a backup to a new guest, or over an existing one with --force',
  args: ['volid', 'vmid'],
  input: z.object({
    volid: backupVolidSchema,
    vmid: vmidSchema.optional().describe('guest id to restore to (default: a new one; with --force: the backed-up guest)'),
    storage: storageIdSchema.optional().describe('storage for the disks (default: where they were)'),
    force: z.boolean().default(false).describe('restore over an existing guest, replacing its disks and config'),
    start: z.boolean().default(false).describe('start the guest afterwards'),
    wait: waitSchema,
  }),
  risk: 'danger',
  timeoutMs: LONG_TASK_MS,
  examples: ['pve restore pbs:backup/vm/201/2026-12-04T02:00:00Z', 'pve restore pbs:backup/ct/107/2026-12-04T02:00:00Z 107 --force'],
  confirm: (input) => (input.force
    ? `Restore ${input.volid} over guest ${input.vmid ?? parseBackupVolid(input.volid)?.vmid ?? '?'}, replacing its disks and config`
    : `Restore ${input.volid} to ${input.vmid === undefined ? 'a new guest' : `new guest ${input.vmid}`}`),
  async preview(ctx, input) {
    const client = await ctx.client(pveClientFactory);
    const parsed = parseBackupVolid(input.volid) as NonNullable<ReturnType<typeof parseBackupVolid>>;
    const vmid = input.vmid ?? (input.force ? parsed.vmid : undefined);
    const existing = vmid === undefined ? undefined : (await client.guests(ctx.signal)).find((g) => g.vmid === vmid);
    if (!existing || vmid === undefined) return `Restore ${input.volid} to ${vmid === undefined ? 'a new guest (the next free id)' : `new guest ${vmid}`}`;
    const guest: GuestRef = { vmid, type: existing.type === 'lxc' ? 'lxc' : 'qemu', node: existing.node ?? '', name: existing.name ?? '', status: existing.status ?? 'unknown', template: existing.template === 1 };
    if (!input.force) return [`Restore ${input.volid} to guest ${vmid}`, `${guestLabel(guest)} exists on ${guest.node}: the restore will be refused without --force`];
    const disks = disksOf(await client.config(guest, ctx.signal));
    return [
      `Restore ${input.volid} over ${guestLabel(guest)} on ${guest.node}, replacing its disks and config`,
      `replaced: ${disks.length ? disks.join(', ') : 'its config (no disks)'}`,
      ...(guest.status === 'running' ? ['it is running: PVE will refuse until it is stopped'] : []),
    ];
  },
  async run(ctx, input): Promise<RestoreOutcome> {
    const client = await ctx.client(pveClientFactory);
    const parsed = parseBackupVolid(input.volid) as NonNullable<ReturnType<typeof parseBackupVolid>>;
    const guests = await client.guests(ctx.signal);
    const vmid = input.vmid ?? (input.force ? parsed.vmid : await nextId(client, ctx.signal));
    const existing = guests.find((g) => g.vmid === vmid);
    if (existing && !input.force) {
      throw new UsageError(`guest ${vmid}${existing.name ? ` (${existing.name})` : ''} exists: restoring over it replaces its disks and config`, 'add --force to do that, or leave out the vmid to restore to a new guest');
    }
    const node = existing?.node ?? await pickNode(client, undefined, ctx.signal);
    const volume = (await backupContent(client, node, parsed.storage, parsed.vmid, ctx.signal)).find((v) => v.volid === input.volid);
    if (!volume) throw new UsageError(`no backup ${input.volid} on storage ${parsed.storage}`, `homelab pve backups ${parsed.vmid} lists the backups of guest ${parsed.vmid}`);
    const type = volume.subtype === 'qemu' || volume.subtype === 'lxc' ? volume.subtype : parsed.type;
    const backupConfig = await extractConfig(client, node, input.volid, ctx.signal);
    const name = backupConfig[type === 'qemu' ? 'name' : 'hostname'] ?? '';
    let overwritten: Overwritten | null = null;
    if (existing) {
      const guest: GuestRef = { vmid, type: existing.type === 'lxc' ? 'lxc' : 'qemu', node, name: existing.name ?? '', status: existing.status ?? 'unknown', template: existing.template === 1 };
      const label = guestLabel(guest);
      if (guest.type !== type) throw new UsageError(`${label} is a ${guest.type === 'qemu' ? 'VM' : 'container'}, the backup holds a ${type === 'qemu' ? 'VM' : 'container'}: restore it to another id`);
      const config = await client.config(guest, ctx.signal);
      if (String(config.protection ?? '0') === '1') throw new OperationError(`${label} is protected (protection: 1): PVE will not restore over it`, `lift the protection first: homelab pve set ${vmid} --no-protection`);
      await refuseIfLocked(client, guest, config, ctx.signal);
      if (guest.status === 'running') throw new OperationError(`${label} is running: stop it before restoring over it`, `homelab pve shutdown ${vmid}`);
      overwritten = { vmid, name: guest.name, node, disks: disksOf(config) };
      ctx.progress(`restoring over ${label} on ${node}: replacing ${overwritten.disks.join(', ') || 'its config'}`);
    }
    const ref: GuestRef = { vmid, type, node, name, status: 'stopped', template: false };
    const label = `restore of ${input.volid} to ${guestLabel(ref)}`;
    const run = await explainLock(client, ref, () => runTask(ctx, client, label, input.wait, () => startRestore(client, node, {
      vmid, volid: input.volid, type, storage: input.storage, force: input.force, start: input.start,
    }, ctx.signal), LONG_TASK_MS), ctx.signal);
    return { volid: input.volid, vmid, type, node, name, overwritten, ...run };
  },
  render: (o) => [
    ...taskRunBlocks(`restore of ${o.volid} to ${guestLabel(o)} on ${o.node}`, o),
    ...(o.overwritten ? [fields([['replaced', `${guestLabel({ ...o, name: o.overwritten.name })}: ${o.overwritten.disks.join(', ') || 'config'}`]])] : []),
  ],
});
