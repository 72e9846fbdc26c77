/**
 * @module surfaces/web/charts/view
 * The picture views the dashboard's pages call after an operation's result. `chartView`
 * draws the operation's own chart specs (`core/chart`) as figures. `alongsideView` puts,
 * on a detail page (an operation given the key it needs, such as `beszel system pve1`),
 * a section for each charted operation that declares it belongs beside that one and
 * needs the same key (`beszel history pve1`); the page's script loads it like any other
 * section. The web surface knows nothing of what a chart shows.
 */
import { chartsOf, isCharted } from '../../../core/chart.js';
import type { AnyOperation } from '../../../core/operation.js';
import type { PictureView } from '../chart-slot.js';
import { requiredKeys } from '../form-fields.js';
import { h, join, slug } from '../html.js';
import { chartFigure } from './figure.js';

/** Draws the charts of a result, or nothing. */
export const chartView: PictureView = (op: AnyOperation, input: Record<string, unknown>, result: unknown) => {
  let specs;
  try {
    specs = chartsOf(op, result, input);
  } catch {
    // A picture is extra: a result the chart cannot read still shows as its tables.
    return undefined;
  }
  return specs.length ? join(specs.map(chartFigure)) : undefined;
};

/** Sections for the charted operations that go beside `op`, given the same keys. */
export function alongsideView(operations: () => readonly AnyOperation[]): PictureView {
  return (op, input) => {
    const keys = requiredKeys(op);
    if (!keys.length) return undefined;
    const beside = operations().filter((o) => isCharted(o) && o.alongside === op.id && o.risk === 'read'
      && requiredKeys(o).length > 0 && requiredKeys(o).every((k) => keys.includes(k)));
    const sections = beside.map((o) => {
      const query = new URLSearchParams(requiredKeys(o).map((k): [string, string] => [k, String(input[k])])).toString();
      const id = `beside-${slug(o.id)}`;
      return h`<section class="panel" aria-labelledby="${id}-title"><header><h2 id="${id}-title"><a href="/op/${o.id}?${query}">${o.id.replace(/\./g, ' ')}</a></h2><span class="dim">${o.summary}</span></header>
<div id="${id}" data-src="/fragment/op/${o.id}?${query}" aria-busy="true"><p class="dim">Loading…</p></div></section>`;
    });
    return sections.length ? join(sections) : undefined;
  };
}
