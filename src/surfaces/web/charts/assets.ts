/**
 * @module surfaces/web/charts/assets
 * The chart files the dashboard serves under `/assets/`: uPlot's script and style sheet,
 * read from the installed `uplot` package when first asked for (the package itself
 * serves them: no CDN, nothing to build), and the dashboard's chart script and styles.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Asset } from '../chart-slot.js';
import { CHARTS_CSS, CHARTS_JS } from './client-script.js';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** A file of the `uplot` package, read once. */
function packageFile(path: string): () => string {
  let text: string | undefined;
  return () => (text ??= readFileSync(createRequire(import.meta.url).resolve(`uplot/dist/${path}`), 'utf8'));
}

/** The files, by name under `/assets/`. */
export const chartAssets: Asset[] = [
  { name: 'uplot.min.js', type: JS, body: packageFile('uPlot.iife.min.js') },
  { name: 'uplot.min.css', type: CSS, body: packageFile('uPlot.min.css') },
  { name: 'charts.js', type: JS, body: () => CHARTS_JS },
  { name: 'charts.css', type: CSS, body: () => CHARTS_CSS },
];

/** Scripts in the order pages load them: uPlot before the script that uses it. */
export const chartScripts = ['/assets/uplot.min.js', '/assets/charts.js'];

/** Style sheets pages load. */
export const chartStyles = ['/assets/uplot.min.css', '/assets/charts.css'];
