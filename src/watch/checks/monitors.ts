/**
 * @module watch/checks/monitors
 * Uptime Kuma monitors that are down, from `kuma status` (the `/metrics` path: no
 * login). Pending (retrying) monitors are left to the hold time; paused ones are not
 * in the metrics at all.
 */
import { z } from 'zod';
import { defineCheck, type Finding } from '../check.js';

const statusSchema = z.object({
  monitors: z.array(z.object({ id: z.number().nullable(), name: z.string(), type: z.string(), target: z.string(), status: z.string() }).loose()),
}).loose();

/** `monitors`: Kuma monitors down. */
export const monitorsCheck = defineCheck({
  name: 'monitors',
  summary: 'An Uptime Kuma monitor is down',
  operations: ['kuma.status'],
  services: ['kuma'],
  schedule: '*/5 * * * *',
  options: z.object({
    /** Monitor names never to alert on. */
    ignore: z.array(z.string()).default([]),
  }),
  async evaluate(runner, options): Promise<Finding[]> {
    const status = statusSchema.parse(await runner.run('kuma.status'));
    return status.monitors
      .filter((m) => m.status === 'down' && !options.ignore.includes(m.name))
      .map((m) => ({ key: `monitors:${m.name}`, message: `${m.name} is down (${m.type}${m.target ? ` ${m.target}` : ''})`, severity: 'critical' as const }));
  },
});
