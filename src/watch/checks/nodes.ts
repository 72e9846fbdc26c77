/**
 * @module watch/checks/nodes
 * Proxmox nodes the cluster reports as not online (unreachable), from `pve nodes`.
 */
import { z } from 'zod';
import { defineCheck, type Finding } from '../check.js';

const nodesSchema = z.array(z.object({ node: z.string(), status: z.string() }).loose());

/** `nodes`: a node is offline. */
export const nodesCheck = defineCheck({
  name: 'nodes',
  summary: 'A Proxmox node is offline or unreachable',
  operations: ['pve.nodes'],
  services: ['pve'],
  schedule: '*/5 * * * *',
  options: z.object({}),
  async evaluate(runner): Promise<Finding[]> {
    const nodes = nodesSchema.parse(await runner.run('pve.nodes'));
    return nodes
      .filter((n) => n.status !== 'online')
      .map((n) => ({ key: `nodes:${n.node}`, message: `node ${n.node} is ${n.status === 'offline' ? 'offline (unreachable)' : n.status}`, severity: 'critical' as const }));
  },
});
