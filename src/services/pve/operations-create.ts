/**
 * @module services/pve/operations-create
 * New guests: `pve clone` (a VM or container; the new id from `next-id` when omitted;
 * for a cloud-init VM template, address, gateway, SSH keys and user set on the clone)
 * and `pve create ct` (a container from a template volume; never a password). Each waits
 * for its task unless `--no-wait`, and `--start` starts the new guest after. A clone's
 * `--storage` (full clones only) is checked first, as are what PVE refuses: a new id that
 * is taken, `--target` another node onto node-local storage (a VM's disks or `--storage`; a
 * container's `--storage`, else its disks), a running container (PVE copies one only from a
 * snapshot) and a running VM with a TPM state disk (full clone), read from the config as it
 * runs now; a static address of the clone's config that a running guest has is a warning.
 * A clone stopped before its cloud-init and `--start` were applied says so (clone-not-done).
 */
import { z } from 'zod';
import { OperationError, UsageError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { text, type Block } from '../../core/render.js';
import { addressClashes, staticAddresses } from './address-clash.js';
import { cloneGuest, nextId } from './api-lifecycle.js';
import { cloudInitChanges, hasCloudInitDrive } from './cloud-init.js';
import { cloneStopped, type CloneStage } from './clone-not-done.js';
import type { PveClient } from './client.js';
import { pveClientFactory } from './factory.js';
import { explainLock, guestLabel, refuseIfLocked } from './guest-lock.js';
import { nodeSchema, vmidSchema, waitSchema } from './inputs.js';
import { ciUserSchema, gatewaySchema, guestNameSchema, ipConfigSchema, storageIdSchema } from './inputs-lifecycle.js';
import { knownNode, refuseNoWait, taskRunBlocks } from './lifecycle-common.js';
import { applyConfig, startNew } from './lifecycle-steps.js';
import type { GuestRef } from './schemas.js';
import { sshPublicKeysSchema } from './ssh-keys.js';
import { checkDiskStorage, localDiskStorages, localStorages } from './storage-checks.js';
import { LONG_TASK_MS, runTask, type TaskRun } from './task-outcome.js';

/** JSON shape of `pve clone`. */
export interface CloneOutcome extends TaskRun {
  /** The source guest. */
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  newid: number;
  newName: string;
  /** Node the clone lives on. */
  targetNode: string;
  full: boolean;
  /** Cloud-init keys set on the clone (`sshkeys` as a key count), or null. */
  cloudInit: { ipconfig0: string | null; ciuser: string | null; sshKeys: number } | null;
  /** The start after the clone (`--start`), or null. */
  start: TaskRun | null;
  /** Static addresses of the clone's config that a running guest already has (the source, often). */
  warnings: string[];
}

const cloneInput = z.object({
  vmid: vmidSchema.describe('the guest or template to clone'),
  newid: vmidSchema.optional().describe('id of the clone (default: pve next-id)'),
  name: guestNameSchema.optional().describe('name of the clone (host name for containers)'),
  full: z.boolean().optional().describe('full copy instead of a linked clone (--no-full: linked; default: linked for templates, full otherwise)'),
  target: nodeSchema.optional().describe('node for the clone (needs shared storage)'),
  storage: storageIdSchema.optional().describe('storage for the full copy'),
  ip: ipConfigSchema.optional().describe('cloud-init address: 10.5.0.30/24 or dhcp'),
  gw: gatewaySchema.optional().describe('cloud-init IPv4 gateway'),
  sshKey: sshPublicKeysSchema.optional().describe('cloud-init SSH public key(s) (on the CLI: a .pub file)'),
  user: ciUserSchema.optional().describe('cloud-init user'),
  start: z.boolean().default(false).describe('start the clone when it is ready'),
  wait: waitSchema,
});

/**
 * Refuses, before sending, a clone to another node that PVE refuses: a VM with a disk (CD-ROM
 * images included) on node-local storage, or whose `--storage` is node-local; a container
 * whose copies would land on node-local storage (`--storage` when given, as pve-container
 * counts it, else its volumes' own storages).
 */
async function refuseCloneElsewhere(client: PveClient, src: GuestRef, config: Record<string, unknown>, target: string, storage: string | undefined, signal: AbortSignal): Promise<void> {
  const hint = `clone it on ${src.node}, then move the clone: homelab pve migrate <newid> ${target}`;
  if (storage !== undefined && (await localStorages(client, src.node, [storage], signal)).length) {
    throw new UsageError(`storage ${storage} is node-local: PVE clones to another node only onto shared storage`, `give a shared --storage, or ${hint}`);
  }
  if (src.type === 'lxc' && storage !== undefined) return;
  const local = await localDiskStorages(client, src.node, config, signal);
  if (local.length) throw new UsageError(`${guestLabel(src)} has disks on node-local storage (${local.join(', ')}): PVE clones to another node only from shared storage`, hint);
}

const STORAGE_NEEDS_FULL = "--storage is for full clones (a linked clone's disks stay on the template's storage)";

/** `pve clone <vmid> [<newid>] [...]`. */
export const pveClone = defineOperation({
  id: 'pve.clone',
  summary: 'Clone a VM or container (a cloud-init template gets address, keys and user)',
  args: ['vmid', 'newid'],
  input: cloneInput,
  risk: 'change',
  timeoutMs: LONG_TASK_MS,
  cliFiles: ['sshKey'],
  examples: ['pve clone 9000 --name web1 --ip 10.5.0.30/24 --gw 10.5.0.254 --ssh-key ~/.ssh/id_ed25519.pub --start', 'pve clone 201 310 --name media-test'],
  confirm: (i) => `Clone guest ${i.vmid} to ${i.newid ?? 'the next free id'}${i.name ? ` (${i.name})` : ''}${i.target ? ` on ${i.target}` : ''}${i.start ? ' and start it' : ''}`,
  async run(ctx, input): Promise<CloneOutcome> {
    if (input.gw && (!input.ip || input.ip === 'dhcp')) throw new UsageError('--gw needs a static --ip (like 10.5.0.30/24)');
    if (input.storage && input.full === false) throw new UsageError(STORAGE_NEEDS_FULL, 'drop --no-full, or --storage');
    const ci = cloudInitChanges(input);
    refuseNoWait(input.wait, [...Object.keys(ci).length ? ['--ip/--gw/--ssh-key/--user'] : [], ...input.start ? ['--start'] : []]);
    const client = await ctx.client(pveClientFactory);
    const src = await client.resolveGuest(input.vmid, ctx.signal);
    if (input.newid !== undefined) {
      const taken = (await client.guests(ctx.signal)).find((g) => g.vmid === input.newid);
      if (taken) throw new UsageError(`id ${input.newid} is taken: ${taken.type === 'lxc' ? 'CT' : 'VM'} ${input.newid}${taken.name ? ` (${taken.name})` : ''} is on ${taken.node ?? 'the cluster'}`, 'leave the id out to take the next free one (homelab pve next-id shows it)');
    }
    const elsewhere = input.target !== undefined && input.target !== src.node;
    if (elsewhere) await knownNode(client, input.target as string, ctx.signal, { online: true });
    // PVE clones what the guest is now (`current=1`), not changes pending until its next start.
    const config = await client.currentConfig(src, ctx.signal);
    if (elsewhere) await refuseCloneElsewhere(client, src, config, input.target as string, input.storage, ctx.signal);
    if (Object.keys(ci).length && (src.type !== 'qemu' || !hasCloudInitDrive(config))) {
      throw new UsageError(`--ip, --gw, --ssh-key and --user set cloud-init, and ${guestLabel(src)} has no cloud-init drive`, 'clone a cloud-init VM template (pve templates lists them)');
    }
    const full = input.full ?? !src.template;
    const targetNode = input.target ?? src.node;
    if (input.storage && !full) throw new UsageError(`${guestLabel(src)} is a template, so the clone is linked by default: ${STORAGE_NEEDS_FULL}`, `add --full to copy its disks to ${input.storage}`);
    if (input.storage) await checkDiskStorage(client, targetNode, input.storage, src.type, ctx.signal);
    if (src.type === 'lxc' && full && src.status === 'running') {
      throw new OperationError(`${guestLabel(src)} is running: PVE copies a running container only from a snapshot`, `stop it first (homelab pve shutdown ${src.vmid}), clone it, then start it again`);
    }
    if (src.type === 'qemu' && full && src.status === 'running' && config.tpmstate0 !== undefined) {
      throw new OperationError(`${guestLabel(src)} is running and has a TPM state disk: PVE cannot copy TPM state while the VM runs`, `stop it first (homelab pve shutdown ${src.vmid}), clone it, then start it again`);
    }
    await refuseIfLocked(client, src, config, ctx.signal);
    const warnings = await addressClashes(client, staticAddresses({ ...config, ...ci }), undefined, ctx.signal);
    for (const w of warnings) ctx.progress(`warning: ${w}`);
    const newid = input.newid ?? (await nextId(client, ctx.signal));
    const newName = input.name ?? `Copy-of-${src.type === 'qemu' ? 'VM' : 'CT'}-${src.name}`;
    // What comes after the clone's task: an error before it is done says what was not (clone-not-done).
    const rest = { newid, node: targetNode, cloudInit: ci, start: input.start };
    let stage: CloneStage = 'sent';
    const run = await explainLock(client, src, () => runTask(ctx, client, `clone of ${guestLabel(src)} to ${newid}`, input.wait,
      async () => {
        const upid = await cloneGuest(client, src, { newid, name: input.name, full: input.full, target: input.target, storage: input.storage }, ctx.signal);
        stage = 'task';
        return upid;
      }, LONG_TASK_MS), ctx.signal)
      .catch((err: unknown) => { throw cloneStopped(err, rest, stage); });
    const clone: GuestRef = { vmid: newid, type: src.type, node: targetNode, name: newName, status: 'stopped', template: false };
    if (Object.keys(ci).length) await applyConfig(ctx, client, clone, ci).catch((err: unknown) => { throw cloneStopped(err, rest, 'cloud-init'); });
    const start = input.start ? await startNew(ctx, client, clone) : null;
    const cloudInit = Object.keys(ci).length
      ? { ipconfig0: (ci.ipconfig0 as string | undefined) ?? null, ciuser: input.user ?? null, sshKeys: input.sshKey ? input.sshKey.split('\n').length : 0 }
      : null;
    return { vmid: src.vmid, name: src.name, type: src.type, node: src.node, newid, newName, targetNode, full, ...run, cloudInit, start, warnings };
  },
  render: (r) => {
    const blocks: Block[] = taskRunBlocks(`clone of ${guestLabel(r)} to ${r.newid} (${r.newName}) on ${r.targetNode}${r.full ? ', full copy' : ', linked'}`, r);
    if (r.cloudInit) {
      const parts = [r.cloudInit.ipconfig0, r.cloudInit.ciuser ? `user ${r.cloudInit.ciuser}` : null, r.cloudInit.sshKeys ? `${r.cloudInit.sshKeys} SSH key(s)` : null].filter(Boolean);
      blocks.push(text(`cloud-init: ${parts.join(', ')}`));
    }
    if (r.start) blocks.push(...taskRunBlocks(`start of ${r.newid}`, r.start));
    for (const w of r.warnings) blocks.push(text(`warning: ${w}`, 'warn'));
    return blocks;
  },
});
