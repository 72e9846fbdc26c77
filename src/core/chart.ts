/**
 * @module core/chart
 * Pictures of an operation's result, for surfaces that can draw (the web dashboard). A
 * chart is plain data, like `render`'s blocks: a time series (CPU over an hour, a
 * datastore filling up with its forecast) or a timeline of dates (certificates expiring).
 * An operation opts in with `defineChartedOperation`; surfaces that cannot draw ignore it
 * and keep `render`'s tables, which say the same in words.
 */
import type { z } from 'zod';
import type { AnyOperation, Operation } from './operation.js';
import type { Tone } from './render.js';

/** How a series' values read: percentages (0..100), bytes, or plain numbers. */
export type ChartUnit = 'percent' | 'bytes' | 'number';

/** One line of a time series. */
export interface ChartSeries {
  label: string;
  /** One value per `x`, null where there is no sample. */
  values: (number | null)[];
  /** Drawn dashed: an estimate, not a measurement. */
  dashed?: boolean;
  tone?: Tone;
}

/** A time series: shared x (Unix seconds), one or more lines. */
export interface LineChart {
  kind: 'line';
  title: string;
  /** One sentence saying what the picture shows, for the caption and screen readers. */
  caption: string;
  unit: ChartUnit;
  /** Unix seconds, ascending. */
  x: number[];
  series: ChartSeries[];
  /** Fixed y range (0..100 for percentages); absent: fit the data. */
  yRange?: [number, number];
}

/** One dated item of a timeline. */
export interface TimelineItem {
  label: string;
  /** Unix seconds. */
  at: number;
  /** Short text beside the date ("in 5 days", "expired"). */
  note?: string;
  tone?: Tone;
}

/** Dated items on one time axis, with "now" marked. */
export interface TimelineChart {
  kind: 'timeline';
  title: string;
  caption: string;
  /** Unix seconds: where "now" is drawn. */
  now: number;
  items: TimelineItem[];
}

/** A picture of a result. */
export type ChartSpec = LineChart | TimelineChart;

/** What an operation adds to draw its result. */
export interface Charted<I extends z.ZodObject = z.ZodObject, O = unknown> {
  /** The pictures of a result (none when there is nothing to draw). */
  chart(result: O, input: z.infer<I>): ChartSpec[];
  /** Input to run it with for the dashboard's overview; absent: not on the overview. */
  overview?: Partial<z.input<I>>;
  /**
   * The operation whose page this picture belongs on (`beszel.system` for `beszel.history`):
   * a surface showing that operation runs this one beside it, with the input keys they share.
   */
  alongside?: string;
}

/** Defines an operation that can also be drawn (an identity function for type checking). */
export function defineChartedOperation<I extends z.ZodObject, O>(op: Operation<I, O> & Charted<I, O>): Operation<I, O> & Charted<I, O> {
  return op;
}

/** Whether an operation draws its results. */
export function isCharted(op: AnyOperation): op is AnyOperation & Charted {
  return typeof (op as Partial<Charted>).chart === 'function';
}

/** The pictures of `result`, or none when the operation does not draw. */
export function chartsOf(op: AnyOperation, result: unknown, input: Record<string, unknown>): ChartSpec[] {
  return isCharted(op) ? op.chart(result, input) : [];
}
