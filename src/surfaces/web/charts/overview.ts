/**
 * @module surfaces/web/charts/overview
 * The overview's trends: every charted operation that names an `overview` input (a
 * datastore filling up, certificates expiring, the nodes' last day) is read with that
 * input and drawn, pictures only (its page has the tables). Each read fails on its own,
 * as one line in its place.
 */
import { isCharted } from '../../../core/chart.js';
import type { Lab } from '../../../core/lab-set.js';
import { errorHtml } from '../result-html.js';
import { webOperation } from '../exposure.js';
import { h, join, type Html } from '../html.js';
import { runRead } from '../read-run.js';
import type { WebState } from '../state.js';
import { chartView } from './view.js';

/** The trends panel of `lab`, or undefined when no operation offers one. */
export async function overviewCharts(state: WebState, lab: Lab, user: string): Promise<Html | undefined> {
  const { registry } = state.options;
  const ops = registry.all().filter((op) => isCharted(op) && op.overview !== undefined && webOperation(registry, op.id) === op);
  if (!ops.length) return undefined;
  const parts = await Promise.all(ops.map(async (op) => {
    const overview = isCharted(op) ? op.overview : undefined;
    const outcome = await runRead(state, lab, op, { ...overview }, user, Math.min(op.timeoutMs ?? state.options.timeoutMs, 60_000));
    if (!outcome.ok) return h`<div class="chart-failed"><p class="dim">${op.id.replace(/\./g, ' ')}:</p>${errorHtml(outcome.error)}</div>`;
    return chartView(op, outcome.input, outcome.value) ?? h``;
  }));
  return h`<section class="panel" id="trends" aria-labelledby="trends-title"><header><h2 id="trends-title">Trends</h2></header>${join(parts)}</section>`;
}
