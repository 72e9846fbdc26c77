/**
 * The dashboard's charts at the HTTP level (no browser needed, so these always run):
 * uPlot served from the installed package, a chart's figure with its caption, inert JSON
 * data and table, the overview's trends, the history section beside a detail page, and
 * JSON that cannot break out of its script element.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartSpec, LineChart, TimelineChart } from '../../../src/core/chart.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { chartFigure, scriptJson } from '../../../src/surfaces/web/charts/index.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, startDashboard } from './helpers.js';

const lab = useLab();
let server: WebServer;
beforeAll(async () => {
  server = await startDashboard(lab.current, 'read');
});
afterAll(async () => {
  await server?.close();
});

/** The chart specs embedded in a page, by their script element. */
function embedded(html: string): ChartSpec[] {
  return [...html.matchAll(/<script type="application\/json" id="([^"]+)-data">([^<]*)<\/script>/g)].map((m) => JSON.parse(m[2] ?? 'null') as ChartSpec);
}

describe('web charts over HTTP', () => {
  it('serves uPlot from the installed package and the chart script, never from elsewhere', async () => {
    const web = new WebClient(server.url);
    const js = await web.get('/assets/uplot.min.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.text).toBe(readFileSync(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'));
    expect((await web.get('/assets/uplot.min.css')).headers.get('content-type')).toMatch(/text\/css/);
    expect((await web.get('/assets/charts.js')).text).toMatch(/new uPlot\(/);
    const page = await web.open('/s/pbs');
    expect(page.text).toMatch(/<script src="\/assets\/uplot\.min\.js" defer><\/script>\s*<script src="\/assets\/charts\.js" defer><\/script>/);
    expect(page.text).not.toMatch(/<script src="https?:/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
  });

  it('draws pbs usage as a figure with a caption, its data as JSON and as a table', async () => {
    const web = new WebClient(server.url);
    await web.open('/');
    const fragment = await web.get('/fragment/op/pbs.usage', { 'x-fragment': '1' });
    expect(fragment.status).toBe(200);
    expect(fragment.text).toMatch(/<figure class="chart-figure" aria-labelledby="chart-datastore-main-usage-and-forecast-title">/);
    expect(fragment.text).toMatch(/<figcaption><strong id="[^"]+">Datastore main: usage and forecast<\/strong> <span id="[^"]+">Use of datastore main over the last 30 days, now 93\.0%/);
    expect(fragment.text).toMatch(/role="img" aria-labelledby="chart-datastore-main-usage-and-forecast-title" aria-describedby="chart-datastore-main-usage-and-forecast-caption"/);
    const [spec] = embedded(fragment.text) as LineChart[];
    expect(spec?.x).toHaveLength(32);
    expect(spec?.series.map((s) => [s.label, s.values.filter((v) => v !== null).length])).toEqual([['Used %', 31], ['Forecast %', 2]]);
    expect(fragment.text).toMatch(/<summary>Data table \(32 rows\)<\/summary>/);
    expect(fragment.text.match(/<tr><th scope="row">\d{4}-\d\d-\d\d \d\d:\d\d<\/th>/g)).toHaveLength(32);
    // The operation's own table follows the picture.
    expect(fragment.text).toMatch(/DAYS LEFT|days left/i);
  });

  it('puts the trends on the overview: certificates on a timeline, the datastore, the nodes', async () => {
    const web = new WebClient(server.url);
    const overview = await web.open('/');
    expect(overview.text).toMatch(/<h2 id="trends-title">Trends<\/h2>/);
    const specs = embedded(overview.text);
    const timeline = specs.find((s): s is TimelineChart => s.kind === 'timeline');
    expect(timeline?.title).toBe('Certificate expiry');
    expect(timeline?.items.find((i) => i.label.startsWith('git'))?.tone).toBe('bad');
    expect(specs.map((s) => s.title)).toEqual(expect.arrayContaining(['Datastore main: usage and forecast', 'pve1: CPU and memory, the last day', 'pve2: CPU and memory, the last day']));
  });

  it('adds the history section beside a Beszel system\'s page, loaded like any section', async () => {
    const web = new WebClient(server.url);
    await web.open('/');
    const page = await web.get('/op/beszel.system?name=pve1');
    expect(page.text).toMatch(/data-src="\/fragment\/op\/beszel\.history\?name=pve1"/);
    const history = await web.get('/fragment/op/beszel.history?name=pve1', { 'x-fragment': '1' });
    const [spec] = embedded(history.text) as LineChart[];
    expect(spec?.title).toBe('pve1: CPU and memory, the last hour');
    expect(spec?.x).toHaveLength(60);
    // A system with no samples in the range has no picture, only its sentence.
    const down = await web.get('/fragment/op/beszel.history?name=media', { 'x-fragment': '1' });
    expect(embedded(down.text)).toEqual([]);
    expect(down.text).toMatch(/no samples in this range \(the system is down\)/);
  });
});

describe('chart figure', () => {
  it('keeps a hostile label inside its JSON and escapes it in the table', () => {
    const spec: TimelineChart = { kind: 'timeline', title: 'Certificates', caption: 'c', now: 1_700_000_000, items: [{ label: '</script><script>alert(1)</script>', at: 1_700_086_400, note: 'in 1 day' }] };
    const html = String(chartFigure(spec));
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toMatch(/<th scope="row">&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/th>/);
    expect(embedded(html)[0]).toEqual(spec);
    expect(scriptJson({ a: '\u2028&<>' })).toBe('{"a":"\\u2028\\u0026\\u003c\\u003e"}');
  });
});
