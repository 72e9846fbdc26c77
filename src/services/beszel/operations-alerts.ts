/**
 * @module services/beszel/operations-alerts
 * `beszel alerts`: the user's configured alerts (shared/api/beszel.md §7) with the system
 * names joined in, triggered ones first.
 */
import { z } from 'zod';
import { defineOperation } from '../../core/operation.js';
import { table, text, toned, type Block } from '../../core/render.js';
import { beszelClientFactory } from './factory.js';
import { alertRecordSchema, systemRecordSchema } from './schemas.js';

/** JSON shape of one `beszel alerts` entry. */
export interface BeszelAlert {
  id: string;
  systemId: string;
  system: string;
  /** `Status`, `CPU`, `Memory`, `Disk`, `Temperature`, `Bandwidth`, `GPU`, `LoadAvg1|5|15`, `Battery`. */
  name: string;
  /** Threshold; null for `Status` (fires when the system goes down). */
  threshold: number | null;
  /** Unit of the threshold: `%`, `°C`, `MB/s` or empty. */
  unit: string;
  /** Minutes the condition must hold. */
  minutes: number | null;
  triggered: boolean;
}

const UNITS: Record<string, string> = { CPU: '%', Memory: '%', Disk: '%', GPU: '%', Battery: '%', Temperature: '°C', Bandwidth: 'MB/s' };

/** `beszel alerts`. */
export const beszelAlerts = defineOperation({
  id: 'beszel.alerts',
  summary: 'Configured alerts and which are triggered',
  input: z.object({
    triggered: z.boolean().default(false).describe('only alerts that are triggered now'),
  }),
  risk: 'read',
  pages: true,
  examples: ['beszel alerts', 'beszel alerts --triggered --json'],
  rowDetails: [{ column: 'system', op: 'beszel.system' }],
  async run(ctx, input): Promise<BeszelAlert[]> {
    const client = await ctx.client(beszelClientFactory);
    const [alerts, systems] = await Promise.all([
      client.listAll('alerts', alertRecordSchema, input.triggered ? { filter: 'triggered = true' } : {}, ctx.signal),
      client.listAll('systems', systemRecordSchema, { fields: 'id,name,status,host' }, ctx.signal),
    ]);
    const names = new Map(systems.map((s) => [s.id, s.name]));
    return alerts
      .map((a) => ({
        id: a.id, systemId: a.system, system: names.get(a.system) ?? a.system, name: a.name,
        threshold: a.name === 'Status' ? null : a.value, unit: UNITS[a.name] ?? '', minutes: a.min ?? null, triggered: a.triggered,
      }))
      .sort((a, b) => Number(b.triggered) - Number(a.triggered) || a.system.localeCompare(b.system) || a.name.localeCompare(b.name));
  },
  render: (alerts) => {
    const blocks: Block[] = [
      table(['system', 'alert', 'threshold', 'for>', 'state'],
        alerts.map((a) => [
          a.system, a.name,
          a.threshold === null ? 'down' : `${a.name === 'Battery' ? '<' : '>'} ${a.threshold}${a.unit === '%' || a.unit === '°C' ? '' : ' '}${a.unit}`,
          a.minutes === null ? '-' : `${a.minutes} min`,
          a.triggered ? toned('TRIGGERED', 'bad') : toned('ok', 'ok'),
        ]),
        { empty: 'no alerts configured' }),
    ];
    const firing = alerts.filter((a) => a.triggered);
    if (firing.length) blocks.push(text(`${firing.length} triggered: ${firing.map((a) => `${a.name} on ${a.system}`).join(', ')}`, 'bad'));
    return blocks;
  },
});
