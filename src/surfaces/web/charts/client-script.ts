/**
 * @module surfaces/web/charts/client-script
 * The script that draws the charts (`/assets/charts.js`), plain JavaScript with no build
 * step. It finds every `.chart[data-chart]` box not drawn yet, reads the chart's JSON from
 * its `<script type="application/json">`, and draws it with uPlot: a time series as lines
 * (an estimate dashed), a timeline as one dot per item on a date axis, soonest at the top,
 * with "today" marked.
 * Sections the dashboard loads later (`homelab:loaded`) are drawn as they arrive; charts
 * follow the width of their box. Each box keeps its uPlot instance as `box.uplot`.
 */

/** The chart script. */
export const CHARTS_JS = `'use strict';
(function () {
  if (!window.uPlot) return;
  var css = getComputedStyle(document.documentElement);
  function color(tone) { return (css.getPropertyValue('--' + (tone || 'accent')) || '').trim() || '#0969da'; }
  var dim = function () { return (css.getPropertyValue('--dim') || '').trim() || '#5d6673'; };
  var line = function () { return (css.getPropertyValue('--line') || '').trim() || '#d5d9e0'; };
  function bytes(v) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']; var i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i ? v.toFixed(1) : String(Math.round(v))) + ' ' + units[i];
  }
  function fmt(unit, v) {
    if (v == null) return '–';
    if (unit === 'percent') return v.toFixed(1) + ' %';
    if (unit === 'bytes') return bytes(v);
    return String(v);
  }
  function axis() { return { stroke: dim(), grid: { stroke: line(), width: 1 }, ticks: { stroke: line(), width: 1 } }; }

  function lineOptions(spec, width) {
    var y = axis();
    y.values = function (u, ticks) { return ticks.map(function (t) { return spec.unit === 'percent' ? Math.round(t) + ' %' : fmt(spec.unit, t); }); };
    y.size = 64;
    return {
      width: width, height: 240, legend: { show: true },
      scales: { x: { time: true }, y: spec.yRange ? { range: spec.yRange } : {} },
      axes: [axis(), y],
      series: [{}].concat(spec.series.map(function (s) {
        return { label: s.label, stroke: color(s.tone), width: 2, dash: s.dashed ? [6, 4] : undefined, spanGaps: false,
          points: { show: false }, value: function (u, v) { return fmt(spec.unit, v); } };
      })),
    };
  }
  function lineData(spec) { return [spec.x].concat(spec.series.map(function (s) { return s.values; })); }

  var TONES = ['bad', 'warn', 'ok', 'accent', 'dim'];
  function timelineParts(spec) {
    var items = spec.items.slice().sort(function (a, b) { return a.at - b.at; });
    var x = items.map(function (i) { return i.at; });
    var tones = TONES.filter(function (t) { return items.some(function (i) { return (i.tone || 'accent') === t; }); });
    var n = items.length;
    var data = [x].concat(tones.map(function (t) { return items.map(function (i, k) { return (i.tone || 'accent') === t ? n - k : null; }); }));
    return { items: items, tones: tones, data: data };
  }
  function timelineOptions(spec, parts, width) {
    var n = parts.items.length;
    var longest = parts.items.reduce(function (m, i) { return Math.max(m, i.label.length); }, 4);
    var y = axis();
    y.size = Math.min(260, 16 + longest * 7);
    y.splits = function () { return parts.items.map(function (_, k) { return k + 1; }); };
    y.values = function (u, ticks) { return ticks.map(function (t) { var i = parts.items[n - t]; return i ? i.label : ''; }); };
    var first = Math.min(spec.now, parts.data[0][0]);
    var last = Math.max(spec.now, parts.data[0][n - 1]);
    var pad = Math.max(86400, (last - first) * 0.08);
    return {
      width: width, height: Math.max(140, 48 + n * 28), legend: { show: false }, cursor: { y: false },
      scales: { x: { time: true, range: [first - pad, last + pad] }, y: { range: [0.4, n + 0.6] } },
      axes: [axis(), y],
      series: [{}].concat(parts.tones.map(function (t) {
        return { label: t, stroke: color(t), paths: function () { return null; }, points: { show: true, size: 11, fill: color(t), stroke: color(t) } };
      })),
      hooks: { draw: [function (u) {
        var ctx = u.ctx; var px = Math.round(u.valToPos(spec.now, 'x', true));
        ctx.save();
        ctx.strokeStyle = dim(); ctx.setLineDash([4, 4]); ctx.lineWidth = 1;
        ctx.beginPath(); ctx.moveTo(px, u.bbox.top); ctx.lineTo(px, u.bbox.top + u.bbox.height); ctx.stroke();
        ctx.setLineDash([]); ctx.fillStyle = dim(); ctx.font = (12 * devicePixelRatio) + 'px system-ui, sans-serif';
        ctx.fillText('today', px + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
        parts.items.forEach(function (i, k) {
          if (!i.note) return;
          var x = u.valToPos(i.at, 'x', true); var yy = u.valToPos(n - k, 'y', true);
          ctx.fillStyle = color(i.tone);
          ctx.textAlign = x > u.bbox.left + u.bbox.width * 0.7 ? 'right' : 'left';
          ctx.fillText(i.note, x + (ctx.textAlign === 'right' ? -10 : 10) * devicePixelRatio, yy + 4 * devicePixelRatio);
        });
        ctx.restore();
      }] },
    };
  }

  function drawOne(box) {
    var source = document.getElementById(box.getAttribute('data-chart'));
    if (!source) return;
    var spec;
    try { spec = JSON.parse(source.textContent || ''); } catch (e) { return; }
    var width = Math.max(280, box.clientWidth || 600);
    var u;
    if (spec.kind === 'timeline') {
      var parts = timelineParts(spec);
      if (!parts.items.length) return;
      u = new uPlot(timelineOptions(spec, parts, width), parts.data, box);
    } else {
      if (!spec.x.length) return;
      u = new uPlot(lineOptions(spec, width), lineData(spec), box);
    }
    box.uplot = u;
    box.setAttribute('data-drawn', 'true');
    if (window.ResizeObserver) {
      var last = width;
      new ResizeObserver(function () {
        var w = Math.max(280, box.clientWidth);
        if (Math.abs(w - last) > 8) { last = w; u.setSize({ width: w, height: u.height }); }
      }).observe(box);
    }
  }
  function drawAll(root) {
    (root || document).querySelectorAll('.chart[data-chart]:not([data-drawn])').forEach(drawOne);
  }
  document.addEventListener('homelab:loaded', function (e) { drawAll(e.target && e.target.querySelectorAll ? e.target : document); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { drawAll(document); });
  else drawAll(document);
})();
`;

/** Styles of the chart figures (`/assets/charts.css`), beside uPlot's own. */
export const CHARTS_CSS = `.chart-figure { margin: 12px 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.chart-figure figcaption { margin-bottom: 8px; } .chart-figure figcaption span { color: var(--dim); }
.chart-figure .chart { min-height: 140px; width: 100%; overflow: hidden; }
.chart-figure details.chart-data { margin-top: 6px; } .chart-figure details.chart-data summary { cursor: pointer; color: var(--accent); }
.chart-figure .u-legend { color: var(--fg); font-size: 13px; }
.chart-figure .u-legend .u-marker { border-radius: 2px; }
`;
