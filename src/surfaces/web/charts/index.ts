/**
 * @module surfaces/web/charts
 * Charts in the dashboard: uPlot served from the package, one figure per chart spec
 * with a caption and a data table, drawn by a small script; trends on the overview.
 */
export { installCharts } from './install.js';
export { chartFigure, scriptJson } from './figure.js';
export { alongsideView, chartView } from './view.js';
export { overviewCharts } from './overview.js';
