/**
 * @module watch/checks/guests
 * Guests that should run but do not: stopped, not a template, and set to start on boot
 * (`onboot: 1` in their config). Reads `pve configs --status stopped`: the guest list
 * once and the stopped guests' configs concurrently (bounded), not one `pve config` after
 * another (each of which reads the whole guest list again).
 */
import { z } from 'zod';
import { defineCheck, type Finding } from '../check.js';

const configsSchema = z.object({
  guests: z.array(z.object({ vmid: z.number(), name: z.string(), type: z.string(), node: z.string(), status: z.string(), template: z.boolean(), onboot: z.boolean() }).loose()),
}).loose();

/** `guests`: a guest with onboot set is stopped. */
export const guestsCheck = defineCheck({
  name: 'guests',
  summary: 'A guest set to start on boot is stopped',
  operations: ['pve.configs'],
  services: ['pve'],
  schedule: '*/5 * * * *',
  options: z.object({
    /** VMIDs never to alert on. */
    ignore: z.array(z.number().int()).default([]),
  }),
  async evaluate(runner, options): Promise<Finding[]> {
    const stopped = configsSchema.parse(await runner.run('pve.configs', { status: 'stopped' })).guests;
    return stopped
      .filter((g) => g.status === 'stopped' && !g.template && g.onboot && !options.ignore.includes(g.vmid))
      .map((g) => ({
        key: `guests:${g.vmid}`,
        message: `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} (${g.name}) on ${g.node} is stopped but set to start on boot`,
        severity: 'critical' as const,
      }));
  },
});
