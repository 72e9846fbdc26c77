/**
 * @module services/pve/sim/routes/rrddata
 * `GET /nodes/{node}/rrddata`: a node's RRD history, 70 rows per timeframe as pvestatd's
 * round-robin archives keep them (one row per step: a minute for `hour`, 30 minutes for
 * `day`, 3 hours for `week`, 12 hours for `month`, a week for `year`). Each row has
 * `time` and, once the node was up, cpu (0..1), maxcpu, iowait, loadavg, memory, swap and
 * root disk in bytes (memtotal, memused, …) and netin/netout in bytes per second; rows from
 * before its boot hold only `time`, as real RRD rows with unknown values do. `cf=MAX` gives
 * each step's peak. The guests' load is summed once per request (at 8000 guests, once per
 * row took seconds); each row moves it with the day's rhythm and its own jitter.
 */
import { req, str, type RouteContext, type RouteResult, type RouteTable } from '../context.js';
import { unit } from '../noise.js';
import { nodeStats, type NodeStats } from '../stats.js';
import type { SimNode } from '../state.js';

/** Seconds per row for each timeframe. */
export const RRD_STEP: Record<string, number> = { hour: 60, day: 1_800, week: 10_800, month: 43_200, year: 604_800, decade: 6_048_000 };
/** Rows per timeframe. */
export const RRD_ROWS = 70;

const round = (n: number, digits = 6): number => Number(n.toFixed(digits));

/** One row of the node's history at `time` (Unix seconds), around its numbers `s` now. */
function row(s: NodeStats, node: SimNode, time: number, step: number, max: boolean): Record<string, unknown> {
  if (time < node.bootedAt) return { time };
  // A day's rhythm and per-row jitter on top of the guests' load; a peak is a little higher.
  const daily = 1 + 0.35 * Math.sin((2 * Math.PI * time) / 86_400 + unit(node.name) * 6);
  const jitter = 0.85 + 0.3 * unit(`${node.name}-${time}-${step}`);
  const peak = max ? 1.4 : 1;
  const cpu = Math.min(1, s.cpu * daily * jitter * peak);
  const mem = Math.min(s.maxmem, s.mem * (0.97 + 0.04 * daily) * (max ? 1.02 : 1));
  const net = (5_000 + unit(`net-${node.name}`) * 80_000) * daily * jitter * peak;
  return {
    time, cpu: round(cpu), maxcpu: s.maxcpu, iowait: round(cpu * 0.04), loadavg: round(cpu * s.maxcpu * 1.05, 2),
    memtotal: s.maxmem, memused: Math.round(mem), swaptotal: 8 * 1024 ** 3, swapused: 0,
    roottotal: s.maxdisk, rootused: s.disk, netin: round(net, 2), netout: round(net * 0.7, 2),
  };
}

function rrddata(ctx: RouteContext): RouteResult {
  // The router already refused unknown nodes and checked the timeframe against the schema's enum.
  const node = ctx.state.nodes.get(req(ctx, 'node')) as SimNode;
  const step = RRD_STEP[req(ctx, 'timeframe')] ?? 60;
  const last = Math.floor(ctx.nowMs / 1000 / step) * step;
  const max = str(ctx, 'cf') === 'MAX';
  const stats = nodeStats(ctx.state, node, ctx.nowMs);
  return { data: Array.from({ length: RRD_ROWS }, (_, i) => row(stats, node, last - (RRD_ROWS - 1 - i) * step, step, max)) };
}

/** The node history route. */
export const rrdRoutes: RouteTable = {
  'GET /nodes/{node}/rrddata': rrddata,
};
