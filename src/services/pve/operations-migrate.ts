/**
 * @module services/pve/operations-migrate
 * `pve migrate <vmid> <target-node> [--online] [--restart]`: asks PVE first
 * (`GET …/migrate`) and explains a refusal before sending anything — a running VM needs
 * `--online`, a running container `--restart`, local devices cannot move, a storage the
 * target lacks blocks it (for a running VM, whose check lists no nodes, its local disks'
 * storages are looked up on the target), a linked clone or a VM template whose base disk
 * linked clones use cannot leave node-local storage (exit 2) — then moves the guest and
 * waits for the task. A
 * live migration of a VM with disks on node-local storage copies them (`with-local-disks`,
 * as the web UI does). Every check is made before the confirmation asks (`preview`, which
 * shows the move's mode and the local disks it copies) and again by the run.
 */
import { z } from 'zod';
import { OperationError, UsageError } from '../../core/errors.js';
import { formatBytes } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { fields } from '../../core/render.js';
import { migratePrecondition, startMigrate, type MigratePrecondition } from './api-move.js';
import type { PveClient } from './client.js';
import { driveVolumes, storageOf } from './disks.js';
import { pveClientFactory } from './factory.js';
import { explainLock, guestLabel, refuseIfLocked } from './guest-lock.js';
import { nodeSchema, vmidSchema, waitSchema } from './inputs.js';
import { knownNode, taskRunBlocks } from './lifecycle-common.js';
import { cloneList, linkedClones } from './linked-clones.js';
import type { GuestRef } from './schemas.js';
import { localDiskStorages, storagesMissingOn } from './storage-checks.js';
import { LONG_TASK_MS, runTask, type TaskRun } from './task-outcome.js';

/** JSON shape of `pve migrate`. */
export interface MigrateOutcome extends TaskRun {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  from: string;
  to: string;
  /** `online` (live), `restart` (container shut down and started again) or `offline`. */
  mode: 'online' | 'restart' | 'offline';
  /** Disks on node-local storage the live migration copies (copied when `waited`). */
  localDisks: { volid: string; size: number | null }[];
}

/** Why PVE would refuse the move, in the user's terms; undefined when it may go. */
function refusal(guest: GuestRef, target: string, pre: MigratePrecondition, running: boolean, input: { online: boolean; restart: boolean }): Error | undefined {
  const label = guestLabel(guest);
  if (guest.type === 'qemu' && running && !input.online) return new UsageError(`${label} is running: add --online for a live migration, or shut it down first`);
  if (guest.type === 'lxc' && running && !input.restart) return new UsageError(`${label} is running and containers cannot move live: add --restart to shut it down, move it and start it again on ${target}`);
  const devices = pre.local_resources ?? [];
  if (devices.length > 0) return new OperationError(`${label} uses local devices (${devices.join(', ')}) that only ${guest.node} has, so PVE will not move it`, `remove them from its config first (homelab pve config ${guest.vmid} shows them)`);
  const blocked = pre.not_allowed_nodes?.[target];
  if (blocked) {
    const storages = blocked.unavailable_storages ?? [];
    const resources = blocked['unavailable-resources'] ?? [];
    const why = [storages.length ? `storage ${storages.join(', ')} is not available there` : '', resources.length ? `mapped devices ${resources.join(', ')} are missing there` : ''].filter(Boolean).join('; ');
    return new OperationError(`${target} cannot take ${label}: ${why || 'PVE does not allow it'}`);
  }
  const allowed = pre['allowed-nodes'] ?? (running ? undefined : pre.allowed_nodes);
  if (allowed && !allowed.includes(target)) return new OperationError(`${target} cannot take ${label}: PVE allows ${allowed.join(', ') || 'no node'}`);
  return undefined;
}

/**
 * What PVE's volume scan refuses on node-local storage: a linked clone's disk (it sits on its
 * template's base volume), and a VM template's base volume that linked clones use.
 */
async function refuseLinkedDisks(client: PveClient, guest: GuestRef, config: Record<string, unknown>, signal: AbortSignal): Promise<void> {
  const local = new Set(await localDiskStorages(client, guest.node, config, signal));
  if (local.size === 0) return;
  const label = guestLabel(guest);
  const linked = driveVolumes(config).find((v) => local.has(storageOf(v)) && /^[^:]+:base-\d+-[^/]+\//.test(v));
  if (linked) {
    throw new UsageError(`${label} is a linked clone (${linked}) on node-local storage ${storageOf(linked)}: PVE cannot move it away from its template's base disk`,
      `a full copy can move: homelab pve clone ${guest.vmid} --full, then migrate the copy`);
  }
  if (guest.type !== 'qemu') return;
  const clones = await linkedClones(client, guest, config, signal, (base) => local.has(storageOf(base)));
  if (clones.length) {
    throw new UsageError(`${label} is a template whose base disk on node-local storage linked clones use (${cloneList(clones)}): PVE cannot move it`,
      'destroy the linked clones first, or replace each with a full copy (homelab pve clone <vmid> --full)');
  }
}

/** A move that PVE will take: how, and the local disks it copies. */
interface Migration {
  guest: GuestRef;
  mode: MigrateOutcome['mode'];
  localDisks: MigrateOutcome['localDisks'];
  /** VMs: a live migration that copies local disks (`with-local-disks`). */
  withLocalDisks: boolean;
}

type MoveInput = { vmid: number; target: string; online: boolean; restart: boolean };

/** Every check of a move, read-only: the flags, the target node, the lock, PVE's precondition check, the target's storages. */
async function checkMigration(client: PveClient, input: MoveInput, signal: AbortSignal): Promise<Migration> {
  const guest = await client.resolveGuest(input.vmid, signal);
  const label = guestLabel(guest);
  if (guest.type === 'lxc' && input.online) throw new UsageError(`${label} is a container and containers cannot move live: use --restart`);
  if (guest.type === 'qemu' && input.restart) throw new UsageError('--restart is for containers; a running VM moves live with --online');
  if (guest.node === input.target) throw new UsageError(`${label} is already on ${input.target}`);
  const target = await knownNode(client, input.target, signal);
  if (target.status !== 'online') throw new OperationError(`node ${input.target} is ${target.status}: it cannot take ${label}`);
  const config = await client.config(guest, signal);
  await refuseIfLocked(client, guest, config, signal);
  const pre = await migratePrecondition(client, guest, input.target, signal);
  const running = pre.running === undefined ? guest.status === 'running' : Boolean(pre.running);
  const refused = refusal(guest, input.target, pre, running, input);
  if (refused) throw refused;
  await refuseLinkedDisks(client, guest, config, signal);
  const localDisks = (pre.local_disks ?? []).filter((d) => !d.cdrom).map((d) => ({ volid: d.volid, size: d.size ?? null }));
  // qemu-server names no nodes for a running VM: the storages its local disks need are looked up on the target.
  const missing = await storagesMissingOn(client, input.target, localDisks.map((d) => d.volid.split(':')[0] as string), signal);
  if (missing.length) throw new OperationError(`${input.target} cannot take ${label}: storage ${missing.join(', ')} of its local disks is not available there`);
  const online = guest.type === 'qemu' && running;
  const mode = online ? 'online' : guest.type === 'lxc' && running ? 'restart' : 'offline';
  return { guest, mode, localDisks, withLocalDisks: online && localDisks.length > 0 };
}

const HOW: Record<MigrateOutcome['mode'], string> = {
  online: 'live, it keeps running',
  restart: 'it is shut down, moved and started again',
  offline: 'it is stopped',
};

/** `pve migrate <vmid> <target-node>`. */
export const pveMigrate = defineOperation({
  id: 'pve.migrate',
  summary: 'Move a guest to another node (--online: live, VMs; --restart: containers)',
  args: ['vmid', 'target'],
  input: z.object({
    vmid: vmidSchema,
    target: nodeSchema.describe('the node to move it to'),
    online: z.boolean().default(false).describe('live-migrate a running VM (disks on local storage are copied)'),
    restart: z.boolean().default(false).describe('containers: shut down, move and start again'),
    wait: waitSchema,
  }),
  risk: 'change',
  timeoutMs: LONG_TASK_MS,
  examples: ['pve migrate 201 pve1', 'pve migrate 200 pve2 --online', 'pve migrate 104 pve2 --restart'],
  confirm: (input) => `Move guest ${input.vmid} to ${input.target}${input.online ? ' (live)' : input.restart ? ' (restart)' : ''}`,
  async preview(ctx, input) {
    const client = await ctx.client(pveClientFactory);
    const { guest, mode, localDisks } = await checkMigration(client, input, ctx.signal);
    return [
      `Move ${guestLabel(guest)} from ${guest.node} to ${input.target} (${mode}: ${HOW[mode]})`,
      ...(localDisks.length ? [`local disks copied: ${localDisks.map((d) => `${d.volid} (${formatBytes(d.size)})`).join(', ')}`] : []),
    ];
  },
  async run(ctx, input): Promise<MigrateOutcome> {
    const client = await ctx.client(pveClientFactory);
    const { guest, mode, localDisks, withLocalDisks } = await checkMigration(client, input, ctx.signal);
    const label = guestLabel(guest);
    if (withLocalDisks) ctx.progress(`${label}: live migration copies ${localDisks.length} local disk(s), ${formatBytes(localDisks.reduce((s, d) => s + (d.size ?? 0), 0))}`);
    const run = await explainLock(client, guest, () => runTask(ctx, client, `migration of ${label} to ${input.target}`, input.wait, () => startMigrate(client, guest, {
      target: input.target, online: mode === 'online', restart: mode === 'restart', withLocalDisks,
    }, ctx.signal), LONG_TASK_MS), ctx.signal);
    return { vmid: guest.vmid, name: guest.name, type: guest.type, from: guest.node, to: input.target, mode, localDisks, ...run };
  },
  render: (o) => [
    ...taskRunBlocks(`${o.mode} migration of ${guestLabel(o)} from ${o.from} to ${o.to}`, o),
    // With --no-wait the task has only started: nothing is copied yet.
    ...(o.localDisks.length ? [fields(o.localDisks.map((d): [string, string] => [d.volid, formatBytes(d.size)]), o.waited ? 'local disks copied' : 'local disks the task copies')] : []),
  ],
});
