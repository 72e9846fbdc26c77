/**
 * @module watch/checks/systems
 * Systems Beszel watches, from `beszel systems`: a system down, or its CPU, memory or
 * disk (and extra filesystems) above thresholds. Paused systems are left alone.
 */
import { z } from 'zod';
import { defineCheck, type Finding } from '../check.js';

const systemsSchema = z.array(z.object({
  name: z.string(),
  status: z.string(),
  cpuPercent: z.number().nullable(),
  memPercent: z.number().nullable(),
  diskPercent: z.number().nullable(),
  extraFilesystems: z.record(z.string(), z.number()).nullable().optional(),
}).loose());

const percent = z.number().gt(0).max(100);

/** `systems`: Beszel systems down or over thresholds. */
export const systemsCheck = defineCheck({
  name: 'systems',
  summary: 'A Beszel system is down, or its disk, memory or CPU is above the threshold',
  operations: ['beszel.systems'],
  services: ['beszel'],
  schedule: '*/5 * * * *',
  options: z.object({
    disk: percent.default(90),
    memory: percent.default(90),
    /** CPU is spiky: off unless set. */
    cpu: percent.optional(),
  }),
  async evaluate(runner, options): Promise<Finding[]> {
    const systems = systemsSchema.parse(await runner.run('beszel.systems'));
    const out: Finding[] = [];
    for (const s of systems) {
      if (s.status === 'down') {
        out.push({ key: `systems:${s.name}:down`, message: `${s.name} is down`, severity: 'critical' });
        continue;
      }
      if (s.status !== 'up') continue;
      const over = (what: string, value: number | null, limit: number | undefined, severity: Finding['severity']): void => {
        if (value !== null && limit !== undefined && value >= limit) out.push({ key: `systems:${s.name}:${what}`, message: `${s.name}: ${what} at ${value.toFixed(0)}% (threshold ${limit}%)`, severity });
      };
      over('disk', s.diskPercent, options.disk, 'critical');
      over('memory', s.memPercent, options.memory, 'warning');
      over('cpu', s.cpuPercent, options.cpu, 'warning');
      for (const [fs, used] of Object.entries(s.extraFilesystems ?? {})) over(`disk ${fs}`, used, options.disk, 'critical');
    }
    return out;
  },
});
