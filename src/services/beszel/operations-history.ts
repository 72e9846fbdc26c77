/**
 * @module services/beszel/operations-history
 * `beszel history <name> [--range 1h|12h|24h|1w|30d]`: a system's CPU, memory, disk and
 * network over time, from the `system_stats` bucket Beszel keeps for that range (1m for an
 * hour, 10m for 12 h, 20m for a day, 120m for a week, 480m for a month — the buckets its own
 * charts use). Stats have no view rule: one list call with a filter, oldest first.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { defineChartedOperation, type ChartSpec } from '../../core/chart.js';
import { table, text, type Block } from '../../core/render.js';
import { filterValue } from './client.js';
import { beszelClientFactory } from './factory.js';
import { statsSample, type StatsSample } from './mapping.js';
import { isoTime, pbTime, pct, rate, statusTone } from './render-helpers.js';
import { systemRecordSchema, systemStatsSchema } from './schemas.js';

/** Ranges and the bucket type Beszel keeps for each. */
export const RANGES = { '1h': { type: '1m', ms: 3_600_000 }, '12h': { type: '10m', ms: 43_200_000 }, '24h': { type: '20m', ms: 86_400_000 }, '1w': { type: '120m', ms: 604_800_000 }, '30d': { type: '480m', ms: 2_592_000_000 } } as const;

/** A range name. */
export type HistoryRange = keyof typeof RANGES;

/** JSON shape of `beszel history`. Percentages are 0–100; times ISO 8601. */
export interface BeszelHistory {
  id: string;
  name: string;
  status: string;
  range: HistoryRange;
  /** The `system_stats` bucket read (`1m`, `10m`, …). */
  bucket: string;
  samples: StatsSample[];
  cpuMean: number | null;
  cpuPeak: number | null;
  memMean: number | null;
  memPeak: number | null;
}

const values = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);
const mean = (xs: number[]): number | null => (xs.length ? Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)) : null);
const peak = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);
const SPAN: Record<HistoryRange, string> = { '1h': 'the last hour', '12h': 'the last 12 hours', '24h': 'the last day', '1w': 'the last week', '30d': 'the last 30 days' };
const show = (v: number | null): string => (v === null ? '-' : `${v.toFixed(1)}%`);

/** The CPU and memory picture of a system's history. */
export function historyChart(h: BeszelHistory): ChartSpec[] {
  if (!h.samples.length) return [];
  return [{
    kind: 'line', unit: 'percent', yRange: [0, 100],
    title: `${h.name}: CPU and memory, ${SPAN[h.range]}`,
    caption: `CPU and memory use of ${h.name} over ${SPAN[h.range]} (${h.samples.length} samples of Beszel's ${h.bucket} bucket): `
      + `CPU mean ${show(h.cpuMean)}, peak ${show(h.cpuPeak)}; memory mean ${show(h.memMean)}, peak ${show(h.memPeak)}.`,
    x: h.samples.map((s) => Math.floor(Date.parse(s.time) / 1000)),
    series: [
      { label: 'CPU %', values: h.samples.map((s) => s.cpuPercent), tone: 'accent' },
      { label: 'Memory %', values: h.samples.map((s) => s.memPercent), tone: 'ok' },
    ],
  }];
}

/** `beszel history`. */
export const beszelHistory = defineChartedOperation({
  id: 'beszel.history',
  summary: 'CPU, memory, disk and network of one system over time',
  description: 'Ranges follow the buckets Beszel keeps: 1h (one sample a minute), 12h (10 minutes), 24h (20 minutes), 1w (2 hours), 30d (8 hours).',
  args: ['name'],
  input: z.object({
    name: z.string().min(1).max(200).describe('system name (or record id)'),
    range: z.enum(Object.keys(RANGES) as [HistoryRange, ...HistoryRange[]]).default('1h').describe('how far back: 1h, 12h, 24h, 1w or 30d'),
  }),
  risk: 'read',
  pages: 'samples',
  examples: ['beszel history pve1', 'beszel history dockge --range 12h --json'],
  async run(ctx, input): Promise<BeszelHistory> {
    const client = await ctx.client(beszelClientFactory);
    const match = await client.list('systems', systemRecordSchema, { filter: `name = ${filterValue(input.name)} || id = ${filterValue(input.name)}`, perPage: 2 }, ctx.signal);
    const record = match.items[0];
    if (!record) throw new UsageError(`Beszel has no system named ${input.name}`, 'homelab beszel systems lists them');
    const { type, ms } = RANGES[input.range];
    const filter = `system = ${filterValue(record.id)} && type = ${filterValue(type)} && created >= ${filterValue(pbTime(Date.now() - ms))}`;
    const page = await client.list('system_stats', systemStatsSchema, { filter, sort: 'created', perPage: 500, skipTotal: true }, ctx.signal);
    const samples = page.items.map((s) => statsSample(isoTime(s.created) ?? s.created, s.stats));
    const cpu = values(samples.map((s) => s.cpuPercent));
    const mem = values(samples.map((s) => s.memPercent));
    return {
      id: record.id, name: record.name, status: record.status, range: input.range, bucket: type, samples,
      cpuMean: mean(cpu), cpuPeak: peak(cpu), memMean: mean(mem), memPeak: peak(mem),
    };
  },
  chart: (h) => historyChart(h),
  alongside: 'beszel.system',
  render: (h) => {
    const blocks: Block[] = [text(`${h.name} (${h.status}), ${SPAN[h.range]}: CPU mean ${show(h.cpuMean)}, peak ${show(h.cpuPeak)}; memory mean ${show(h.memMean)}, peak ${show(h.memPeak)}`, statusTone(h.status))];
    blocks.push(table(['time (UTC)', 'cpu>', 'mem>', 'disk>', 'net out>', 'net in>'],
      h.samples.map((s) => [s.time.slice(0, 16).replace('T', ' '), pct(s.cpuPercent, 90, 101), pct(s.memPercent, 90, 101), pct(s.diskPercent), rate(s.netSentBps), rate(s.netRecvBps)]),
      { empty: h.status === 'up' ? 'no samples in this range' : `no samples in this range (the system is ${h.status})` }));
    return blocks;
  },
});
