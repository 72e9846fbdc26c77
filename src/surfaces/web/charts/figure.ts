/**
 * @module surfaces/web/charts/figure
 * One chart as HTML: a `<figure>` with a caption saying what it shows, the box the
 * script draws into (an image to assistive technology, labelled by the caption), the
 * chart's data as JSON in a `<script type="application/json">` (inert: the page's
 * Content-Security-Policy still allows no inline script), and the same data as a table
 * inside `<details>`, for screen readers, keyboards and pages without script.
 */
import type { ChartSpec, ChartUnit, LineChart, TimelineChart } from '../../../core/chart.js';
import { formatBytes } from '../../../core/format.js';
import { redact } from '../../../core/redact.js';
import { h, join, slug, type Html } from '../html.js';
import { raw } from 'hono/html';

/** JSON that is safe inside a `<script>` element: no `<`, `>`, `&` or line separators left as they are. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const iso = (sec: number): string => new Date(sec * 1000).toISOString().slice(0, 16).replace('T', ' ');

/** A value for the table, in the chart's unit. */
export function formatValue(value: number | null, unit: ChartUnit): string {
  if (value === null) return '–';
  if (unit === 'percent') return `${value.toFixed(1)} %`;
  if (unit === 'bytes') return formatBytes(value);
  return String(value);
}

function lineTable(c: LineChart): Html {
  const head = join(c.series.map((s) => h`<th scope="col" class="num">${s.label}</th>`));
  const rows = c.x.map((x, i) => h`<tr><th scope="row">${iso(x)}</th>${join(c.series.map((s) => h`<td class="num">${formatValue(s.values[i] ?? null, c.unit)}</td>`))}</tr>`);
  return h`<table><caption class="sr">${c.title} (UTC)</caption><thead><tr><th scope="col">time (UTC)</th>${head}</tr></thead><tbody>${join(rows)}</tbody></table>`;
}

function timelineTable(c: TimelineChart): Html {
  const rows = c.items.map((i) => h`<tr><th scope="row">${i.label}</th><td>${iso(i.at).slice(0, 10)}</td><td${i.tone ? h` class="tone-${i.tone}"` : ''}>${i.note ?? ''}</td></tr>`);
  return h`<table><caption class="sr">${c.title}</caption><thead><tr><th scope="col">item</th><th scope="col">date (UTC)</th><th scope="col">when</th></tr></thead><tbody>${join(rows)}</tbody></table>`;
}

/** Labels and captions come from services: redacted like every other text on a page. */
function clean(spec: ChartSpec): ChartSpec {
  if (spec.kind === 'line') return { ...spec, title: redact(spec.title), caption: redact(spec.caption), series: spec.series.map((s) => ({ ...s, label: redact(s.label) })) };
  return { ...spec, title: redact(spec.title), caption: redact(spec.caption), items: spec.items.map((i) => ({ ...i, label: redact(i.label), ...(i.note ? { note: redact(i.note) } : {}) })) };
}

/**
 * Draws one chart's figure. Its ids come from the title, so the same data gives the same
 * HTML (the overview only pushes an update when what it shows changed).
 */
export function chartFigure(raw0: ChartSpec): Html {
  const spec = clean(raw0);
  const id = `chart-${slug(spec.title) || spec.kind}`;
  const rows = spec.kind === 'line' ? spec.x.length : spec.items.length;
  return h`<figure class="chart-figure" aria-labelledby="${id}-title">
<figcaption><strong id="${id}-title">${spec.title}</strong> <span id="${id}-caption">${spec.caption}</span></figcaption>
<div class="chart chart-${spec.kind}" id="${id}" data-chart="${id}-data" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-caption"></div>
<script type="application/json" id="${id}-data">${raw(scriptJson(spec))}</script>
<details class="chart-data"><summary>Data table (${rows} ${rows === 1 ? 'row' : 'rows'})</summary><div class="table-wrap">${spec.kind === 'line' ? lineTable(spec) : timelineTable(spec)}</div></details>
</figure>`;
}
