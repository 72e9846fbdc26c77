/**
 * @module surfaces/web/audit-page
 * `/audit`: the audit log, filtered by surface, actor, risk, operation, time and
 * outcome. The filters are the `audit` operation's own form (generated from its
 * schema), and the rows come from running it through `invoke`, checked with zod;
 * the table adds the risk of each run.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { redact } from '../../core/redact.js';
import { webOperation } from './exposure.js';
import { fieldsOf } from './form-fields.js';
import { operationForm } from './form-html.js';
import { formToInput, RESERVED, type FormValues } from './form-input.js';
import { h, join, type Html } from './html.js';
import { notFound, userPage } from './page-context.js';
import { runRead } from './read-run.js';
import { errorHtml } from './result-html.js';
import type { WebEnv, WebState } from './state.js';

/** The operation behind the page. */
export const AUDIT_OPERATION = 'audit';

const rowsShape = z.array(z.object({
  id: z.number(), time: z.string(), surface: z.string(), actor: z.string(), operation: z.string(), risk: z.string(),
  input: z.record(z.string(), z.unknown()), outcome: z.enum(['running', 'ok', 'error']), error: z.string().nullable(), durationMs: z.number().nullable(),
}));

function inputSummary(input: Record<string, unknown>): string {
  const line = Object.entries(input).filter(([, v]) => v !== undefined && v !== false).map(([k, v]) => (v === true ? k : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)).join(' ');
  return redact(line.length > 80 ? `${line.slice(0, 79)}…` : line);
}

function rowsTable(rows: z.infer<typeof rowsShape>): Html {
  if (!rows.length) return h`<p class="dim">No audited operations match.</p>`;
  const body = [...rows].reverse().map((r) => h`<tr data-audit-id="${r.id}"><td>${r.time.slice(0, 19).replace('T', ' ')}</td><td>${r.surface}</td><td>${r.actor}</td><td>${r.operation}</td><td><span class="badge ${r.risk}">${r.risk}</span></td><td>${inputSummary(r.input)}</td><td>${r.outcome === 'ok' ? h`<span class="tone-ok">ok</span>` : r.outcome === 'running' ? h`<span class="tone-warn">unfinished</span>` : h`<span class="tone-bad">error: ${redact(r.error ?? '')}</span>`}</td><td class="num">${r.durationMs === null ? '-' : `${r.durationMs} ms`}</td></tr>`);
  return h`<div class="table-wrap"><table><caption>Newest first, times in UTC</caption><thead><tr><th scope="col">time</th><th scope="col">surface</th><th scope="col">actor</th><th scope="col">operation</th><th scope="col">risk</th><th scope="col">input</th><th scope="col">outcome</th><th scope="col" class="num">took</th></tr></thead><tbody>${join(body)}</tbody></table></div>`;
}

/** Adds `/audit`. */
export function auditRoutes(app: Hono<WebEnv>, state: WebState): void {
  app.get('/audit', async (c) => {
    const op = webOperation(state.options.registry, AUDIT_OPERATION);
    if (!op) return notFound(c, state, 'This build has no audit log.');
    const session = c.get('session');
    const fields = fieldsOf(op);
    const query: FormValues = {};
    for (const [k, v] of Object.entries(c.req.queries())) if (!RESERVED.has(k)) query[k] = v.length === 1 ? v[0] : v;
    const outcome = await runRead(state, op, formToInput(fields, query, c.req.query('_form') !== undefined), session.user);
    let body: Html;
    if (!outcome.ok) body = errorHtml(outcome.error);
    else {
      const rows = rowsShape.safeParse(outcome.value);
      const note = (outcome.value as { note?: unknown } | null)?.note;
      body = typeof note === 'string' ? h`<p class="dim">${note}</p>` : rows.success ? rowsTable(rows.data) : errorHtml(new Error('the audit log answered in an unexpected shape'));
    }
    const values: Record<string, string | boolean> = {};
    for (const [k, v] of Object.entries(query)) if (v !== undefined) values[k] = Array.isArray(v) ? v.join('\n') : v;
    const form = operationForm({ op, fields, values, errors: {}, csrf: session.csrf, action: '/audit', submit: 'Filter' });
    return c.html(userPage(c, state, 'Audit log', h`${form}<section class="panel" aria-label="Audit rows">${body}</section>`));
  });
}
