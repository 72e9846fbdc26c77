/**
 * @module surfaces/web/assets
 * The dashboard's own script and style sheet, served from the package (no CDN, no
 * client build step). The script is a few lines of plain JavaScript: it loads the
 * sections marked `data-src`, and one marked `data-later` when its Load button is
 * pressed (saying in the page's one status line when they have all loaded: the sections
 * are not live regions themselves), and listens to Server-Sent Events to replace the
 * overview (keeping open details and the keyboard's place; a stream that reconnects names
 * the version shown, and gets the current overview when it is another; one drawn again
 * unchanged sends only its moments, written into the Refreshed/Checked times; when the stream ends for good,
 * a note says live updates stopped, with a link to sign in again or reload) and to
 * follow a run's progress (a plan's report updated in place). Every page works without it (links and
 * forms), only less live. The Content-Security-Policy allows scripts from here only.
 */

/** The header of a section's answer (`/fragment/op/<id>`) whose read failed: its HTML is the error, and the page counts it as not read. */
export const SECTION_FAILED = 'x-homelab-read-failed';

/** The client script (`/assets/app.js`). */
export const APP_JS = `'use strict';
(function () {
  // Sections are not live regions themselves (a page of eleven would talk over itself): the page's one
  // status line says when they have all loaded, or that a refreshed one has.
  function announce(text) { var note = document.getElementById('live-note'); if (note) note.textContent = text; }
  function titleOf(el) { var s = el.closest('section'); var t = s && s.querySelector('h2'); return t ? t.textContent.trim() : 'Section'; }
  function load(el, done) {
    el.setAttribute('aria-busy', 'true');
    fetch(el.getAttribute('data-src'), { credentials: 'same-origin', headers: { 'x-fragment': '1' } })
      .then(function (r) { return r.text().then(function (t) { return { ok: r.ok && !r.headers.get('${SECTION_FAILED}'), text: t }; }); })
      .then(function (r) { el.innerHTML = r.text; el.setAttribute('aria-busy', 'false'); el.dispatchEvent(new CustomEvent('homelab:loaded', { bubbles: true })); done(r.ok); })
      .catch(function () { el.innerHTML = '<p class="tone-bad">Could not load this section; reload the page.</p>'; el.setAttribute('aria-busy', 'false'); done(false); });
  }
  var sections = document.querySelectorAll('[data-src]');
  var pending = sections.length;
  var failed = 0;
  sections.forEach(function (el) {
    load(el, function (ok) {
      if (!ok) failed++;
      if (--pending > 0) return;
      var all = sections.length === 1 ? 'Section loaded' : 'All ' + sections.length + ' sections loaded';
      announce(failed ? all + '; ' + failed + ' could not be read' : all);
    });
  });
  // A section loaded only when asked: its button loads it in place, and from then on reloads it (the focus stays on it).
  document.querySelectorAll('button[data-load]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var el = document.getElementById(b.getAttribute('data-load'));
      if (!el) return;
      el.setAttribute('data-src', el.getAttribute('data-later'));
      var first = b.textContent !== 'Refresh';
      b.textContent = 'Refresh';
      b.removeAttribute('aria-describedby');
      load(el, function (ok) { announce(titleOf(el) + (ok ? (first ? ' loaded' : ' reloaded') : ' could not be read')); });
    });
  });
  document.querySelectorAll('button[data-reload]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var el = document.getElementById(b.getAttribute('data-reload'));
      if (el) load(el, function (ok) { announce(titleOf(el) + (ok ? ' reloaded' : ' could not be read')); });
    });
  });
  var overview = document.querySelector('[data-overview-events]');
  function keyOf(el) {
    if (el.id) return '#' + el.id;
    return el.tagName + ':' + Array.prototype.indexOf.call(overview.querySelectorAll(el.tagName), el);
  }
  function byKey(key) {
    if (key.charAt(0) === '#') return document.getElementById(key.slice(1));
    var at = key.lastIndexOf(':');
    return overview.querySelectorAll(key.slice(0, at))[Number(key.slice(at + 1))] || null;
  }
  function summaryOf(d) { var s = d.querySelector('summary'); return (s ? s.textContent : '') + '|' + keyOf(d); }
  function swap(html) {
    // Keeps what the reader opened and where the keyboard was across the new overview.
    var open = Array.prototype.map.call(overview.querySelectorAll('details[open]'), summaryOf);
    var active = document.activeElement;
    var focused = active && active !== overview && overview.contains(active) ? keyOf(active) : null;
    overview.innerHTML = html;
    overview.querySelectorAll('details').forEach(function (d) { if (open.indexOf(summaryOf(d)) >= 0) d.open = true; });
    if (focused) { var again = byKey(focused); if (again && again.focus) again.focus(); }
    overview.dispatchEvent(new CustomEvent('homelab:loaded', { bubbles: true }));
  }
  function stopped(signIn) {
    if (document.getElementById('live-stopped')) return;
    var p = document.createElement('p');
    p.id = 'live-stopped';
    p.className = 'live-stopped';
    p.setAttribute('role', 'alert');
    var a = document.createElement('a');
    a.href = location.pathname + location.search;
    a.textContent = signIn ? 'Sign in again' : 'Reload the page';
    p.appendChild(document.createTextNode(signIn ? 'Live updates stopped: the dashboard no longer knows this session (it restarted, or you signed out). ' : 'Live updates stopped: the dashboard cannot be reached. '));
    p.appendChild(a);
    overview.parentNode.insertBefore(p, overview);
  }
  // The version of the overview shown: a new stream sends the current one unless it is this.
  var shown = overview ? overview.getAttribute('data-overview-version') || '' : '';
  function follow(url, tries) {
    var feed = new EventSource(url + (url.indexOf('?') >= 0 ? '&' : '?') + 'shown=' + encodeURIComponent(shown));
    feed.addEventListener('ready', function () { tries = 0; });
    feed.addEventListener('overview', function (e) {
      if (e.lastEventId) shown = e.lastEventId;
      swap(e.data);
      var note = document.getElementById('live-note');
      if (note) note.textContent = 'Overview updated ' + new Date().toLocaleTimeString();
    });
    // Drawn again unchanged: only its moments (refreshed, checked) move on.
    feed.addEventListener('times', function (e) {
      var times = JSON.parse(e.data);
      Object.keys(times).forEach(function (name) {
        var el = overview.querySelector('time[data-time="' + name + '"]');
        if (el && times[name]) { el.setAttribute('datetime', times[name]); el.textContent = times[name].slice(11, 19) + ' UTC'; }
      });
    });
    feed.addEventListener('error', function () {
      // While it is CONNECTING the browser retries by itself; CLOSED is for good (an answer that is not a stream).
      if (feed.readyState !== EventSource.CLOSED) return;
      fetch('/fragment/overview', { credentials: 'same-origin', headers: { 'x-fragment': '1' } })
        .then(function (r) { return r.status; }, function () { return 0; })
        .then(function (status) {
          if (status === 401) stopped(true);
          else if (tries < 5) setTimeout(function () { follow(url, tries + 1); }, 3000 * (tries + 1));
          else stopped(false);
        });
    });
  }
  if (overview && window.EventSource) follow(overview.getAttribute('data-overview-events'), 0);
  var run = document.querySelector('[data-run-events]');
  if (run && window.EventSource) {
    var events = new EventSource(run.getAttribute('data-run-events'));
    var list = document.getElementById('progress');
    events.addEventListener('progress', function (e) {
      if (!list) return;
      // The id is the note's place: a plan's report replaces its previous version (and what followed it).
      var at = parseInt(e.lastEventId, 10);
      if (!isNaN(at)) while (list.children.length > at) list.removeChild(list.lastChild);
      var li = document.createElement('li');
      li.textContent = e.data;
      list.appendChild(li);
    });
    events.addEventListener('done', function (e) {
      events.close();
      var result = document.getElementById('result');
      if (result) { result.innerHTML = e.data; result.focus(); }
      var state = document.getElementById('run-state');
      if (state) state.textContent = run.getAttribute('data-done-text') || 'Finished';
    });
  }
})();
`;

/** The style sheet (`/assets/app.css`). */
export const APP_CSS = `:root { color-scheme: light dark; --bg: #f6f7f9; --fg: #1b1f24; --card: #fff; --line: #d5d9e0; --dim: #5d6673; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --accent: #0969da; --on-accent: #fff; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --card: #161b22; --line: #30363d; --dim: #8d96a0; --ok: #3fb950; --warn: #d29922; --bad: #f85149; --accent: #58a6ff; --on-accent: #0d1117; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: var(--card); padding: 6px; z-index: 9; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
header.top { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; padding: 8px 16px; background: var(--card); border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
header.top nav ul { display: flex; flex-wrap: wrap; gap: 4px 12px; list-style: none; margin: 0; padding: 0; }
header.top nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--fg); }
header.top form.lab-choice { display: flex; gap: 6px; align-items: center; } header.top .lab-choice label { font-weight: 600; }
header.top .lab-choice select { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
header.top .lab-choice button { padding: 3px 10px; }
header.top .who { margin-left: auto; display: flex; gap: 8px; align-items: center; color: var(--dim); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; border: 1px solid var(--line); font-size: 12px; }
.badge.read { color: var(--ok); } .badge.change { color: var(--warn); } .badge.danger { color: var(--bad); }
main { padding: 16px; max-width: 1400px; margin: 0 auto; }
h1 { font-size: 22px; margin: 4px 0 12px; } h2 { font-size: 18px; margin: 20px 0 8px; } h3 { font-size: 16px; margin: 0 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.card.down { border-color: var(--bad); background: color-mix(in srgb, var(--bad) 12%, var(--card)); }
.card.warn { border-left: 4px solid var(--warn); } .card.bad { border-left: 4px solid var(--bad); } .card.ok { border-left: 4px solid var(--ok); }
.card h3 a { text-decoration: none; }
section.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin: 12px 0; }
section.panel > header { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
section.panel > header h2, section.panel > header h3 { margin: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--dim); font-weight: 600; font-size: 13px; text-transform: uppercase; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; } dl.fields dt { color: var(--dim); } dl.fields dd { margin: 0; }
.tone-ok { color: var(--ok); } .tone-warn { color: var(--warn); } .tone-bad { color: var(--bad); font-weight: 600; } .tone-dim, .dim { color: var(--dim); } .tone-accent { color: var(--accent); }
.ops { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 6px; }
.ops li { padding: 6px 8px; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
.ops li.disabled { border-style: dashed; } .ops .why { display: block; color: var(--dim); font-size: 13px; }
form.op-form fieldset { border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.field { display: grid; gap: 2px; margin: 8px 0; max-width: 560px; } .field.check { grid-template-columns: auto 1fr; align-items: center; } .field.check .help { grid-column: 1 / -1; }
.field input[type=text], .field input[type=number], .field select, .field textarea, .login input { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
.help { color: var(--dim); } .error { color: var(--bad); } .req { color: var(--bad); }
p.lines { white-space: pre-wrap; }
button, .button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--line); background: var(--accent); color: var(--on-accent); cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: var(--card); color: var(--fg); }
button.danger { background: var(--bad); } button:disabled, fieldset:disabled button, button[aria-disabled="true"] { background: var(--card); color: var(--dim); border: 1px dashed var(--dim); cursor: not-allowed; }
.inline { display: inline; } .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.disabled-reason { color: var(--warn); } .action-groups .disabled-reason { margin: 12px 0 6px; }
.confirm { border-left: 4px solid var(--warn); } .confirm.danger { border-left-color: var(--bad); }
ul.plan { list-style: none; margin: 4px 0 8px; padding: 0; font-family: ui-monospace, monospace; font-size: 13px; white-space: pre-wrap; }
pre { background: var(--bg); border: 1px solid var(--line); padding: 8px; border-radius: 6px; overflow-x: auto; }
#progress { font-family: ui-monospace, monospace; font-size: 13px; } #progress li { white-space: pre-wrap; }
.live-stopped { border: 1px solid var(--warn); border-left-width: 4px; border-radius: 6px; padding: 6px 10px; background: var(--card); }
.field label .key { color: var(--dim); font-weight: normal; font-size: 12px; margin-left: 6px; }
.login { max-width: 360px; margin: 60px auto; } .login .field { max-width: none; }
.chart { min-height: 120px; }
`;

/** The dashboard's icon (`/favicon.svg`, and `/favicon.ico` for clients that ask for it by name): a small house. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0969da"/><path d="M6 16 16 7l10 9h-3v9h-5v-6h-4v6H9v-9z" fill="#fff"/></svg>`;
