/**
 * @module surfaces/web/related
 * What else applies to the thing a detail page shows: when a page's input names a key
 * (`vmid=105`), the other read operations of the service that take exactly that key
 * are links, and the operations that change something and need nothing more than
 * that key are buttons (`start`, `shutdown`, …) that lead to their confirmation page in
 * the lab the page showed. One that needs a value besides the key (`needsOneOf`: `set`,
 * `edit`) is a link to its form with the key filled in.
 * Buttons the server does not allow are disabled, with the reason.
 */
import type { AnyOperation } from '../../core/operation.js';
import { disabledReason, serviceOf } from './exposure.js';
import { requiredKeys } from './form-fields.js';
import { CONTEXT_FIELD } from './lab-choice.js';
import { h, join, slug, type Html } from './html.js';

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
  const actions = same.filter((o) => o.risk !== 'read').map((o) => {
    const reason = disabledReason(o, allow);
    const id = `why-${slug(o.id)}`;
    const label = o.id.split('.').slice(1).join(' ');
    if (o.needsOneOf && !reason) return h`<a class="button secondary" href="/op/${o.id}?${formQuery}">${label}…</a>`;
    return h`<form class="inline" method="post" action="/op/${o.id}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="_context" value="${context}"><input type="hidden" name="${key}" value="${String(value)}"><button type="submit" class="${o.risk === 'danger' ? 'danger' : ''}"${reason ? h` disabled aria-describedby="${id}" title="${reason}"` : ''}>${label}</button>${reason ? h`<span class="sr" id="${id}">${reason}</span>` : ''}</form>`;
  });
  if (!reads.length && !actions.length) return h``;
  return h`<section class="panel" aria-labelledby="related-title"><header><h2 id="related-title">${key} ${String(value)}</h2></header>
${actions.length ? h`<div class="actions" role="group" aria-label="Actions on ${key} ${String(value)}">${join(actions)}</div>` : ''}
${reads.length ? h`<ul>${join(reads)}</ul>` : ''}
</section>`;
}
