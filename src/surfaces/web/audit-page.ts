/**
 * @module surfaces/web/audit-page
 * `/audit`: the audit log, filtered by surface, actor, risk, operation, time and
 * outcome, and by lab (context) when the dashboard serves several. The filters are the
 * `audit` operation's own form (generated from its schema and validated with it), except
 * its `lab` field (`audit --lab` on the CLI), drawn here as a select of the labs this
 * dashboard serves. The rows come from running the operation (`runRead`, as every page's
 * reads); a `lab` column shows each row's context when there are several labs or rows of one,
 * and the input, the operation (with its plan: `expose (plan …)`, `proxy.delete (plan step
 * proxy:undo)`) and its duration as `homelab audit` shows them (audit/input-summary, row-cells).
 * A query that is not text within limits, or two labs, is a 400 page (form-body).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { summariseInput } from '../../audit/input-summary.js';
import { operationText, tookText } from '../../audit/row-cells.js';
import type { AuditEntry } from '../../audit/store.js';
import { redact } from '../../core/redact.js';
import { webOperation } from './exposure.js';
import { formText, formValue, readQuery } from './form-body.js';
import { checkForm } from './form-check.js';
import { fieldsOf } from './form-fields.js';
import { operationForm } from './form-html.js';
import { formToInput, RESERVED, submittedValues, type FormValues } from './form-input.js';
import { h, join, type Html } from './html.js';
import { sessionLab } from './lab-choice.js';
import { badRequest, notFound, userPage } from './page-context.js';
import { runRead } from './read-run.js';
import { errorHtml } from './result-html.js';
import type { WebEnv, WebState } from './state.js';

/** The operation behind the page. */
export const AUDIT_OPERATION = 'audit';

/** The operation's lab filter, which the page draws as a select of its labs. */
const CONTEXT_FILTER = 'lab';

/** The page's query: the filters (the operation's form), the lab filter one name. */
const AUDIT_QUERY = z.object({ [CONTEXT_FILTER]: formText.optional() }).catchall(formValue);

/** The rows, newest first, with a lab column when the dashboard serves several labs. */
function rowsTable(rows: readonly AuditEntry[], labColumn: boolean): Html {
  if (!rows.length) return h`<p class="dim">No audited operations match.</p>`;
  const body = [...rows].reverse().map((r) => h`<tr data-audit-id="${r.id}" data-context="${r.context}">${labColumn ? h`<td>${r.context}</td>` : ''}<td>${r.time.slice(0, 19).replace('T', ' ')}</td><td>${r.surface}</td><td>${r.actor}</td><td>${operationText(r)}</td><td><span class="badge ${r.risk}">${r.risk}</span></td><td>${redact(summariseInput(r.input, 80, r.defaultOff))}</td><td>${r.outcome === 'ok' ? h`<span class="tone-ok">ok</span>` : r.outcome === 'running' ? h`<span class="tone-warn">unfinished</span>` : h`<span class="tone-bad">error: ${redact(r.error ?? '')}</span>`}</td><td class="num">${tookText(r.durationMs)}</td></tr>`);
  return h`<div class="table-wrap"><table><caption>Newest first, times in UTC</caption><thead><tr>${labColumn ? h`<th scope="col">lab</th>` : ''}<th scope="col">time</th><th scope="col">surface</th><th scope="col">actor</th><th scope="col">operation</th><th scope="col">risk</th><th scope="col">input</th><th scope="col">outcome</th><th scope="col" class="num">took</th></tr></thead><tbody>${join(body)}</tbody></table></div>`;
}

/** The lab filter: every lab, or one the config defines. */
function contextField(names: readonly string[], value: string, error: string | undefined): Html {
  const id = 'f-audit-context';
  const options = [h`<option value="">(every lab)</option>`, ...names.map((n) => h`<option${n === value ? h` selected` : ''}>${n}</option>`)];
  return h`<div class="field">
  <label for="${id}">Lab</label>
  <select id="${id}" name="${CONTEXT_FILTER}" aria-describedby="${id}-help${error ? ` ${id}-error` : ''}"${error ? h` aria-invalid="true"` : ''}>${join(options)}</select>
  <small id="${id}-help" class="help">only runs in this lab (context)</small>
  ${error ? h`<small id="${id}-error" class="error">${error}</small>` : ''}
</div>`;
}

/** Adds `/audit`. */
export function auditRoutes(app: Hono<WebEnv>, state: WebState): void {
  app.get('/audit', async (c) => {
    const op = webOperation(state.options.registry, AUDIT_OPERATION);
    if (!op) return notFound(c, state, 'This build has no audit log.');
    const session = c.get('session');
    const fields = fieldsOf(op).filter((f) => f.key !== CONTEXT_FILTER);
    const read = readQuery(c, AUDIT_QUERY);
    if (!read.ok) return badRequest(c, state, read.refused, '/audit');
    const query: FormValues = {};
    for (const [k, v] of Object.entries(read.values)) if (!RESERVED.has(k)) query[k] = v;
    const names = state.labs.names();
    const wanted = read.values[CONTEXT_FILTER] ?? '';
    const contextError = wanted && !names.includes(wanted) ? `unknown lab "${wanted.slice(0, 80)}": this dashboard serves ${names.join(', ')}` : undefined;
    const complete = read.values._form !== undefined;
    const raw = formToInput(fields, query, complete);
    const checked = checkForm(op, raw);
    let body: Html;
    if (contextError) body = errorHtml(new Error(contextError));
    else if (!checked.ok) body = errorHtml(new Error(Object.entries(checked.errors).map(([k, e]) => (k ? `${k}: ${e}` : e)).join('; ')));
    else {
      // The form's own values (runRead validates them, as for every page's reads), and the lab.
      const read = await runRead(state, sessionLab(c, state), op, { ...raw, ...(wanted ? { [CONTEXT_FILTER]: wanted } : {}) }, session.user);
      const rows = read.ok && Array.isArray(read.value) ? (read.value as AuditEntry[] & { note?: string }) : undefined;
      body = !read.ok ? errorHtml(read.error)
        : !rows ? errorHtml(new Error('the audit log came out in an unexpected shape'))
        : rows.note ? h`<p class="dim">${rows.note}</p>`
        : rowsTable(rows, state.labs.several || rows.some((r) => r.context !== 'default'));
    }
    const values = submittedValues(fields, query, complete);
    const extra = state.labs.several || contextError ? contextField(names, wanted, contextError) : undefined;
    const form = operationForm({ op, fields, values, errors: checked.ok ? {} : checked.errors, csrf: session.csrf, action: '/audit', submit: 'Filter', ...(extra ? { extra } : {}) });
    return c.html(userPage(c, state, 'Audit log', h`${form}<section class="panel" aria-label="Audit rows">${body}</section>`), contextError || !checked.ok ? 400 : 200);
  });
}
