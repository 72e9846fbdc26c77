/**
 * @module services/pbs/operations-usage
 * `pbs usage [store]`: each datastore's use over the last month and PBS's own estimate of
 * when it is full (`GET /status/datastore-usage`: `history` fractions `history-delta`
 * seconds apart from `history-start`, and `estimated-full-date`, a least-squares fit that
 * lies in the past when usage is flat or falling). The chart extends the month with the
 * forecast, dashed.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { defineChartedOperation, type ChartSpec } from '../../core/chart.js';
import { formatBytes, formatPercent, formatTime } from '../../core/format.js';
import { table, toned, type Block } from '../../core/render.js';
import { pbsClientFactory } from './factory.js';
import { usageEntrySchema } from './schemas.js';

const usageWithHistorySchema = usageEntrySchema.extend({
  history: z.array(z.number().nullable()).optional(),
  'history-start': z.number().optional(),
  'history-delta': z.number().optional(),
});

/** JSON shape of one datastore in `pbs usage`. */
export interface DatastoreUsage {
  store: string;
  total: number | null;
  used: number | null;
  avail: number | null;
  /** 0..1. */
  usedFraction: number | null;
  /** Past usage, oldest first: Unix seconds and a fraction 0..1 (null where PBS has no value). */
  history: { time: number; fraction: number | null }[];
  /** Unix seconds when PBS expects the store to be full; null when it has no estimate or usage is flat or falling. */
  estimatedFull: number | null;
  /** Whole days until `estimatedFull`. */
  daysLeft: number | null;
  /** PBS's error for a store it could not look up. */
  error: string | null;
}

const DAY = 86_400;

/** Maps one `datastore-usage` entry. */
export function datastoreUsage(u: z.infer<typeof usageWithHistorySchema>, nowSec: number): DatastoreUsage {
  const start = u['history-start'];
  const delta = u['history-delta'];
  const history = start !== undefined && delta ? (u.history ?? []).map((fraction, i) => ({ time: start + i * delta, fraction })) : [];
  const full = u['estimated-full-date'];
  const estimatedFull = full && full > nowSec ? full : null;
  return {
    store: u.store, total: u.total ?? null, used: u.used ?? null, avail: u.avail ?? null,
    usedFraction: u.total ? (u.used ?? 0) / u.total : null,
    history, estimatedFull, daysLeft: estimatedFull === null ? null : Math.floor((estimatedFull - nowSec) / DAY), error: u.error ?? null,
  };
}

const pct = (f: number | null): number | null => (f === null ? null : Number((f * 100).toFixed(2)));

/**
 * The usage picture of a store: the month measured, then the forecast dashed from the last
 * measurement to 100 % at the estimated date. A date further away than the month itself is
 * drawn to one month ahead, at the value the straight line reaches there.
 */
export function usageChart(d: DatastoreUsage): ChartSpec | null {
  const measured = d.history.filter((h) => h.fraction !== null);
  const last = measured.at(-1);
  if (!last || last.fraction === null) return null;
  const x = d.history.map((h) => h.time);
  const used = d.history.map((h) => pct(h.fraction));
  const forecast: (number | null)[] = d.history.map(() => null);
  let when = 'PBS has no fill estimate (usage is flat or falling)';
  if (d.estimatedFull !== null) {
    const span = Math.max(DAY, last.time - (d.history[0]?.time ?? last.time));
    const end = Math.min(d.estimatedFull, last.time + span);
    const at = last.fraction + ((1 - last.fraction) * (end - last.time)) / (d.estimatedFull - last.time);
    forecast[forecast.length - 1] = pct(last.fraction);
    x.push(end);
    used.push(null);
    forecast.push(pct(Math.min(1, at)));
    when = `PBS expects it full on ${formatTime(d.estimatedFull).slice(0, 10)} (in about ${d.daysLeft} days)`;
  }
  return {
    kind: 'line', unit: 'percent', yRange: [0, 100],
    title: `Datastore ${d.store}: usage and forecast`,
    caption: `Use of datastore ${d.store} over the last ${Math.round((last.time - (d.history[0]?.time ?? last.time)) / DAY)} days, now ${formatPercent(d.usedFraction)} of ${formatBytes(d.total)}; ${when}.`,
    x,
    series: [
      { label: 'Used %', values: used, tone: 'accent' },
      { label: 'Forecast %', values: forecast, dashed: true, tone: 'warn' },
    ],
  };
}

/** `pbs usage`. */
export const pbsUsage = defineChartedOperation({
  id: 'pbs.usage',
  summary: 'Datastore usage over the last month and when PBS expects it to be full',
  args: ['store'],
  input: z.object({ store: z.string().min(1).max(32).optional().describe('datastore (default: all)') }),
  risk: 'read',
  pages: true,
  examples: ['pbs usage', 'pbs usage main --json'],
  async run(ctx, input): Promise<DatastoreUsage[]> {
    const client = await ctx.client(pbsClientFactory);
    const now = Math.floor(Date.now() / 1000);
    const all = (await client.get('/status/datastore-usage', z.array(usageWithHistorySchema), undefined, ctx.signal)).map((u) => datastoreUsage(u, now));
    if (!input.store) return all;
    const one = all.filter((d) => d.store === input.store);
    if (!one.length) throw new UsageError(`PBS has no datastore ${input.store} visible to this token`, 'homelab pbs usage lists them');
    return one;
  },
  chart: (stores) => stores.map(usageChart).filter((c): c is ChartSpec => c !== null),
  overview: {},
  alongside: 'pbs.status',
  render: (stores) => {
    const blocks: Block[] = [table(
      ['datastore', 'used>', 'size>', 'use%>', 'a month ago>', 'full by', 'days left>'],
      stores.map((d) => [
        d.store, formatBytes(d.used), formatBytes(d.total),
        toned(formatPercent(d.usedFraction), d.usedFraction === null ? undefined : d.usedFraction >= 0.9 ? 'bad' : d.usedFraction >= 0.8 ? 'warn' : undefined),
        formatPercent(d.history.find((h) => h.fraction !== null)?.fraction ?? null),
        d.estimatedFull === null ? toned(d.error ?? 'not filling', 'dim') : formatTime(d.estimatedFull).slice(0, 10),
        d.daysLeft === null ? '-' : toned(String(d.daysLeft), d.daysLeft < 7 ? 'bad' : d.daysLeft < 30 ? 'warn' : undefined),
      ]),
      { empty: 'no datastores visible to this token' },
    )];
    if (stores.length === 1 && stores[0]) {
      blocks.push(table(['day', 'use%>'], stores[0].history.map((h) => [formatTime(h.time).slice(0, 10), formatPercent(h.fraction)]), { title: 'History', empty: 'PBS has no history yet' }));
    }
    return blocks;
  },
});
