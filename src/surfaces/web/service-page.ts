/**
 * @module surfaces/web/service-page
 * `/s/<service>`: a service's page, generated from the registry. Its read operations
 * that need no input are shown as sections (each loaded on its own from
 * `/fragment/op/<id>`, so a slow or failing one never holds up the rest, and busy until it
 * has; the page's one status line, not each section, says when they have loaded; with several
 * labs the address names the page's lab, so a section shows the lab its page does). A section
 * whose read is costly (`loadsWhenAsked`: it reads each item's details, or is slow) is loaded
 * only when asked, by its Load button (or, without script, the link to its page); read
 * operations that need a key (a guest, a host) are listed as look-ups; operations that
 * change something are listed as actions; those the server does not allow are listed under
 * one visible line per reason, each described by it (`aria-describedby`). Each operation's summary names its form's fields, not flags (web-words).
 */
import type { Hono } from 'hono';
import type { AnyOperation } from '../../core/operation.js';
import { disabledReason, type WebService } from './exposure.js';
import { requiredKeys } from './form-fields.js';
import { h, join, slug, type Html } from './html.js';
import { sessionLab } from './lab-choice.js';
import { notFound, userPage } from './page-context.js';
import type { WebEnv, WebState } from './state.js';
import { webDescription } from './web-words.js';

const words = (op: AnyOperation): string => op.id.replace(/\./g, ' ');

/**
 * Whether a section is loaded only when asked: its operation reads each item's details (it
 * can read a window: `pve configs`, a request per guest) or sets its own longer time limit
 * (`check`, `doctor`: slow reads). The others load with the page.
 */
export function loadsWhenAsked(op: AnyOperation): boolean {
  return op.page === 'window' || op.timeoutMs !== undefined;
}

function viewSection(op: AnyOperation, context: string | undefined): Html {
  const id = `view-${slug(op.id)}`;
  const src = `/fragment/op/${op.id}${context ? `?${new URLSearchParams({ _context: context }).toString()}` : ''}`;
  if (loadsWhenAsked(op)) {
    // Not busy, and not loading: the button loads it here (then reloads it), the link opens its page.
    return h`<section class="panel" aria-labelledby="${id}-title">
<header><h2 id="${id}-title"><a href="/op/${op.id}">${words(op)}</a></h2><span class="dim">${webDescription(op.summary, op)}</span><button type="button" class="secondary" data-load="${id}" aria-describedby="${id}-why" hidden>Load</button></header>
<div id="${id}" data-later="${src}"><p class="dim" id="${id}-why">Not loaded with the page: a long read. <a href="/op/${op.id}">Show ${words(op)}</a></p></div>
</section>`;
  }
  return h`<section class="panel" aria-labelledby="${id}-title">
<header><h2 id="${id}-title"><a href="/op/${op.id}">${words(op)}</a></h2><span class="dim">${webDescription(op.summary, op)}</span><button type="button" class="secondary" data-reload="${id}" hidden>Refresh</button></header>
<div id="${id}" data-src="${src}" aria-busy="true"><p class="dim">Loading…</p><noscript><p><a href="/op/${op.id}">Show ${words(op)}</a></p></noscript></div>
</section>`;
}

/** One operation in a list; `why`: the id of the line saying why it is disabled. */
function opItem(op: AnyOperation, why?: string): Html {
  const keys = requiredKeys(op);
  const needs = keys.length ? h` <span class="dim">(${keys.join(', ')})</span>` : '';
  const badge = op.risk === 'read' ? '' : h` <span class="badge ${op.risk}">${op.risk}</span>`;
  return h`<li class="${why ? 'disabled ' : ''}risk-${op.risk}"><a href="/op/${op.id}"${why ? h` aria-describedby="${why}"` : ''}>${words(op)}</a>${needs}${badge}<span class="why">${webDescription(op.summary, op)}</span></li>`;
}

/**
 * The actions: those allowed, then those withheld under one visible line per reason (a
 * read-only server withholds `change` and `danger` for different restarts), each link
 * described by its line.
 */
function actionsHtml(actions: readonly AnyOperation[], state: WebState): Html {
  const reasons = new Map<string, AnyOperation[]>();
  const allowed: AnyOperation[] = [];
  for (const op of actions) {
    const reason = disabledReason(op, state.options.allow);
    if (reason) reasons.set(reason, [...(reasons.get(reason) ?? []), op]);
    else allowed.push(op);
  }
  const withheld = [...reasons].map(([reason, ops]) => {
    const id = `why-${ops[0]?.risk ?? 'change'}`;
    return h`<p class="disabled-reason" id="${id}"><strong>Disabled:</strong> ${reason}</p><ul class="ops">${join(ops.map((op) => opItem(op, id)))}</ul>`;
  });
  return h`${allowed.length ? h`<ul class="ops">${join(allowed.map((op) => opItem(op)))}</ul>` : ''}${join(withheld)}`;
}

/** The body of a service's page; `context`: the lab its sections read (with several labs). */
export function serviceBody(service: WebService, state: WebState, context?: string): Html {
  const views = service.operations.filter((op) => op.risk === 'read' && requiredKeys(op).length === 0);
  const lookups = service.operations.filter((op) => op.risk === 'read' && requiredKeys(op).length > 0);
  const actions = service.operations.filter((op) => op.risk !== 'read');
  return h`<p class="help">${service.summary}</p>
${join(views.map((op) => viewSection(op, context)))}
${lookups.length ? h`<section aria-labelledby="lookups-title"><h2 id="lookups-title">Look up</h2><ul class="ops">${join(lookups.map((op) => opItem(op)))}</ul></section>` : ''}
${actions.length ? h`<section aria-labelledby="actions-title"><h2 id="actions-title">Actions</h2>${actionsHtml(actions, state)}</section>` : ''}`;
}

/** Adds `/s/:service`. */
export function servicePageRoutes(app: Hono<WebEnv>, state: WebState): void {
  app.get('/s/:service', (c) => {
    const service = state.services.find((s) => s.name === c.req.param('service'));
    if (!service) return notFound(c, state, `No service named ${c.req.param('service')}.`);
    return c.html(userPage(c, state, service.name, serviceBody(service, state, state.labs.several ? sessionLab(c, state).name : undefined)));
  });
}
