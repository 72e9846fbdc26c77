/**
 * @module services/pve/operations-restore
 * `pve restore <volid> [<vmid>] [--node N] [--storage S] [--force] [--start]`: a backup
 * becomes a guest again. Without a VMID it becomes a new guest (the next free id); over an
 * existing guest only with `--force`, and never over a running, protected or locked one.
 * Every check (`restore-plan`) is made before the confirmation asks (`preview`) and again
 * before sending. A backup on a node-local storage restores on the node holding it. A
 * copy under another id than the backed-up guest's gets new MAC addresses (`unique=1`),
 * and a static address a running guest already has is a warning, before and after.
 */
import { z } from 'zod';
import { defineOperation } from '../../core/operation.js';
import { fields, text, type Block } from '../../core/render.js';
import { addressClashes, staticAddresses } from './address-clash.js';
import { extractConfig, startRestore } from './api-backup.js';
import { nextId } from './api-lifecycle.js';
import { parseBackupVolid } from './backup-entries.js';
import type { PveClient } from './client.js';
import { diskVolumes } from './disks.js';
import { pveClientFactory } from './factory.js';
import { explainLock, guestLabel } from './guest-lock.js';
import { nodeSchema, vmidSchema, waitSchema } from './inputs.js';
import { storageIdSchema } from './inputs-lifecycle.js';
import { taskRunBlocks } from './lifecycle-common.js';
import { planRestore, type RestorePlan } from './restore-plan.js';
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
  /** New MAC addresses were asked for (`unique=1`): restored under another id than the backed-up guest's. */
  unique: boolean;
  /** Started after the restore (`--start`, waited for). */
  started: boolean;
  /** Static addresses of the restored config that a running guest already has. */
  warnings: string[];
}

/** What the archive holds: the guest's name and the clash warnings of its static addresses (`except`: the target id). */
async function archiveFacts(client: PveClient, plan: RestorePlan, volid: string, except: number | undefined, signal: AbortSignal): Promise<{ name: string; warnings: string[] }> {
  const config = await extractConfig(client, plan.node, volid, signal);
  const warnings = await addressClashes(client, staticAddresses(config), except, signal);
  return { name: config[plan.type === 'qemu' ? 'name' : 'hostname'] ?? '', warnings };
}

const planOf = (client: PveClient, input: { volid: string; vmid?: number; node?: string; storage?: string; force: boolean }, signal: AbortSignal): Promise<RestorePlan> =>
  planRestore(client, { volid: input.volid, vmid: input.vmid, node: input.node, storage: input.storage, force: input.force }, signal);

/** `pve restore <volid> [<vmid>]`. */
export const pveRestore = defineOperation({
  id: 'pve.restore',
  summary: 'Restore a backup to a new guest, or over an existing one with --force',
  description: 'A backup on a node-local storage (pve backups names its node) restores on that node; one on a shared storage (PBS) on --node, '
    + 'else services.pve.node or the first online node. Restored under another id than the backed-up guest\'s, it gets new MAC addresses (unique).',
  args: ['volid', 'vmid'],
  input: z.object({
    volid: backupVolidSchema,
    vmid: vmidSchema.optional().describe('guest id to restore to (default: a new one; with --force: the backed-up guest)'),
    node: nodeSchema.optional().describe('node to restore on (default: the node holding a node-local backup; for a shared storage services.pve.node, else the first online node)'),
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
    const plan = await planOf(client, input, ctx.signal);
    const facts = await archiveFacts(client, plan, input.volid, plan.vmid, ctx.signal);
    const start = input.start ? ['it will be started afterwards'] : [];
    if (!plan.existing) {
      const to = plan.vmid === undefined ? 'a new guest (the next free id)' : `new guest ${plan.vmid}`;
      return [`Restore ${input.volid} to ${to} on ${plan.node}`, ...facts.warnings, ...start];
    }
    const disks = diskVolumes(plan.existing.config);
    return [
      `Restore ${input.volid} over ${guestLabel(plan.existing.guest)} on ${plan.node}, replacing its disks and config`,
      `replaced: ${disks.length ? disks.join(', ') : 'its config (no disks)'}`,
      ...facts.warnings, ...start,
    ];
  },
  async run(ctx, input): Promise<RestoreOutcome> {
    const client = await ctx.client(pveClientFactory);
    const plan = await planOf(client, input, ctx.signal);
    const { node, type, existing } = plan;
    const vmid = plan.vmid ?? await nextId(client, ctx.signal);
    const { name, warnings } = await archiveFacts(client, plan, input.volid, vmid, ctx.signal);
    for (const w of warnings) ctx.progress(`warning: ${w}`);
    const overwritten: Overwritten | null = existing ? { vmid, name: existing.guest.name, node, disks: diskVolumes(existing.config) } : null;
    if (overwritten) ctx.progress(`restoring over ${guestLabel(existing?.guest as GuestRef)} on ${node}: replacing ${overwritten.disks.join(', ') || 'its config'}`);
    // A copy next to the original must not share its MAC addresses; the guest's own id keeps them (DHCP reservations).
    const unique = vmid !== plan.source.vmid;
    const ref: GuestRef = { vmid, type, node, name, status: 'stopped', template: false };
    const label = `restore of ${input.volid} to ${guestLabel(ref)}`;
    const run = await explainLock(client, ref, () => runTask(ctx, client, label, input.wait, () => startRestore(client, node, {
      vmid, volid: input.volid, type, storage: input.storage, force: input.force, start: input.start, unique,
    }, ctx.signal), LONG_TASK_MS), ctx.signal);
    return { volid: input.volid, vmid, type, node, name, overwritten, unique, started: input.start && run.waited, warnings, ...run };
  },
  render: (o, input) => {
    const blocks: Block[] = taskRunBlocks(`restore of ${o.volid} to ${guestLabel(o)} on ${o.node}`, o);
    if (o.overwritten) blocks.push(fields([['replaced', `${guestLabel({ ...o, name: o.overwritten.name })}: ${o.overwritten.disks.join(', ') || 'config'}`]]));
    if (o.started) blocks.push(text(`${guestLabel(o)} was started (--start)`, 'ok'));
    else if (input.start) blocks.push(text(`${guestLabel(o)} starts when the restore task ends (--start)`));
    for (const w of o.warnings) blocks.push(text(`warning: ${w}`, 'warn'));
    return blocks;
  },
});
