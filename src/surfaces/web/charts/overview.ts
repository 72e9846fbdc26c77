/**
 * @module surfaces/web/charts/overview
 * The overview's trends: every charted operation that names an `overview` input (a
 * datastore filling up, certificates expiring, the nodes' last day) is read with that
 * input and drawn, pictures only (its page has the tables). Each read fails on its own,
 * as one line in its place. Besides the HTML it gives a key of what the pictures show,
 * without the moment they were drawn (a timeline's "now"), so an overview drawn again a
 * moment later with the same data is the same version (overview-routes' `versionOf`).
 */
import { chartsOf, isCharted, type ChartSpec } from '../../../core/chart.js';
import type { Lab } from '../../../core/lab-set.js';
import { errorHtml } from '../result-html.js';
import { webOperation } from '../exposure.js';
import { h, join, type Html } from '../html.js';
import { runRead } from '../read-run.js';
import type { WebState } from '../state.js';
import { chartFigure } from './figure.js';

/** The trends panel, and the key of what it shows (timestamps of the drawing left out). */
export interface OverviewTrends {
  html: Html;
  key: string;
}

/** What a chart shows, without when it was drawn. */
function shownPart(spec: ChartSpec): unknown {
  if (spec.kind !== 'timeline') return spec;
  const { now: _drawnAt, ...shown } = spec;
  return shown;
}

/** The trends panel of `lab`, or undefined when no operation offers one. */
export async function overviewCharts(state: WebState, lab: Lab, user: string): Promise<OverviewTrends | undefined> {
  const { registry } = state.options;
  const ops = registry.all().filter((op) => isCharted(op) && op.overview !== undefined && webOperation(registry, op.id) === op);
  if (!ops.length) return undefined;
  const parts = await Promise.all(ops.map(async (op) => {
    const overview = isCharted(op) ? op.overview : undefined;
    const outcome = await runRead(state, lab, op, { ...overview }, user, Math.min(op.timeoutMs ?? state.options.timeoutMs, 60_000));
    if (!outcome.ok) {
      const failed = h`<div class="chart-failed"><p class="dim">${op.id.replace(/\./g, ' ')}:</p>${errorHtml(outcome.error)}</div>`;
      return { html: failed, key: String(failed) };
    }
    let specs: ChartSpec[];
    try {
      specs = chartsOf(op, outcome.value, outcome.input);
    } catch {
      // A picture is extra: a result the chart cannot read draws nothing here (as chartView).
      specs = [];
    }
    return { html: join(specs.map(chartFigure)), key: JSON.stringify(specs.map(shownPart)) };
  }));
  const html = h`<section class="panel" id="trends" aria-labelledby="trends-title"><header><h2 id="trends-title">Trends</h2></header>${join(parts.map((p) => p.html))}</section>`;
  return { html, key: JSON.stringify(parts.map((p) => p.key)) };
}
