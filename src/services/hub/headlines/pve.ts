/**
 * @module services/hub/headlines/pve
 * PVE headline from `pve list` and `pve nodes`: guests running of total (templates
 * left out), nodes online and their load per core.
 */
import { z } from 'zod';
import type { Headline, HeadlineSource } from './types.js';

const guests = z.array(z.looseObject({ status: z.string(), template: z.boolean().optional() }));
const nodes = z.array(z.looseObject({ node: z.string(), status: z.string(), loadavg: z.array(z.number()).optional(), cpus: z.number().nullable().optional() }));

/** Summarises pve.list and pve.nodes. */
export function summarisePve(results: ReadonlyMap<string, unknown>): Headline {
  const parts: string[] = [];
  let tone: Headline['tone'] = 'ok';
  const g = guests.safeParse(results.get('pve.list'));
  if (g.success) {
    const real = g.data.filter((x) => !x.template);
    parts.push(`${real.filter((x) => x.status === 'running').length}/${real.length} guests running`);
  }
  const n = nodes.safeParse(results.get('pve.nodes'));
  if (n.success) {
    const loads = n.data.map((x) => {
      if (x.status !== 'online') {
        tone = 'bad';
        return `${x.node} ${x.status}`;
      }
      const load = x.loadavg?.[0];
      if (load !== undefined && x.cpus && load / x.cpus > 1) tone = tone === 'bad' ? 'bad' : 'warn';
      return load === undefined ? x.node : `${x.node} load ${load.toFixed(2)}`;
    });
    parts.push(loads.join(', '));
  }
  return { text: parts.join(' · ') || 'answered', tone };
}

/** The pve headline source. */
export const pveHeadline: HeadlineSource = {
  service: 'pve',
  calls: [[{ op: 'pve.list' }], [{ op: 'pve.nodes' }]],
  summarise: summarisePve,
};
