/**
 * @module watch/checks/guests
 * Guests that should run but do not: stopped, not a template, and set to start on boot
 * (`onboot: 1` in their config). Reads `pve list --status stopped`, then `pve config`
 * of each stopped guest.
 */
import { z } from 'zod';
import { defineCheck, type Finding } from '../check.js';

const guestsSchema = z.array(z.object({ vmid: z.number(), name: z.string(), type: z.string(), node: z.string(), status: z.string(), template: z.boolean().optional() }).loose());
const configSchema = z.object({ config: z.record(z.string(), z.unknown()) }).loose();

/** `guests`: a guest with onboot set is stopped. */
export const guestsCheck = defineCheck({
  name: 'guests',
  summary: 'A guest set to start on boot is stopped',
  operations: ['pve.list', 'pve.config'],
  services: ['pve'],
  schedule: '*/5 * * * *',
  options: z.object({
    /** VMIDs never to alert on. */
    ignore: z.array(z.number().int()).default([]),
  }),
  async evaluate(runner, options): Promise<Finding[]> {
    const stopped = guestsSchema.parse(await runner.run('pve.list', { status: 'stopped' }));
    const candidates = stopped.filter((g) => g.status === 'stopped' && !g.template && !options.ignore.includes(g.vmid));
    const configs = await Promise.all(candidates.map(async (g) => ({ g, c: configSchema.parse(await runner.run('pve.config', { vmid: g.vmid })).config })));
    return configs
      .filter(({ c }) => c.onboot === 1 || c.onboot === '1' || c.onboot === true)
      .map(({ g }) => ({
        key: `guests:${g.vmid}`,
        message: `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} (${g.name}) on ${g.node} is stopped but set to start on boot`,
        severity: 'critical' as const,
      }));
  },
});
