/**
 * @module surfaces/web/charts/install
 * Charts in the dashboard: `installCharts` plugs the chart files, scripts, styles and
 * the picture views into the dashboard's slots (`chart-slot`), once.
 */
import type { AnyOperation } from '../../../core/operation.js';
import { pictureAssets, pictureScripts, pictureStyles, pictureViews } from '../chart-slot.js';
import { chartAssets, chartScripts, chartStyles } from './assets.js';
import { alongsideView, chartView } from './view.js';

/** Adds the charts to the dashboard (idempotent); `operations` lists what the dashboard offers. */
export function installCharts(operations: () => readonly AnyOperation[]): void {
  if (pictureViews.includes(chartView)) return;
  pictureAssets.push(...chartAssets);
  pictureScripts.push(...chartScripts);
  pictureStyles.push(...chartStyles);
  pictureViews.push(chartView, alongsideView(operations));
}
