/**
 * @module services/pve/operations-cluster-status
 * `pve cluster`: the cluster's name and quorum, and each node's address and state, from
 * `GET /cluster/status` (a standalone node answers with its own entry only). The node
 * addresses are what `homelab check` counts as known hosts.
 */
import { z } from 'zod';
import { defineOperation } from '../../core/operation.js';
import { fields, table, toned } from '../../core/render.js';
import { pveClientFactory } from './factory.js';

const flag = z.union([z.number(), z.boolean()]).optional().transform((v) => v === undefined ? undefined : v === true || v === 1);
const entrySchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  name: z.string(),
  ip: z.string().optional(),
  online: flag,
  local: flag,
  quorate: flag,
  nodes: z.number().optional(),
});

/** JSON shape of `pve cluster`. */
export interface ClusterStatus {
  /** Null for a standalone node (no cluster configured). */
  cluster: { name: string; quorate: boolean | null; nodes: number | null } | null;
  nodes: { name: string; ip: string | null; online: boolean | null; local: boolean }[];
}

/** `pve cluster`. */
export const pveCluster = defineOperation({
  id: 'pve.cluster',
  summary: "The cluster's name and quorum, and each node's address and state",
  input: z.object({}),
  risk: 'read',
  examples: ['pve cluster', 'pve cluster --json'],
  async run(ctx): Promise<ClusterStatus> {
    const client = await ctx.client(pveClientFactory);
    const entries = await client.get('/cluster/status', z.array(entrySchema), undefined, ctx.signal);
    const c = entries.find((e) => e.type === 'cluster');
    return {
      cluster: c ? { name: c.name, quorate: c.quorate ?? null, nodes: c.nodes ?? null } : null,
      nodes: entries.filter((e) => e.type === 'node')
        .map((e) => ({ name: e.name, ip: e.ip ?? null, online: e.online ?? null, local: e.local ?? false }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  },
  render: (r) => [
    fields([['cluster', r.cluster ? r.cluster.name : 'standalone node'], ...(r.cluster ? [['quorum', r.cluster.quorate === false ? toned('no quorum', 'bad') : 'quorate'] as [string, string | { text: string }]] : [])]),
    table(['node', 'address', 'state'], r.nodes.map((n) => [
      `${n.name}${n.local ? ' (this one)' : ''}`, n.ip ?? '-', n.online === false ? toned('offline', 'bad') : toned('online', 'ok'),
    ])),
  ],
});
