/**
 * @module services/beszel/operations-systems
 * `beszel systems`: every system with status and the summary Beszel keeps in `info`.
 */
import { z } from 'zod';
import { formatDuration } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { cellText, table, text, toned, type Block, type Cell } from '../../core/render.js';
import { beszelClientFactory } from './factory.js';
import { systemSummary, type SystemSummary } from './mapping.js';
import { isoTime, pct, rate, statusTone } from './render-helpers.js';
import { systemRecordSchema } from './schemas.js';

/** JSON shape of one `beszel systems` entry (`updated` as ISO 8601). */
export type BeszelSystem = SystemSummary;

/** A one-line summary of what stands out: systems not up, disks over 90 %. */
export function systemsTrouble(systems: readonly BeszelSystem[]): string[] {
  const out: string[] = [];
  const down = systems.filter((s) => s.status === 'down').map((s) => s.name);
  if (down.length) out.push(`down: ${down.join(', ')}`);
  for (const s of systems) {
    if (s.status !== 'paused' && s.diskPercent !== null && s.diskPercent >= 90) out.push(`disk ${s.diskPercent.toFixed(1)}% on ${s.name}`);
  }
  return out;
}

/** `beszel systems`. */
export const beszelSystems = defineOperation({
  id: 'beszel.systems',
  summary: 'Every system Beszel watches: status, CPU, memory, disk, load, uptime, agent',
  input: z.object({
    status: z.enum(['up', 'down', 'paused', 'pending']).optional().describe('only systems in this state'),
  }),
  risk: 'read',
  pages: true,
  examples: ['beszel systems', 'beszel systems --status down --json'],
  async run(ctx, input): Promise<BeszelSystem[]> {
    const client = await ctx.client(beszelClientFactory);
    const records = await client.listAll('systems', systemRecordSchema, { sort: 'name' }, ctx.signal);
    return records
      .map((r) => ({ ...systemSummary(r), updated: isoTime(r.updated) }))
      .filter((s) => !input.status || s.status === input.status);
  },
  completions: (systems, input) => [{ kind: 'beszel.system', values: systems.map((s) => ({ value: s.name, description: s.status })), partial: input.status !== undefined }],
  render: (systems, input) => {
    const blocks: Block[] = [
      table(
        ['name', 'status', 'cpu>', 'mem>', 'disk>', 'load>', 'net>', 'uptime>', 'agent'],
        systems.map((s) => {
          const live = s.status === 'up';
          const dim = (cell: Cell): Cell => (live ? cell : toned(cellText(cell), 'dim'));
          return [
            s.name, toned(s.status, statusTone(s.status)),
            dim(pct(s.cpuPercent, 90, 101)), dim(pct(s.memPercent, 90, 101)), dim(pct(s.diskPercent)),
            dim(s.load ? s.load.map((l) => l.toFixed(2)).join(' ') : '-'),
            dim(rate(s.bandwidthBps)), dim(live ? formatDuration(s.uptime) : '-'), s.agentVersion ?? '-',
          ];
        }),
        // A filter that matched nothing says so; only the whole list being empty may mean the user sees no system.
        { empty: input.status ? `no system is ${input.status}` : 'no systems (the user may belong to none)' },
      ),
    ];
    const trouble = systemsTrouble(systems);
    if (trouble.length) blocks.push(text(trouble.join(' · '), 'bad'));
    return blocks;
  },
});
