/**
 * @module surfaces/web/overview
 * The overview: one card per service from the `status` operation (the same data as
 * `homelab status`; a service that is down is one red card, the others still show),
 * the consistency check's findings (the `check` operation, drawn from its own render,
 * once it is in the registry), the alerts firing and pending (the watch state, from
 * `watch status`), and pending updates (`updates check`). Each section is read through
 * the registry and `invoke` like the bot does, and fails on its own. The result shapes
 * read here are checked with zod; a shape that does not fit falls back to the
 * operation's own render. The overview is one lab's (context's); when the dashboard
 * serves several, its alerts name their lab.
 *
 * The consistency check reads every guest's config, so the feed keeps its answer for its
 * own period (`KeptRead`, 5 min by default; a check that failed is not kept, the next refresh
 * runs it again) and the panel says when it ran. The overview's
 * key (its version) is what it shows without the moments it was drawn or checked, so an
 * overview drawn again with nothing changed is not sent again: only its moments are
 * (`timesOf`, the `times` event), which the page writes into its `<time data-time>` elements.
 */
import { z } from 'zod';
import { toHomelabError } from '../../core/errors.js';
import type { Lab } from '../../core/lab-set.js';
import { overviewCharts } from './charts/index.js';
import { redact } from '../../core/redact.js';
import { webOperation } from './exposure.js';
import { h, join, type Html } from './html.js';
import type { KeptRead } from './kept-read.js';
import { runRead, type ReadOutcome } from './read-run.js';
import { isRunOutcome } from '../../orchestration/run-outcome.js';
import { errorHtml, resultHtml } from './result-html.js';
import type { WebState } from './state.js';
import { labCommands } from './web-words.js';

/** The operations the overview reads, by section. */
export const OVERVIEW_OPERATIONS = { status: 'status', check: 'check', alerts: 'watch.status', updates: 'updates.check' } as const;

const statusShape = z.object({
  services: z.array(z.object({
    service: z.string(),
    state: z.enum(['up', 'down', 'skipped']),
    headline: z.string(),
    tone: z.enum(['ok', 'warn', 'bad', 'dim']),
    error: z.object({ message: z.string(), hint: z.string().nullable() }).nullable(),
  })),
});

const alertsShape = z.object({
  maintenanceUntil: z.string().nullable().optional(),
  alerts: z.array(z.object({ key: z.string(), check: z.string(), state: z.enum(['pending', 'firing', 'ok']), message: z.string(), severity: z.string(), since: z.string(), firedAt: z.string().nullable() })),
});

/** The overview as drawn, and a key that changes only when what it shows changes. */
export interface OverviewSnapshot {
  html: Html;
  key: string;
  /** The alerts it shows, as `alertsKey` gives them. */
  alerts: string;
  /** When it was drawn (ms since the epoch). */
  at: number;
  /** When the consistency check it shows ran (none when it shows none). */
  checkedAt?: number;
}

function panel(id: string, title: string, body: Html): Html {
  return h`<section class="panel" id="${id}" aria-labelledby="${id}-title"><header><h2 id="${id}-title">${title}</h2></header>${body}</section>`;
}

function statusCards(state: WebState, lab: Lab, outcome: ReadOutcome): Html {
  const commands = labCommands(state.options.registry, lab);
  const lines = (text: string): string => (commands ? commands(text) : text);
  const parsed = statusShape.safeParse(outcome.value);
  if (!parsed.success) return outcome.ok ? fallback(state, lab, OVERVIEW_OPERATIONS.status, outcome) : errorHtml(outcome.error, { commands });
  const pages = new Set(state.services.map((s) => s.name));
  const cards = parsed.data.services.map((s) => {
    // A service that answered but had a part fail (updates: every target refused) is shown failed, as the CLI's table does.
    const shown = s.state === 'up' && s.error ? 'failed' : s.state;
    const cls = s.state === 'down' ? 'card down' : s.state === 'skipped' ? 'card' : `card ${s.tone === 'bad' || shown === 'failed' ? 'bad' : s.tone === 'warn' ? 'warn' : 'ok'}`;
    const title = pages.has(s.service) ? h`<a href="/s/${s.service}">${s.service}</a>` : h`${s.service}`;
    // A down service's headline is often its error's message: said once.
    return h`<article class="${cls}" data-service="${s.service}" data-state="${shown}" aria-label="${s.service}: ${shown}">
<h3>${title} <span class="badge tone-${shown === 'up' ? 'ok' : shown === 'skipped' ? 'dim' : 'bad'}">${shown}</span></h3>
<p class="tone-${s.tone}">${redact(s.headline)}</p>
${s.error ? h`${s.error.message.trim() === s.headline.trim() ? '' : h`<p class="${shown === 'up' ? 'help' : 'tone-bad'}">${redact(s.error.message)}</p>`}${s.error.hint ? h`<p class="help">${lines(redact(s.error.hint))}</p>` : ''}` : ''}
</article>`;
  });
  return cards.length ? h`<div class="cards">${join(cards)}</div>` : h`<p class="dim">No services configured: run homelab init.</p>`;
}

function alertsTable(state: WebState, lab: Lab, outcome: ReadOutcome): Html {
  if (!outcome.ok) return errorHtml(outcome.error, { commands: labCommands(state.options.registry, lab) });
  const parsed = alertsShape.safeParse(outcome.value);
  if (!parsed.success) return fallback(state, lab, OVERVIEW_OPERATIONS.alerts, outcome);
  const alerts = parsed.data.alerts.filter((a) => a.state !== 'ok').sort((a, b) => Number(b.state === 'firing') - Number(a.state === 'firing'));
  const maintenance = parsed.data.maintenanceUntil ? h`<p class="tone-warn">Maintenance window until ${parsed.data.maintenanceUntil.slice(0, 16).replace('T', ' ')} UTC: no alerts are sent.</p>` : '';
  // With several labs every alert names its lab, as watch's messages do (`[office] …`).
  const named = state.labs.several;
  if (!alerts.length) return h`${maintenance}<p class="tone-ok">No alerts firing or pending${named ? ` in ${lab.name}` : ''}.</p>`;
  const rows = alerts.map((a) => h`<tr data-alert="${a.key}"${named ? h` data-context="${lab.name}"` : ''}>${named ? h`<td>${lab.name}</td>` : ''}<td><span class="tone-${a.state === 'firing' ? 'bad' : 'warn'}">${a.state}</span></td><td>${a.severity}</td><td>${a.check}</td><td>${redact(a.message)}</td><td>${(a.firedAt ?? a.since).slice(0, 16).replace('T', ' ')}</td></tr>`);
  return h`${maintenance}<div class="table-wrap"><table><thead><tr>${named ? h`<th scope="col">lab</th>` : ''}<th scope="col">state</th><th scope="col">severity</th><th scope="col">check</th><th scope="col">message</th><th scope="col">since (UTC)</th></tr></thead><tbody>${join(rows)}</tbody></table></div>`;
}

/** An operation's section drawn from its own render; its command lines name `lab` when a shell would use another (web-words). */
function fallback(state: WebState, lab: Lab, id: string, outcome: ReadOutcome): Html {
  const op = webOperation(state.options.registry, id);
  if (!op) return h``;
  const all = state.options.registry.all();
  const commands = labCommands(state.options.registry, lab);
  if (!outcome.ok) return errorHtml(outcome.error, { ops: all, op, input: outcome.input, commands });
  try {
    return resultHtml(all, op, outcome.input, outcome.value, commands);
  } catch (err) {
    return errorHtml(toHomelabError(err), { op, commands });
  }
}

/** The time of day of `at`, in UTC, as a `<time>`. */
function timeOf(at: number, name: keyof OverviewTimes): Html {
  return h`<time data-time="${name}" datetime="${new Date(at).toISOString()}">${new Date(at).toISOString().slice(11, 19)} UTC</time>`;
}

/** When an overview was drawn and its consistency check ran (ISO times; null: no check shown). */
export interface OverviewTimes {
  refreshed: string;
  checked: string | null;
}

/** The moments `snapshot` shows, for a page that shows its version already (the `times` event). */
export function timesOf(snapshot: OverviewSnapshot): OverviewTimes {
  return { refreshed: new Date(snapshot.at).toISOString(), checked: snapshot.checkedAt === undefined ? null : new Date(snapshot.checkedAt).toISOString() };
}

/** Whether a consistency check's outcome is an answer to keep for the period: it ran (findings are an answer), not a failure. */
function checkRan(outcome: ReadOutcome | undefined): boolean {
  return outcome === undefined || outcome.ok || isRunOutcome(outcome.error);
}

/** Reads every section of `lab` and draws its overview; `check`, when given, keeps the consistency check's answer for its period. */
export async function buildOverview(state: WebState, lab: Lab, user: string, check?: KeptRead<ReadOutcome | undefined>): Promise<OverviewSnapshot> {
  const { registry } = state.options;
  const read = async (id: string, input: Record<string, unknown> = {}): Promise<ReadOutcome | undefined> => {
    const op = webOperation(registry, id);
    return op ? runRead(state, lab, op, input, user, Math.min(op.timeoutMs ?? state.options.timeoutMs, 60_000)) : undefined;
  };
  const readCheck = (): Promise<ReadOutcome | undefined> => read(OVERVIEW_OPERATIONS.check);
  const [status, checked, alerts, updates, trends] = await Promise.all([
    read(OVERVIEW_OPERATIONS.status), check ? check.get(readCheck, checkRan) : readCheck().then((value) => ({ value, at: Date.now() })),
    read(OVERVIEW_OPERATIONS.alerts), read(OVERVIEW_OPERATIONS.updates), overviewCharts(state, lab, user),
  ]);
  // Each section twice: as shown, and as keyed (the same, less when it was checked or drawn).
  const shown: Html[] = [];
  const keyed: string[] = [];
  const add = (section: Html, key: string = String(section)): void => {
    shown.push(section);
    keyed.push(key);
  };
  if (status) add(panel('services', 'Services', statusCards(state, lab, status)));
  // The consistency check's slot: shown once a `check` operation is in the registry.
  const findings = checked.value ? fallback(state, lab, OVERVIEW_OPERATIONS.check, checked.value) : h`<p class="dim">No consistency check operation in this build.</p>`;
  const when = checked.value ? h`<p class="dim">Checked at ${timeOf(checked.at, 'checked')}.</p>` : '';
  add(panel('check', 'Consistency check', h`${findings}${when}`), String(findings));
  if (alerts) add(panel('alerts', state.labs.several ? `Alerts in ${lab.name}` : 'Alerts', alertsTable(state, lab, alerts)));
  if (updates) add(panel('updates', 'Pending updates', fallback(state, lab, OVERVIEW_OPERATIONS.updates, updates)));
  // Pictures of the charted operations that ask for a place here (charts/overview).
  if (trends) add(trends.html, trends.key);
  const at = Date.now();
  const html = h`${join(shown)}<p class="dim">Refreshed at ${timeOf(at, 'refreshed')}.</p>`;
  return { alerts: alerts ? keyOfAlerts(alerts) : '', html, key: JSON.stringify(keyed), at, ...(checked.value ? { checkedAt: checked.at } : {}) };
}

/** The watch state's alerts of `lab` in one string (cheap: a local database), to notice a change between full refreshes. */
export async function alertsKey(state: WebState, lab: Lab, user: string): Promise<string> {
  const op = webOperation(state.options.registry, OVERVIEW_OPERATIONS.alerts);
  if (!op) return '';
  return keyOfAlerts(await runRead(state, lab, op, {}, user, 10_000));
}

function keyOfAlerts(outcome: ReadOutcome): string {
  const parsed = alertsShape.safeParse(outcome.value);
  return parsed.success ? JSON.stringify(parsed.data.alerts.map((a) => [a.key, a.state, a.message])) : '';
}
