/**
 * @module surfaces/web/related
 * What else applies to the thing a detail page shows: when a page's input names a key
 * (`vmid=105`), the other read operations of the service that take exactly that key
 * are links, and the operations that change something and need nothing more than
 * that key are buttons (`start`, `shutdown`, …) that lead to their confirmation page in
 * the lab the page showed. One that needs a value besides the key (`needsOneOf`: `set`,
 * `edit`) is a link to its form with the key filled in.
 * Buttons the server does not allow are shown disabled under one visible line giving the
 * reason (one line per reason: a read-only server withholds `change` and `danger` for
 * different restarts). They stay in the Tab order (`aria-disabled`, described by that
 * line) and sit in no form, so pressing one does nothing.
 */
import type { AnyOperation, Risk } from '../../core/operation.js';
import { disabledReason, serviceOf } from './exposure.js';
import { requiredKeys } from './form-fields.js';
import { CONTEXT_FIELD } from './lab-choice.js';
import { h, join, type Html } from './html.js';

const labelOf = (o: AnyOperation): string => o.id.split('.').slice(1).join(' ');
const riskClass = (o: AnyOperation): string => (o.risk === 'danger' ? 'danger' : '');

/** The withheld actions under their reason: the visible line, then buttons described by it. */
function withheldHtml(ops: readonly AnyOperation[], reason: string, risk: Risk): Html {
  const id = `actions-why-${risk}`;
  const buttons = ops.map((o) => h`<button type="button" class="${riskClass(o)}" aria-disabled="true" aria-describedby="${id}">${labelOf(o)}</button>`);
  return h`<p class="disabled-reason" id="${id}"><strong>Disabled:</strong> ${reason}</p><div class="actions">${join(buttons)}</div>`;
}

/** The links and buttons related to `op` run with `input`. */
export function relatedHtml(ops: readonly AnyOperation[], op: AnyOperation, input: Record<string, unknown>, csrf: string, allow: Parameters<typeof disabledReason>[1], context: string): Html {
  const keys = requiredKeys(op);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) return h``;
  const value = input[key];
  if (typeof value !== 'string' && typeof value !== 'number') return h``;
  const same = ops.filter((o) => o.id !== op.id && serviceOf(o) === serviceOf(op) && requiredKeys(o).length === 1 && requiredKeys(o)[0] === key);
  const query = new URLSearchParams({ [key]: String(value) }).toString();
  const formQuery = new URLSearchParams({ [key]: String(value), [CONTEXT_FIELD]: context }).toString();
  const reads = same.filter((o) => o.risk === 'read').map((o) => h`<li><a href="/op/${o.id}?${query}">${o.id.replace(/\./g, ' ')}</a></li>`);
  const changes = same.filter((o) => o.risk !== 'read');
  const allowed = changes.filter((o) => !disabledReason(o, allow)).map((o) => {
    if (o.needsOneOf) return h`<a class="button secondary" href="/op/${o.id}?${formQuery}">${labelOf(o)}…</a>`;
    return h`<form class="inline" method="post" action="/op/${o.id}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="_context" value="${context}"><input type="hidden" name="${key}" value="${String(value)}"><button type="submit" class="${riskClass(o)}">${labelOf(o)}</button></form>`;
  });
  // The reason depends on the risk alone (for one server), so one line per risk.
  const withheld = (['change', 'danger'] as const).flatMap((risk) => {
    const group = changes.filter((o) => o.risk === risk && disabledReason(o, allow));
    const reason = group[0] ? disabledReason(group[0], allow) : undefined;
    return reason ? [withheldHtml(group, reason, risk)] : [];
  });
  if (!reads.length && !changes.length) return h``;
  return h`<section class="panel" aria-labelledby="related-title"><header><h2 id="related-title">${key} ${String(value)}</h2></header>
${changes.length ? h`<div class="action-groups" role="group" aria-label="Actions on ${key} ${String(value)}">${allowed.length ? h`<div class="actions">${join(allowed)}</div>` : ''}${join(withheld)}</div>` : ''}
${reads.length ? h`<ul>${join(reads)}</ul>` : ''}
</section>`;
}
