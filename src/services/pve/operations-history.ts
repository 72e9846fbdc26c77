/**
 * @module services/pve/operations-history
 * `pve node-history [node] [--timeframe hour|day|week|month|year] [--cf max]`: CPU, memory,
 * load and network of each node over time, from `GET /nodes/{node}/rrddata` (pvestatd's
 * round-robin archives: 70 rows per timeframe). Rows without values (before a boot, a gap
 * in the archive) stay in the answer as nulls so a chart shows the gap.
 */
import { z } from 'zod';
import { defineChartedOperation, type ChartSpec } from '../../core/chart.js';
import { formatBytes, formatPercent, formatTime } from '../../core/format.js';
import { fields, table, toned, type Block } from '../../core/render.js';
import { pveClientFactory } from './factory.js';
import { nodeSchema } from './inputs.js';
import { knownNode } from './lifecycle-common.js';

/** Timeframes PVE keeps history for. */
export const TIMEFRAMES = ['hour', 'day', 'week', 'month', 'year'] as const;

const rrdRowSchema = z.looseObject({
  time: z.number(),
  cpu: z.number().optional(),
  maxcpu: z.number().optional(),
  iowait: z.number().optional(),
  loadavg: z.number().optional(),
  memused: z.number().optional(),
  memtotal: z.number().optional(),
  netin: z.number().optional(),
  netout: z.number().optional(),
});

/** One sample of a node's history. */
export interface NodeHistoryPoint {
  /** Unix seconds. */
  time: number;
  /** 0..1 of all cores; null where the archive has no value. */
  cpu: number | null;
  iowait: number | null;
  loadavg: number | null;
  memUsed: number | null;
  memTotal: number | null;
  /** Bytes per second. */
  netIn: number | null;
  netOut: number | null;
}

/** JSON shape of one node in `pve node-history`. */
export interface NodeHistory {
  node: string;
  status: string;
  timeframe: (typeof TIMEFRAMES)[number];
  /** `average` or `max` (each row's peak). */
  cf: 'average' | 'max';
  points: NodeHistoryPoint[];
  /** Over the points with values: mean and highest CPU (0..1) and memory use (0..1 of total). */
  cpuMean: number | null;
  cpuPeak: number | null;
  memMean: number | null;
  memPeak: number | null;
}

const opt = (v: number | undefined): number | null => (v === undefined ? null : v);
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const peak = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);
const memFraction = (p: NodeHistoryPoint): number | null => (p.memUsed !== null && p.memTotal ? p.memUsed / p.memTotal : null);
const defined = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);

/** Summarises one node's rows. */
export function nodeHistory(node: string, status: string, timeframe: NodeHistory['timeframe'], cf: NodeHistory['cf'], rows: z.infer<typeof rrdRowSchema>[]): NodeHistory {
  const points = rows
    .map((r): NodeHistoryPoint => ({
      time: r.time, cpu: opt(r.cpu), iowait: opt(r.iowait), loadavg: opt(r.loadavg),
      memUsed: opt(r.memused), memTotal: opt(r.memtotal), netIn: opt(r.netin), netOut: opt(r.netout),
    }))
    .sort((a, b) => a.time - b.time);
  const cpu = defined(points.map((p) => p.cpu));
  const mem = defined(points.map(memFraction));
  return { node, status, timeframe, cf, points, cpuMean: mean(cpu), cpuPeak: peak(cpu), memMean: mean(mem), memPeak: peak(mem) };
}

const SPAN: Record<NodeHistory['timeframe'], string> = { hour: 'the last hour', day: 'the last day', week: 'the last week', month: 'the last month', year: 'the last year' };
const pct = (f: number | null): number | null => (f === null ? null : Number((f * 100).toFixed(2)));

/** The CPU and memory picture of each node. */
export function nodeHistoryCharts(nodes: NodeHistory[]): ChartSpec[] {
  return nodes.filter((n) => n.points.length > 0).map((n) => ({
    kind: 'line', unit: 'percent', yRange: [0, 100],
    title: `${n.node}: CPU and memory, ${SPAN[n.timeframe]}`,
    caption: `CPU and memory use of node ${n.node} over ${SPAN[n.timeframe]} (${n.cf === 'max' ? 'peaks' : 'averages'}, ${n.points.length} samples): `
      + `CPU mean ${formatPercent(n.cpuMean)}, peak ${formatPercent(n.cpuPeak)}; memory mean ${formatPercent(n.memMean)}, peak ${formatPercent(n.memPeak)}.`,
    x: n.points.map((p) => p.time),
    series: [
      { label: 'CPU %', values: n.points.map((p) => pct(p.cpu)), tone: 'accent' },
      { label: 'Memory %', values: n.points.map((p) => pct(memFraction(p))), tone: 'ok' },
    ],
  }));
}

const toneOf = (f: number | null): 'bad' | 'warn' | undefined => (f === null ? undefined : f >= 0.9 ? 'bad' : f >= 0.8 ? 'warn' : undefined);

/** `pve node-history`. */
export const pveNodeHistory = defineChartedOperation({
  id: 'pve.node-history',
  summary: 'CPU, memory, load and network of the nodes over time (RRD history)',
  description: 'One row per minute for --timeframe hour, 30 minutes for day, 3 hours for week, 12 hours for month, a week for year. All online nodes unless a node is named.',
  args: ['node'],
  input: z.object({
    node: nodeSchema.optional(),
    timeframe: z.enum(TIMEFRAMES).default('hour').describe('how far back: hour, day, week, month or year'),
    cf: z.enum(['average', 'max']).default('average').describe('each row\'s average or its peak'),
  }),
  risk: 'read',
  examples: ['pve node-history', 'pve node-history pve1 --timeframe day --json', 'pve node-history --timeframe week --cf max'],
  async run(ctx, input): Promise<NodeHistory[]> {
    const client = await ctx.client(pveClientFactory);
    const query = { timeframe: input.timeframe, cf: input.cf.toUpperCase() };
    const fetchRows = (node: string): Promise<z.infer<typeof rrdRowSchema>[]> =>
      client.get(`/nodes/${encodeURIComponent(node)}/rrddata`, z.array(rrdRowSchema), query, ctx.signal);
    if (input.node) {
      const node = await knownNode(client, input.node, ctx.signal, { online: true });
      return [nodeHistory(node.node, node.status, input.timeframe, input.cf, await fetchRows(node.node))];
    }
    const nodes = await client.eachNode(fetchRows, ctx.signal);
    const out = await Promise.all(nodes.map(async ({ node, run }) =>
      nodeHistory(node.node, node.status, input.timeframe, input.cf, node.status === 'online' ? await run() : [])));
    return out.sort((a, b) => a.node.localeCompare(b.node));
  },
  chart: (nodes) => nodeHistoryCharts(nodes),
  overview: { timeframe: 'day' },
  alongside: 'pve.nodes',
  render: (nodes) => {
    const blocks: Block[] = [table(
      ['node', 'status', 'samples>', 'cpu mean>', 'cpu peak>', 'mem mean>', 'mem peak>'],
      nodes.map((n) => [
        n.node, toned(n.status, n.status === 'online' ? 'ok' : 'bad'), n.points.length,
        formatPercent(n.cpuMean), toned(formatPercent(n.cpuPeak), toneOf(n.cpuPeak)), formatPercent(n.memMean), toned(formatPercent(n.memPeak), toneOf(n.memPeak)),
      ]),
      { title: `Node history, ${SPAN[nodes[0]?.timeframe ?? 'hour']}`, empty: 'no nodes' },
    )];
    if (nodes.length === 1 && nodes[0]) {
      const n = nodes[0];
      blocks.push(fields([['timeframe', n.timeframe], ['values', n.cf === 'max' ? 'peak per row' : 'average per row']]));
      blocks.push(table(['time', 'cpu>', 'iowait>', 'load>', 'memory>', 'net in>', 'net out>'], n.points.map((p) => [
        formatTime(p.time), toned(formatPercent(p.cpu), toneOf(p.cpu)), formatPercent(p.iowait), p.loadavg?.toFixed(2) ?? '-',
        p.memUsed === null ? '-' : `${formatBytes(p.memUsed)} / ${formatBytes(p.memTotal)}`,
        p.netIn === null ? '-' : `${formatBytes(p.netIn)}/s`, p.netOut === null ? '-' : `${formatBytes(p.netOut)}/s`,
      ]), { empty: 'no samples' }));
    }
    return blocks;
  },
});
