/**
 * @module services/pve/operations-cluster
 * Cluster-wide reads: `pve nodes`, `pve storage`, `pve tasks`.
 */
import { z } from 'zod';
import { formatBytes, formatDuration, formatPercent, formatTime } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { table, toned } from '../../core/render.js';
import { isTaskOk } from '../proxmox/tasks.js';
import type { TaskSummary } from '../proxmox/task-summary.js';
import { parseUpid } from '../proxmox/upid.js';
import { pveClientFactory } from './factory.js';
import { nodeSchema } from './inputs.js';
import { knownNode } from './lifecycle-common.js';

/** JSON shape of one `pve nodes` entry. */
export interface NodeSummary {
  node: string;
  status: string;
  /** 0..1 of all cores. */
  cpu: number | null;
  cpus: number | null;
  loadavg: number[];
  mem: number | null;
  maxmem: number | null;
  rootfsUsed: number | null;
  rootfsTotal: number | null;
  /** Seconds. */
  uptime: number | null;
  pveversion: string | null;
  kernel: string | null;
}

/** `pve nodes`: node status. */
export const pveNodes = defineOperation({
  id: 'pve.nodes',
  summary: 'Show cluster nodes: cpu, load, memory, root disk, uptime, version',
  input: z.object({}),
  risk: 'read',
  examples: ['pve nodes', 'pve nodes --json'],
  pages: true,
  async run(ctx): Promise<NodeSummary[]> {
    const client = await ctx.client(pveClientFactory);
    const nodes = await client.eachNode((node) => client.nodeStatus(node, ctx.signal), ctx.signal);
    const out = await Promise.all(
      nodes.map(async ({ node: n, run }): Promise<NodeSummary> => {
        const base: NodeSummary = {
          node: n.node, status: n.status, cpu: n.cpu ?? null, cpus: n.maxcpu ?? null, loadavg: [],
          mem: n.mem ?? null, maxmem: n.maxmem ?? null, rootfsUsed: null, rootfsTotal: null, uptime: n.uptime ?? null, pveversion: null, kernel: null,
        };
        if (n.status !== 'online') return base;
        const s = await run();
        return {
          ...base,
          cpu: s.cpu,
          cpus: s.cpuinfo?.cpus ?? base.cpus,
          loadavg: (s.loadavg ?? []).map(Number),
          mem: s.memory.used,
          maxmem: s.memory.total,
          rootfsUsed: s.rootfs.used,
          rootfsTotal: s.rootfs.total,
          uptime: s.uptime ?? base.uptime,
          pveversion: s.pveversion ?? null,
          kernel: s.kversion ?? null,
        };
      }),
    );
    return out.sort((a, b) => a.node.localeCompare(b.node));
  },
  completions: (nodes) => [{ kind: 'pve.node', values: nodes.map((n) => ({ value: n.node, description: n.status })) }],
  render: (nodes) => [
    table(
      ['node', 'status', 'cpu>', 'load', 'memory>', 'root disk>', 'uptime>', 'version'],
      nodes.map((n) => [
        n.node,
        toned(n.status, n.status === 'online' ? 'ok' : 'bad'),
        n.cpu === null ? '-' : `${formatPercent(n.cpu)} of ${n.cpus ?? '?'}`,
        n.loadavg.length ? n.loadavg.map((l) => l.toFixed(2)).join(' ') : '-',
        n.maxmem ? `${formatBytes(n.mem)} / ${formatBytes(n.maxmem)}` : '-',
        n.rootfsTotal ? `${formatBytes(n.rootfsUsed)} / ${formatBytes(n.rootfsTotal)}` : '-',
        formatDuration(n.uptime),
        n.pveversion?.split('/')[1] ?? '-',
      ]),
    ),
  ],
});

/** JSON shape of one `pve storage` entry. */
export interface StorageSummary {
  node: string;
  storage: string;
  type: string;
  content: string[];
  active: boolean;
  shared: boolean;
  used: number | null;
  total: number | null;
  avail: number | null;
  /** 0..1. */
  usedFraction: number | null;
}

/** `pve storage [--node N]`: storages with usage. */
export const pveStorage = defineOperation({
  id: 'pve.storage',
  summary: 'List storages with usage (all online nodes unless --node)',
  input: z.object({ node: nodeSchema.optional() }),
  risk: 'read',
  examples: ['pve storage', 'pve storage --node pve2'],
  pages: true,
  async run(ctx, input): Promise<StorageSummary[]> {
    const client = await ctx.client(pveClientFactory);
    const names = input.node ? [(await knownNode(client, input.node, ctx.signal)).node] : (await client.nodes(ctx.signal)).filter((n) => n.status === 'online').map((n) => n.node);
    const lists = await Promise.all(names.map(async (node) => (await client.storage(node, ctx.signal)).map((s) => ({ node, s }))));
    return lists.flat().map(({ node, s }) => {
      const fraction = s.used_fraction ?? (s.total ? (s.used ?? 0) / s.total : null);
      return {
        node, storage: s.storage, type: s.type, content: (s.content ?? '').split(',').filter(Boolean),
        active: s.active === 1, shared: s.shared === 1, used: s.used ?? null, total: s.total ?? null, avail: s.avail ?? null, usedFraction: fraction,
      };
    });
  },
  render: (rows) => [
    table(
      ['node', 'storage', 'type', 'content', 'used>', 'size>', 'use%>'],
      rows.map((s) => [
        s.node, s.storage, s.type, s.content.join(','),
        formatBytes(s.used), formatBytes(s.total),
        toned(formatPercent(s.usedFraction, 0), s.usedFraction === null ? undefined : s.usedFraction > 0.9 ? 'bad' : s.usedFraction > 0.8 ? 'warn' : undefined),
      ]),
    ),
  ],
});

/** JSON shape of one `pve tasks` entry. */
export type { TaskSummary } from '../proxmox/task-summary.js';

/** `pve tasks [--node N] [--errors] [--limit N]`. */
export const pveTasks = defineOperation({
  id: 'pve.tasks',
  summary: 'List recent tasks with their status',
  input: z.object({
    node: nodeSchema.optional(),
    errors: z.boolean().default(false).describe('only failed tasks'),
    limit: z.number({ error: 'limit must be an integer from 1 to 1000' }).int().min(1).max(1000).default(20).describe('at most this many tasks'),
  }),
  risk: 'read',
  examples: ['pve tasks --errors', 'pve tasks --node pve2 --limit 50'],
  async run(ctx, input): Promise<TaskSummary[]> {
    const client = await ctx.client(pveClientFactory);
    const entries = input.node
      ? await client.nodeTasks((await knownNode(client, input.node, ctx.signal)).node, { limit: input.limit, errors: input.errors }, ctx.signal)
      : await client.clusterTasks(ctx.signal);
    return entries
      .map((t): TaskSummary => {
        const parsed = parseUpid(t.upid);
        const status = t.status ?? (t.endtime ? 'unknown' : 'running');
        return {
          upid: t.upid, node: t.node ?? parsed?.node ?? '', type: t.type ?? parsed?.type ?? '', id: t.id ?? parsed?.id ?? '',
          user: t.user ?? parsed?.user ?? '', starttime: t.starttime ?? parsed?.starttime ?? null, endtime: t.endtime ?? null,
          status, ok: status === 'running' ? null : isTaskOk(status),
        };
      })
      .filter((t) => !input.errors || t.ok === false)
      .sort((a, b) => (b.starttime ?? 0) - (a.starttime ?? 0))
      .slice(0, input.limit);
  },
  render: (tasks) => [
    table(
      ['started', 'node', 'type', 'id', 'user', 'status'],
      tasks.map((t) => [formatTime(t.starttime), t.node, t.type, t.id, t.user, toned(t.status, t.ok === null ? 'accent' : t.ok ? 'ok' : 'bad')]),
      { empty: 'no tasks' },
    ),
  ],
});
