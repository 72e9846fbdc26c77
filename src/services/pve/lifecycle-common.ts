/**
 * @module services/pve/lifecycle-common
 * Pieces the lifecycle operations share: the check that a node an option names exists,
 * the node a node-scoped command works on, the refusal of a protected guest, the
 * `TaskRun` lines of their human output, and the `--no-wait` refusal for follow-up steps.
 */
import { OperationError, UsageError } from '../../core/errors.js';
import { fields, text, type Block } from '../../core/render.js';
import type { PveClient } from './client.js';
import { guestLabel } from './guest-lock.js';
import type { GuestRef, NodeEntry } from './schemas.js';
import type { TaskRun } from './task-outcome.js';

/**
 * The node a `--node` / `--target` option names, checked against `GET /nodes` before
 * anything else is asked of it: a name the cluster lacks is a usage error listing its
 * nodes (PVE itself would answer a raw `hostname lookup failed`). With `online`, a node
 * that is not online is refused too (work sent there would wait for a timeout).
 */
export async function knownNode(client: PveClient, name: string, signal?: AbortSignal, options: { online?: boolean } = {}): Promise<NodeEntry> {
  const nodes = await client.nodes(signal);
  const node = nodes.find((n) => n.node === name);
  if (!node) throw new UsageError(`no node ${name} in the cluster`, `nodes: ${nodes.map((n) => n.node).sort().join(', ') || 'none'}`);
  if (options.online && node.status !== 'online') throw new OperationError(`node ${name} is ${node.status}`, 'pve nodes shows the cluster\'s nodes');
  return node;
}

/** `--node` (checked: it must be an online node of the cluster), else `services.pve.node`, else the first online node. */
export async function pickNode(client: PveClient, wanted: string | undefined, signal?: AbortSignal): Promise<string> {
  if (wanted) return (await knownNode(client, wanted, signal, { online: true })).node;
  if (client.settings.node) return client.settings.node;
  const online = (await client.nodes(signal)).filter((n) => n.status === 'online').map((n) => n.node).sort();
  const first = online[0];
  if (!first) throw new UsageError('no online node to work on', 'give one with --node');
  return first;
}

/** Refuses a protected guest (`protection: 1`): PVE will not `action` it (`remove it`, `restore over it`); says how to lift it. */
export function refuseProtected(guest: GuestRef, config: Record<string, unknown>, action: string): void {
  if (String(config.protection ?? '0') === '1') {
    throw new OperationError(`${guestLabel(guest)} is protected (protection: 1): PVE will not ${action}`, `lift the protection first: homelab pve set ${guest.vmid} --no-protection`);
  }
}

/** Refuses `--no-wait` together with steps that need the task to have finished. */
export function refuseNoWait(wait: boolean, steps: string[]): void {
  if (!wait && steps.length > 0) {
    throw new UsageError(`${steps.join(', ')} ${steps.length === 1 ? 'needs' : 'need'} the task to finish first; drop --no-wait`);
  }
}

/** Human lines of a task run: the UPID when not waited, `OK in 1.2 s` otherwise. */
export function taskRunBlocks(what: string, run: TaskRun): Block[] {
  if (!run.waited) return [text(`${what}: task started`), fields([['upid', run.upid]])];
  const secs = run.durationMs === null ? '' : ` in ${(run.durationMs / 1000).toFixed(1)} s`;
  return [text(`${what}: ${run.exitstatus ?? 'done'}${secs}`, 'ok')];
}
